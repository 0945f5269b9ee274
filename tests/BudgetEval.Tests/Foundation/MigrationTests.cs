using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BudgetEval.Tests.Foundation;

public sealed class MigrationTests
{
    [Fact]
    public async Task Given_an_empty_database_When_the_app_starts_Then_every_migration_is_applied_in_schema_budgeteval()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var app = new AppFactory(database.ConnectionString);
        _ = app.Server;

        using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        var applied = await database.ScalarAsync<long>("SELECT count(*) FROM budgeteval.__ef_migrations_history");
        Assert.Equal(db.Database.GetMigrations().Count(), (int)applied);
        Assert.True(await database.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'budgeteval' AND table_name IN ('organisations','users','roles','data_protection_keys')") == 4);
        Assert.Equal(6L, await database.ScalarAsync<long>("SELECT count(*) FROM budgeteval.roles"));
    }

    [Fact]
    public async Task Given_another_node_holds_the_migration_lock_When_a_node_starts_Then_it_waits_and_starts_once_the_lock_is_free()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var holder = new NpgsqlConnection(database.ConnectionString);
        await holder.OpenAsync();
        await Exec(holder, $"SELECT pg_advisory_lock({DatabaseMigrator.AdvisoryLockKey})");

        await using var app = new AppFactory(database.ConnectionString);
        var start = Task.Run(() => app.Server);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(start.IsCompleted, "the node must wait for the lock instead of migrating alongside another node");
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'budgeteval'"));

        await Exec(holder, $"SELECT pg_advisory_unlock({DatabaseMigrator.AdvisoryLockKey})");
        await start.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(7L, await database.ScalarAsync<long>("SELECT count(*) FROM budgeteval.users"));
    }

    [Fact]
    public async Task Given_an_empty_database_When_two_nodes_start_at_the_same_time_Then_both_start_and_the_demo_data_exists_once()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var first = new AppFactory(database.ConnectionString);
        await using var second = new AppFactory(database.ConnectionString);

        await Task.WhenAll(Task.Run(() => first.Server), Task.Run(() => second.Server)).WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(7L, await database.ScalarAsync<long>("SELECT count(*) FROM budgeteval.users"));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM budgeteval.organisations WHERE \"Name\" = '长沙市望城区财政局'"));
        using var client = first.CreateClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Given_demo_seeding_in_Production_When_the_app_starts_Then_start_up_is_refused()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var app = new ProductionFactory(database.ConnectionString);

        var error = Assert.ThrowsAny<Exception>(() => app.Server);
        Assert.Contains("Demo:Seed", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'budgeteval'"));
    }

    private static async Task Exec(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private sealed class ProductionFactory(string cs) : Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("ConnectionStrings:Default", cs);
            builder.UseSetting("Demo:Seed", "true");
            builder.UseSetting("Node:Jobs", "false");
        }
    }
}
