using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace BudgetEval.Tests.Jobs;

public sealed class SchedulerTests
{
    private static readonly Dictionary<string, string?> JobsOn = new() { ["Node:Jobs"] = "true" };

    [Fact]
    public async Task Given_two_jobs_nodes_on_one_database_When_they_start_Then_both_join_one_cluster_and_the_schedule_exists_once()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var first = new AppFactory(database.ConnectionString, JobsOn);
        await using var second = new AppFactory(database.ConnectionString, JobsOn);
        await Task.WhenAll(Task.Run(() => first.Server), Task.Run(() => second.Server)).WaitAsync(TimeSpan.FromSeconds(120));

        // Each node checks in with its own instance id under the one scheduler name.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        long nodes = 0;
        while (DateTime.UtcNow < deadline && (nodes = await database.ScalarAsync<long>(
                   $"SELECT count(DISTINCT instance_name) FROM budgeteval.qrtz_scheduler_state WHERE sched_name = '{JobsSetup.SchedulerName}'")) < 2)
        {
            await Task.Delay(250);
        }

        Assert.Equal(2, nodes);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM budgeteval.qrtz_triggers WHERE trigger_name = 'housekeeping-nightly'"));
    }

    [Fact]
    public void Given_two_nodes_with_one_name_started_in_the_same_millisecond_When_they_take_instance_ids_Then_the_ids_differ()
    {
        // Twenty ids in a row mostly share one millisecond; the cluster needs each to be its own.
        var ids = Enumerable.Range(0, 20).Select(_ => JobsSetup.InstanceIdFor("web1")).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.StartsWith("web1-", id));
    }

    [Fact]
    public async Task Given_a_web_only_node_When_it_starts_Then_it_runs_no_scheduler()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var node = new AppFactory(database.ConnectionString); // Node:Jobs=false
        _ = node.Server;
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_name = 'qrtz_scheduler_state'"));
    }

    [Fact]
    public async Task Given_an_old_expired_key_and_a_current_one_When_housekeeping_runs_Then_only_the_old_one_is_removed()
    {
        await using var node = await HousekeepingNode.StartAsync();
        var (db, job) = (node.Db, node.Job);
        db.DataProtectionKeys.Add(new DataProtectionKeyRow { FriendlyName = "old", Xml = KeyXml(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero)) });
        db.DataProtectionKeys.Add(new DataProtectionKeyRow { FriendlyName = "recent", Xml = KeyXml(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero)) });
        db.DataProtectionKeys.Add(new DataProtectionKeyRow { FriendlyName = "unreadable", Xml = "<key><expirationDate>not a date" + "</expirationDate></key>" });
        await db.SaveChangesAsync();

        var removed = await job.RemoveExpiredKeysAsync(CancellationToken.None);

        Assert.Equal(1, removed);
        var left = await db.DataProtectionKeys.AsNoTracking().Select(k => k.FriendlyName).ToListAsync();
        Assert.DoesNotContain("old", left);
        Assert.Contains("recent", left);
        Assert.Contains("unreadable", left);
    }

    [Fact]
    public async Task Given_idempotency_records_older_and_younger_than_30_days_When_housekeeping_runs_Then_only_the_old_ones_go()
    {
        await using var node = await HousekeepingNode.StartAsync();
        var (db, clock, job) = (node.Db, node.Clock, node.Job);
        var user = Guid.NewGuid();
        foreach (var (key, days) in new[] { ("old", 31), ("recent", 29) })
        {
            db.IdempotencyKeys.Add(new BudgetEval.Web.Workflows.IdempotencyKey { Key = key, UserId = user, InstanceId = Guid.Empty, StatusCode = 200, ResponseJson = "{}", CreatedAt = clock.GetUtcNow().AddDays(-days) });
        }

        await db.SaveChangesAsync();

        Assert.Equal(1, await job.PurgeIdempotencyAsync(CancellationToken.None));
        Assert.Equal(["recent"], await db.IdempotencyKeys.AsNoTracking().Where(k => k.UserId == user).Select(k => k.Key).ToListAsync());
    }

    [Fact]
    public async Task Given_job_runs_older_and_younger_than_30_days_When_housekeeping_runs_Then_old_ones_go_but_each_jobs_latest_stays()
    {
        await using var node = await HousekeepingNode.StartAsync();
        var (db, clock, job) = (node.Db, node.Clock, node.Job);
        foreach (var (name, days) in new[] { ("sweep", 40), ("sweep", 31), ("sweep", 2), ("yearly", 200), ("yearly", 100) })
        {
            db.JobRuns.Add(new BudgetEval.Web.Infrastructure.Jobs.JobRun { Job = name, Node = "test", StartedAt = clock.GetUtcNow().AddDays(-days), Succeeded = true, Detail = $"{days}" });
            await db.SaveChangesAsync(); // one at a time: ids follow the order of the runs
        }

        Assert.Equal(3, await job.PurgeJobRunsAsync(CancellationToken.None));
        // The sweep keeps its recent run; a job that ran 100 days ago keeps that run, its 上次执行 on the dashboard.
        Assert.Equal(["sweep 2", "yearly 100"], await db.JobRuns.AsNoTracking().Where(r => r.Node == "test").OrderBy(r => r.Job).Select(r => r.Job + " " + r.Detail).ToListAsync());
    }

    /// <summary>A node on a database of its own, its clock at 2026-11-01, and its housekeeping job: the clean-up tests' start.</summary>
    private sealed class HousekeepingNode : IAsyncDisposable
    {
        private TestDatabase _database = null!;
        private AppFactory _app = null!;
        private IServiceScope _scope = null!;

        public TestClock Clock { get; } = new(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));

        public AppDbContext Db { get; private set; } = null!;

        public HousekeepingJob Job { get; private set; } = null!;

        public static async Task<HousekeepingNode> StartAsync()
        {
            var node = new HousekeepingNode { _database = await TestDatabase.CreateAsync() };
            node._app = new AppFactory(node._database.ConnectionString, clock: node.Clock);
            _ = node._app.Server;
            node._scope = node._app.Services.CreateScope();
            node.Db = node._scope.ServiceProvider.GetRequiredService<AppDbContext>();
            node.Job = ActivatorUtilities.CreateInstance<HousekeepingJob>(node._scope.ServiceProvider, node.Db, node.Clock,
                Microsoft.Extensions.Options.Options.Create(new BudgetEval.Web.Infrastructure.Hosting.AuditOptions()), NullLogger<HousekeepingJob>.Instance);
            return node;
        }

        public async ValueTask DisposeAsync()
        {
            _scope.Dispose();
            await _app.DisposeAsync();
            await _database.DisposeAsync();
        }
    }

    private static string KeyXml(DateTimeOffset expires) =>
        $"<key id=\"{Guid.NewGuid()}\" version=\"1\"><creationDate>{expires.AddDays(-90):O}</creationDate><activationDate>{expires.AddDays(-88):O}</activationDate><expirationDate>{expires:O}</expirationDate></key>";
}
