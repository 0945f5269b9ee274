using BudgetEval.Tests.Hosting;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Infrastructure.Hosting;

namespace BudgetEval.Tests.OperatorReview;

/// <summary>
/// An operator's typo in a setting's value, or in a deployed workflow folder, stops start-up in one line naming the
/// setting or the file and line, with exit 78 (systemd does not restart it) — not a stack trace with exit 134 that
/// systemd restarts forever, nor a node that starts and fails later (mail never sent, 500 on the first case).
/// The checks run before the database is touched, so these runs need none.
/// </summary>
public sealed class SettingValueRefusalTests
{
    private const string NoDatabase = "Host=127.0.0.1;Port=1;Database=x;Username=x";

    [Theory]
    [InlineData("Node__Jobs", "yes", "Node:Jobs")]
    [InlineData("Email__Port", "abc", "Email:Port")]
    [InlineData("Email__Port", "70000", "Email:Port")]
    [InlineData("Audit__RetentionDays", "一年", "Audit:RetentionDays")]
    [InlineData("App__MaxRequestBodyMegabytes", "30m", "App:MaxRequestBodyMegabytes")]
    [InlineData("App__MaxRequestBodyMegabytes", "0", "App:MaxRequestBodyMegabytes")]
    [InlineData("Admission__QueueLimit", "-5", "Admission:QueueLimit")]
    [InlineData("Proxy__KnownProxies__0", "nginx.internal", "Proxy:KnownProxies:0")]
    [InlineData("Proxy__KnownNetworks__0", "172.16.0.0", "Proxy:KnownNetworks:0")]
    [InlineData("Workflows__Directories__0", "/nonexistent/budgeteval-workflows", "Workflows:Directories:0")]
    public async Task Given_a_setting_with_an_unusable_value_When_a_node_starts_Then_it_refuses_naming_the_setting(string variable, string value, string named)
    {
        var run = await StartupRefusalTests.RunAsync("Testing", new() { ["ConnectionStrings__Default"] = NoDatabase, [variable] = value });

        Assert.Equal(StartupRefusal.ConfigurationExitCode, run.ExitCode);
        var line = Assert.Single(run.Stderr.Split('\n'), l => l.StartsWith("BudgetEval: start-up refused: ", StringComparison.Ordinal));
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.Contains(value, line, StringComparison.Ordinal);
        StartupRefusalTests.AssertNoStackTrace(run);
    }

    [Theory]
    [InlineData("Host=db;Databse=budgeteval;Username=budgeteval;Password=Secret-Pw-1", "databse")]
    [InlineData("Host=db;Port=abc;Database=budgeteval;Username=budgeteval;Password=Secret-Pw-1", "port")]
    [InlineData("postgres://budgeteval:Secret-Pw-1@db/budgeteval", "initialization string")]
    public async Task Given_a_connection_string_that_cannot_be_parsed_When_a_node_starts_Then_it_refuses_naming_it_without_the_password(string connectionString, string named)
    {
        var run = await StartupRefusalTests.RunAsync("Testing", new() { ["ConnectionStrings__Default"] = connectionString });

        Assert.Equal(StartupRefusal.ConfigurationExitCode, run.ExitCode);
        var line = Assert.Single(run.Stderr.Split('\n'), l => l.StartsWith("BudgetEval: start-up refused: ConnectionStrings:Default", StringComparison.Ordinal));
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret-Pw-1", run.Stderr + run.Stdout, StringComparison.Ordinal);
        StartupRefusalTests.AssertNoStackTrace(run);
    }

    [Fact]
    public async Task Given_a_workflow_folder_holding_only_a_district_variant_When_a_node_starts_Then_it_refuses_naming_the_missing_flows()
    {
        var folder = Directory.CreateTempSubdirectory("budgeteval-wf-").FullName;
        try
        {
            File.Copy(RepositoryFiles.PathOf("workflows/rectification.v1.yaml"), Path.Combine(folder, "rectification.v1.yaml"));

            var run = await StartupRefusalTests.RunAsync("Testing", new() { ["ConnectionStrings__Default"] = NoDatabase, ["Workflows__Directories__0"] = folder });

            Assert.Equal(StartupRefusal.ConfigurationExitCode, run.ExitCode);
            Assert.Contains("Workflows:Directories", run.Stderr, StringComparison.Ordinal);
            Assert.Contains("self-evaluation-review", run.Stderr, StringComparison.Ordinal);
            Assert.Contains("external-evaluation", run.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("rectification,", run.Stderr, StringComparison.Ordinal);
            StartupRefusalTests.AssertNoStackTrace(run);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Given_a_workflow_file_with_an_error_When_a_node_starts_Then_it_refuses_with_file_and_line_and_exit_78()
    {
        var folder = Directory.CreateTempSubdirectory("budgeteval-wf-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(RepositoryFiles.PathOf("workflows"), "*.yaml"))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }

            var broken = Path.Combine(folder, "rectification.v1.yaml");
            var lines = File.ReadAllLines(broken);
            var initial = Array.FindIndex(lines, l => l.StartsWith("initial:", StringComparison.Ordinal));
            lines[initial] = "initial: nosuchstate";
            File.WriteAllLines(broken, lines);

            var run = await StartupRefusalTests.RunAsync("Testing", new() { ["ConnectionStrings__Default"] = NoDatabase, ["Workflows__Directories__0"] = folder });

            Assert.Equal(StartupRefusal.ConfigurationExitCode, run.ExitCode);
            Assert.Contains($"rectification.v1.yaml:{initial + 1}: unknown state 'nosuchstate'", run.Stderr, StringComparison.Ordinal);
            StartupRefusalTests.AssertNoStackTrace(run);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
