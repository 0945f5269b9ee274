using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.OperatorReview;

/// <summary>
/// The systemd units start on a server prepared only as docs/operations.md says: with ProtectSystem=strict, a
/// ReadWritePaths= folder that nobody created stops the unit (226/NAMESPACE) before the app can log anything, so the
/// writable folder is a StateDirectory= that systemd makes itself, and HOME (Chromium's caches) lies inside it.
/// </summary>
public sealed class SystemdUnitTests
{
    [Theory]
    [InlineData("deploy/systemd/budgeteval-web.service")]
    [InlineData("deploy/systemd/budgeteval-jobs.service")]
    public void Given_a_unit_Then_every_folder_it_writes_is_made_by_systemd(string unit)
    {
        var settings = File.ReadAllLines(RepositoryFiles.PathOf(unit))
            .Where(l => l.Length > 0 && !l.StartsWith('#') && l.Contains('=', StringComparison.Ordinal))
            .Select(l => (Key: l[..l.IndexOf('=', StringComparison.Ordinal)], Value: l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]))
            .ToList();

        Assert.Contains(("ProtectSystem", "strict"), settings);
        Assert.All(settings.Where(s => s.Key == "ReadWritePaths").SelectMany(s => s.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)),
            path => Assert.True(path.StartsWith('-'), $"{unit}: ReadWritePaths={path} must exist before the unit starts; use StateDirectory= or prefix it with '-'"));
        var state = Assert.Single(settings, s => s.Key == "StateDirectory").Value;
        Assert.Contains(("Environment", $"HOME=/var/lib/{state}"), settings);
        Assert.Contains($"--home-dir /var/lib/{state}", File.ReadAllText(RepositoryFiles.PathOf("docs/operations.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_the_image_build_Then_host_build_output_and_the_local_cluster_stay_out_of_its_context()
    {
        // deploy/Dockerfile restores, then copies src/: a host's obj/ copied over the restore breaks the publish.
        var dockerfile = File.ReadAllText(RepositoryFiles.PathOf("deploy/Dockerfile"));
        Assert.Contains("COPY src/ src/", dockerfile, StringComparison.Ordinal);
        Assert.Contains("--no-restore", dockerfile, StringComparison.Ordinal);

        var ignored = File.ReadAllLines(RepositoryFiles.PathOf(".dockerignore")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
        Assert.Contains(".data/", ignored);
        Assert.DoesNotContain(ignored, l => l.TrimEnd('/') is "src" or "workflows" or "global.json");
    }
}
