using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Infrastructure.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BudgetEval.Tests.Hosting;

/// <summary>
/// What an operator meets at start-up: refusals that name the setting (one line, no stack trace, exit 78 or 1),
/// --create-admin that writes nothing on a refusal, the host filter and the un-migrated database.
/// The app runs as a real process (`dotnet BudgetEval.Web.dll`) where the exit code and stderr matter.
/// </summary>
public sealed class StartupRefusalTests
{
    private static readonly Dictionary<string, string> ProductionMail = new()
    {
        ["Email__Mode"] = "Smtp",
        ["Email__Host"] = "smtp.example.gov.cn",
        ["App__PublicBaseUrl"] = "https://jixiao.example.gov.cn",
    };

    [Theory]
    [InlineData("Email__Mode", "Email:Mode")]
    [InlineData("Email__Host", "Email:Host")]
    [InlineData("App__PublicBaseUrl", "App:PublicBaseUrl")]
    public async Task Given_Production_without_a_mail_or_link_setting_When_it_starts_Then_it_refuses_naming_the_setting(string missing, string named)
    {
        var settings = new Dictionary<string, string>(ProductionMail) { ["ConnectionStrings__Default"] = "Host=127.0.0.1;Port=1;Database=x;Username=x" };
        settings.Remove(missing);
        var run = await RunAsync("Production", settings);

        Assert.Equal(StartupRefusal.ConfigurationExitCode, run.ExitCode);
        Assert.Contains(named, run.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(run);
        // The log line is JSON in Production, like every other one.
        var line = Assert.Single(run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("Start-up refused", StringComparison.Ordinal));
        Assert.StartsWith("{", line, StringComparison.Ordinal);
        Assert.Contains(named, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_unknown_time_zone_When_the_app_starts_Then_it_refuses_naming_App_TimeZone()
    {
        var run = await RunAsync("Testing", new() { ["ConnectionStrings__Default"] = "Host=127.0.0.1;Port=1;Database=x;Username=x", ["App__TimeZone"] = "Asia/Beijing" });

        Assert.Equal(StartupRefusal.ConfigurationExitCode, run.ExitCode);
        Assert.Contains("App:TimeZone", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("Asia/Beijing", run.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(run);
    }

    [Fact]
    public async Task Given_no_connection_string_When_the_app_starts_Then_it_refuses_in_one_line_without_a_stack_trace()
    {
        var run = await RunAsync("Production", new(ProductionMail));

        Assert.Equal(StartupRefusal.ConfigurationExitCode, run.ExitCode);
        Assert.Contains("ConnectionStrings:Default", run.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(run);
    }

    [Fact]
    public async Task Given_an_unmigrated_database_and_Node_Migrate_false_When_a_jobs_node_starts_Then_it_refuses_naming_the_migrate_command()
    {
        await using var database = await TestDatabase.CreateAsync();
        var run = await RunAsync("Testing", new()
        {
            ["ConnectionStrings__Default"] = database.ConnectionString,
            ["Node__Migrate"] = "false",
            ["Node__Web"] = "false",
            ["Node__Jobs"] = "true",
        });

        Assert.Equal(StartupRefusal.NotReadyExitCode, run.ExitCode);
        Assert.Matches(@"\d+ migrations pending", run.Stderr);
        Assert.Contains("--migrate-only", run.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(run);
        Assert.DoesNotContain("qrtz", run.Stdout + run.Stderr, StringComparison.OrdinalIgnoreCase); // refused before Quartz started
    }

    [Fact]
    public async Task Given_a_database_missing_a_migration_Then_healthz_is_unhealthy_and_a_node_without_Migrate_refuses_to_start()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var running = new AppFactory(database.ConnectionString);
        _ = running.Server;
        await database.ScalarAsync<int>("""
            WITH gone AS (DELETE FROM budgeteval.__ef_migrations_history
                          WHERE "MigrationId" = (SELECT max("MigrationId") FROM budgeteval.__ef_migrations_history) RETURNING 1)
            SELECT count(*)::int FROM gone
            """);

        // A node that reached serving on such a database says so on /healthz ...
        using var client = running.CreateClient();
        var health = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("Unhealthy", await health.Content.ReadAsStringAsync());
        var check = await new SchemaHealthCheck(running.Services).CheckHealthAsync(new HealthCheckContext());
        Assert.Contains("--migrate-only", check.Description, StringComparison.Ordinal);

        // ... and a node told not to migrate refuses to start on it.
        await using var node = new AppFactory(database.ConnectionString, new Dictionary<string, string?> { ["Node:Migrate"] = "false" });
        var refused = Assert.ThrowsAny<Exception>(() => node.Server);
        Assert.Contains("1 migrations pending", refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_AllowedHosts_When_a_local_probe_asks_healthz_by_address_Then_it_passes_and_a_foreign_host_is_refused()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var node = new AppFactory(database.ConnectionString, new Dictionary<string, string?> { ["AllowedHosts"] = "jixiao.example.gov.cn" });
        using var client = node.CreateClient();

        foreach (var host in new[] { "127.0.0.1:8080", "localhost", "jixiao.example.gov.cn" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
            request.Headers.Host = host;
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
        }

        using var foreign = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        foreign.Headers.Host = "evil.example.com";
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(foreign)).StatusCode);
    }

    [Fact]
    public async Task Given_a_node_with_another_certificate_When_it_starts_on_a_shared_key_ring_Then_it_refuses_naming_DataProtection_CertificatePath()
    {
        var pfxA = MakePfx();
        var pfxB = MakePfx();
        try
        {
            await using var database = await TestDatabase.CreateAsync();
            await using var nodeA = new AppFactory(database.ConnectionString, new Dictionary<string, string?> { ["DataProtection:CertificatePath"] = pfxA, ["DataProtection:CertificatePassword"] = "pw" });
            using (var client = nodeA.CreateClient())
            {
                (await client.GetAsync("/login")).EnsureSuccessStatusCode(); // the antiforgery token makes the first key
            }

            Assert.True(await database.ScalarAsync<long>("SELECT count(*) FROM budgeteval.data_protection_keys") > 0);
            await using var nodeB = new AppFactory(database.ConnectionString, new Dictionary<string, string?>
            {
                ["DataProtection:CertificatePath"] = pfxB, ["DataProtection:CertificatePassword"] = "pw", ["Node:Migrate"] = "false",
            });
            var refused = Assert.ThrowsAny<Exception>(() => nodeB.Server);
            Assert.Contains("DataProtection:CertificatePath", refused.ToString(), StringComparison.Ordinal);
            Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM budgeteval.data_protection_keys")); // it wrote no key of its own

            // The right certificate still starts.
            await using var nodeC = new AppFactory(database.ConnectionString, new Dictionary<string, string?>
            {
                ["DataProtection:CertificatePath"] = pfxA, ["DataProtection:CertificatePassword"] = "pw", ["Node:Migrate"] = "false",
            });
            _ = nodeC.Server;
        }
        finally
        {
            File.Delete(pfxA);
            File.Delete(pfxB);
        }
    }

    [Fact]
    public async Task Given_create_admin_When_misused_Then_it_prints_usage_or_refuses_and_creates_nothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var env = new Dictionary<string, string>
        {
            ["ConnectionStrings__Default"] = database.ConnectionString,
            [CreateAdminCommand.PasswordVariable] = "short",
        };

        var usage = await RunAsync("Testing", env, "--create-admin");
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("usage:", usage.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(usage);

        // A weak password on a new name: neither the bureau nor the user exists afterwards.
        var weak = await RunAsync("Testing", env, "--create-admin", "admin", "新区财政局");
        Assert.Equal(1, weak.ExitCode);
        Assert.Contains("Nothing was created", weak.Stderr, StringComparison.Ordinal);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM budgeteval.organisations"));

        env[CreateAdminCommand.PasswordVariable] = "Strong-Pass-2026!";
        var created = await RunAsync("Testing", env, "--create-admin", "admin", "新区财政局");
        Assert.True(created.ExitCode == 0, created.Stderr + created.Stdout);

        // A mistyped bureau name names the existing bureau instead of making a second one.
        var typo = await RunAsync("Testing", env, "--create-admin", "admin2", "新区财政厅");
        Assert.Equal(1, typo.ExitCode);
        Assert.Contains("新区财政局", typo.Stderr, StringComparison.Ordinal);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM budgeteval.organisations WHERE \"Kind\" = 'FinanceBureau'"));

        // A budget unit's name: the administrator must belong to the bureau.
        await database.ScalarAsync<int>("""
            INSERT INTO budgeteval.organisations ("Id", "Name", "Kind", "IsActive", "CreatedAt") VALUES (gen_random_uuid(), '某某中心', 'BudgetUnit', true, now()) RETURNING 1
            """);
        var unit = await RunAsync("Testing", env, "--create-admin", "admin3", "某某中心");
        Assert.Equal(1, unit.ExitCode);
        Assert.Contains("finance bureau", unit.Stderr, StringComparison.Ordinal);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM budgeteval.users"));
    }

    internal static void AssertNoStackTrace((int ExitCode, string Stdout, string Stderr) run)
    {
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", run.Stderr, StringComparison.Ordinal);
    }

    /// <summary>`dotnet BudgetEval.Web.dll` in the given environment until it exits (it is expected to).</summary>
    internal static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string environment, Dictionary<string, string> settings, params string[] args)
    {
        var webDir = RepositoryFiles.PathOf("src/BudgetEval.Web");
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(webDir, "bin", configuration, "net10.0", "BudgetEval.Web.dll");
        var psi = new ProcessStartInfo("dotnet", [dll, "--urls", "http://127.0.0.1:0", .. args])
        {
            WorkingDirectory = webDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        foreach (var (key, value) in settings)
        {
            psi.Environment[key] = value;
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the app did not exit:\n{await stdout}\n{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static string MakePfx()
    {
        var path = Path.Combine(Path.GetTempPath(), $"budgeteval-dp-{Guid.NewGuid():N}.pfx");
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=BudgetEval keys (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, "pw"));
        return path;
    }
}
