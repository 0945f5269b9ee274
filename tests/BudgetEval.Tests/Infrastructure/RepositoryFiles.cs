namespace BudgetEval.Tests.Infrastructure;

/// <summary>Files of the repository itself (deploy/, appsettings.sample.json), found from the test binaries.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BudgetEval.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("BudgetEval.slnx not found above " + AppContext.BaseDirectory);
    }
}
