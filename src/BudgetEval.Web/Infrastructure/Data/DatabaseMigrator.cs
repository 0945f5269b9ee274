using BudgetEval.Web.Demo;
using BudgetEval.Web.Infrastructure.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BudgetEval.Web.Infrastructure.Data;

/// <summary>
/// Applies migrations (and the demo seed, when enabled) before the node serves anything. Several nodes
/// may start at once: they queue on one PostgreSQL advisory lock, so exactly one migrates and the
/// others find nothing left to do. Run at start-up by Hosting.DatabaseReadiness (when Node:Migrate is true)
/// and by --migrate-only.
/// </summary>
internal sealed class DatabaseMigrator(
    IServiceScopeFactory scopes,
    IOptions<DemoOptions> demo,
    IHostEnvironment environment,
    ILogger<DatabaseMigrator> logger)
{
    // Any constant will do; it only has to be the same on every node ("BudgetEv" in ASCII).
    internal const long AdvisoryLockKey = 0x4275646765744576;

    private static async Task<bool> HistoryTableMissingAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT to_regclass('{AppDbContext.Schema}.__ef_migrations_history') IS NULL", connection);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        if (demo.Value.Seed && environment.IsProduction())
        {
            throw new InvalidOperationException("Demo:Seed is true in the Production environment; demo logins must never exist in production. Set Demo:Seed to false.");
        }

        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var connectionString = db.Database.GetConnectionString()
            ?? throw new InvalidOperationException("ConnectionStrings:Default is not set.");

        // The lock lives on its own connection so that EF's migration connections are unaffected.
        await using var lockConnection = new NpgsqlConnection(connectionString);
        await lockConnection.OpenAsync(cancellationToken);
        await using (var cmd = new NpgsqlCommand("SELECT pg_advisory_lock(@k)", lockConnection))
        {
            cmd.Parameters.AddWithValue("k", AdvisoryLockKey);
            logger.LogInformation("Waiting for the migration lock");
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            // On an empty database EF would log a failed query for the missing history table; ask first.
            var fresh = await HistoryTableMissingAsync(lockConnection, cancellationToken);
            if (fresh)
            {
                await using var create = new NpgsqlCommand($"CREATE SCHEMA IF NOT EXISTS {AppDbContext.Schema}", lockConnection);
                await create.ExecuteNonQueryAsync(cancellationToken);
                await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
            }

            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                logger.LogInformation("Applying {Count} migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
                await db.Database.MigrateAsync(cancellationToken);
            }
            else
            {
                logger.LogInformation("Database schema is up to date");
            }

            if (demo.Value.Seed)
            {
                await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(cancellationToken);
            }
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@k)", lockConnection);
            unlock.Parameters.AddWithValue("k", AdvisoryLockKey);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
