using System.Diagnostics;
using BudgetEval.Tests.Infrastructure;
using Npgsql;

namespace BudgetEval.Tests.Deployment;

/// <summary>deploy/backup.sh and deploy/restore.sh on a real seeded database with cases and history.</summary>
public sealed class BackupRestoreTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly string[] Tables =
        ["organisations", "users", "user_roles_count", "workflow_instances", "workflow_history", "work_items", "self_evaluations", "data_protection_keys"];

    [Fact]
    public async Task Given_a_seeded_database_with_a_case_When_backed_up_and_restored_into_a_new_database_Then_everything_is_there()
    {
        // Some history to carry: a case created and submitted through the engine.
        using var unit = await app.ApiAsync("unit");
        var created = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(unit, "/api/self-evaluations",
            new { title = "备份测试自评", fiscalYear = 2025, deadline = "2026-12-31", summary = "概述", totalBudget = 10m });
        created.EnsureSuccessStatusCode();

        var before = await CountsAsync(app.Database.ConnectionString);
        Assert.True(before["workflow_history"] > 0);

        var dump = Path.Combine(Path.GetTempPath(), $"budgeteval-{Guid.NewGuid():N}.dump");
        await using var target = await TestDatabase.CreateAsync();
        try
        {
            await RunAsync("deploy/backup.sh", Conninfo(app.Database.ConnectionString), dump);
            await RunAsync("deploy/restore.sh", Conninfo(target.ConnectionString), dump);
            Assert.Equal(before, await CountsAsync(target.ConnectionString));

            // The restored history still verifies end to end (hashes survive byte for byte).
            var mismatched = await target.ScalarAsync<long>("""
                SELECT count(*) FROM budgeteval.workflow_instances i
                WHERE i."HistoryHash" <> (SELECT h."Hash" FROM budgeteval.workflow_history h WHERE h."InstanceId" = i."Id" ORDER BY h."Seq" DESC LIMIT 1)
                """);
            Assert.Equal(0, mismatched);
        }
        finally
        {
            File.Delete(dump);
        }
    }

    [Fact]
    public async Task Given_a_database_that_is_not_empty_When_restoring_into_it_Then_the_restore_fails_and_changes_nothing()
    {
        var dump = Path.Combine(Path.GetTempPath(), $"budgeteval-{Guid.NewGuid():N}.dump");
        try
        {
            await RunAsync("deploy/backup.sh", Conninfo(app.Database.ConnectionString), dump);
            var before = await CountsAsync(app.Database.ConnectionString);
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync("deploy/restore.sh", Conninfo(app.Database.ConnectionString), dump));
            Assert.Contains("exit", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, await CountsAsync(app.Database.ConnectionString));
        }
        finally
        {
            File.Delete(dump);
        }
    }

    [Fact]
    public async Task Given_an_other_table_in_the_target_When_restoring_Then_refused_before_anything_is_added()
    {
        var dump = Path.Combine(Path.GetTempPath(), $"budgeteval-{Guid.NewGuid():N}.dump");
        await using var target = await TestDatabase.CreateAsync();
        try
        {
            await target.ScalarAsync<int>("CREATE TABLE public.precious (v int); INSERT INTO public.precious VALUES (42); SELECT 1");
            await RunAsync("deploy/backup.sh", Conninfo(app.Database.ConnectionString), dump);

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync("deploy/restore.sh", Conninfo(target.ConnectionString), dump));

            Assert.Contains("the target database is not empty", error.Message, StringComparison.Ordinal);
            Assert.Equal(42, await target.ScalarAsync<int>("SELECT v FROM public.precious"));
            Assert.Equal(0L, await target.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'budgeteval'"));
        }
        finally
        {
            File.Delete(dump);
        }
    }

    [Fact]
    public async Task Given_the_apps_own_login_as_RESTORE_ROLE_When_a_superuser_restores_Then_that_login_can_read_everything()
    {
        var role = "app_" + Guid.NewGuid().ToString("N")[..12];
        var dump = Path.Combine(Path.GetTempPath(), $"budgeteval-{Guid.NewGuid():N}.dump");
        await using (var target = await TestDatabase.CreateAsync())
        {
            try
            {
                await target.ScalarAsync<int>($"CREATE ROLE {role} LOGIN; ALTER DATABASE \"{target.Name}\" OWNER TO {role}; SELECT 1");
                await RunAsync("deploy/backup.sh", Conninfo(app.Database.ConnectionString), dump);
                await RunAsync("deploy/restore.sh", [Conninfo(target.ConnectionString), dump], ("RESTORE_ROLE", role));

                // The app connects as its own login, not as the superuser that restored.
                var asApp = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Username = role, Pooling = false }.ConnectionString;
                Assert.Equal(await CountsAsync(app.Database.ConnectionString), await CountsAsync(asApp));
            }
            finally
            {
                File.Delete(dump);
            }
        }

        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP ROLE {role}", conn);
        await drop.ExecuteNonQueryAsync();
    }

    private static string Conninfo(string npgsql)
    {
        var b = new NpgsqlConnectionStringBuilder(npgsql);
        return $"host={b.Host} port={b.Port} dbname={b.Database} user={b.Username}";
    }

    private static async Task<Dictionary<string, long>> CountsAsync(string connectionString)
    {
        var counts = new Dictionary<string, long>();
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        foreach (var table in Tables)
        {
            var sql = table == "user_roles_count" ? "SELECT count(*) FROM budgeteval.\"AspNetUserRoles\"" : $"SELECT count(*) FROM budgeteval.{table}";
            await using var cmd = new NpgsqlCommand(sql, conn);
            counts[table] = (long)(await cmd.ExecuteScalarAsync())!;
        }

        return counts;
    }

    private static Task RunAsync(string script, params string[] args) => RunAsync(script, args, []);

    private static async Task RunAsync(string script, string[] args, params (string Name, string Value)[] environment)
    {
        var psi = new ProcessStartInfo("bash", [RepositoryFiles.PathOf(script), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            psi.Environment[name] = value;
        }

        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} exit {p.ExitCode}: {output}");
        }
    }
}
