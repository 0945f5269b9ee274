namespace BudgetEval.Web.Demo;

/// <summary>The real sample tables embedded in the assembly (see BudgetEval.Web.csproj).</summary>
internal static class DemoResources
{
    public static byte[] Read(string fileName)
    {
        using var stream = typeof(DemoResources).Assembly.GetManifestResourceStream("BudgetEval.Web.Demo." + fileName)
            ?? throw new InvalidOperationException($"sample {fileName} not embedded");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
