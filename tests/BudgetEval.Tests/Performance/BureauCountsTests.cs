using System.Globalization;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using Npgsql;

namespace BudgetEval.Tests.Performance;

/// <summary>
/// The bureau's 待办 and home counts are reused for Figures:RefreshSeconds and say when they were counted;
/// after that age one view starts a recount and the next views show the database's numbers again. A unit's
/// counts stay live. Checked against SQL written here, with the app's clock moved by the test.
/// </summary>
public sealed partial class BureauCountsTests : IAsyncLifetime
{
    private readonly AppFixture _app = new()
    {
        Settings = new Dictionary<string, string?> { ["Figures:RefreshSeconds"] = "30", ["Dashboards:CacheSeconds"] = "30" },
    };

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Given_bureau_counts_When_work_arrives_Then_they_stay_until_the_refresh_age_and_then_equal_the_database()
    {
        var bureau = await _app.OrganisationIdAsync(DemoSeeder.BureauName);
        await AddOpenItemsAsync(bureau, "FinanceOfficer", overdue: 3, later: 2);
        using var finance = await _app.SignInAsync("finance");
        var first = _app.Clock.GetUtcNow();

        var inbox = await finance.GetStringAsync("/inbox");
        var expected = await SqlCountsAsync(bureau, "FinanceOfficer");
        Assert.Equal(5, expected.Open);
        Assert.Equal(expected, InboxCounts(inbox));
        Assert.Equal(Beijing(first), CountedAt(inbox));

        var home = await finance.GetStringAsync("/");
        Assert.Equal(expected.Open, Tiles.Value(home, "inbox-open"));
        Assert.Equal(expected.Overdue, Tiles.Value(home, "inbox-overdue"));
        Assert.Equal(await UnitsAsync(), Tiles.Value(home, "bureau-units"));
        Assert.Equal(Beijing(first), CountedAt(home));

        // Work arrives: within the age the page still shows the counted figures, with their time.
        await AddOpenItemsAsync(bureau, "FinanceOfficer", overdue: 1, later: 3);
        await AddUnitAsync();
        _app.Clock.Advance(TimeSpan.FromSeconds(29));
        inbox = await finance.GetStringAsync("/inbox");
        Assert.Equal(expected, InboxCounts(inbox));
        Assert.Equal(Beijing(first), CountedAt(inbox));

        // Older than the age: the next views recount in the background, then show the database's numbers.
        _app.Clock.Advance(TimeSpan.FromSeconds(2));
        var refreshed = _app.Clock.GetUtcNow();
        var fresh = await SqlCountsAsync(bureau, "FinanceOfficer");
        Assert.Equal(9, fresh.Open);
        inbox = await Eventually.ReadAsync(() => finance.GetStringAsync("/inbox"), page => InboxCounts(page) == fresh);
        Assert.Equal(fresh, InboxCounts(inbox));
        Assert.Equal(Beijing(refreshed), CountedAt(inbox));
        home = await Eventually.ReadAsync(() => finance.GetStringAsync("/"), page => Tiles.Value(page, "bureau-units") == 12);
        Assert.Equal(await UnitsAsync(), Tiles.Value(home, "bureau-units"));
        Assert.Equal(fresh.Open, Tiles.Value(home, "inbox-open"));

        // The dashboard says when its figures were computed, too.
        Assert.Equal(Beijing(refreshed), CountedAt(await finance.GetStringAsync("/dashboards")));
    }

    [Fact]
    public async Task Given_a_unit_queue_When_work_arrives_Then_its_counts_are_live_and_carry_no_time()
    {
        var unit = await _app.SocialGovernanceCentreAsync();
        using var filler = await _app.SignInAsync("unit");
        var before = InboxCounts(await filler.GetStringAsync("/inbox"));
        await AddOpenItemsAsync(unit, "UnitFiller", overdue: 1, later: 1);

        var inbox = await filler.GetStringAsync("/inbox");
        Assert.Equal(before.Open + 2, InboxCounts(inbox).Open);
        Assert.Equal(await SqlCountsAsync(unit, "UnitFiller"), InboxCounts(inbox));
        Assert.Null(CountedAt(inbox));
        Assert.Null(CountedAt(await filler.GetStringAsync("/")));
    }

    private readonly record struct Counts(int Open, int Overdue, int Soon);

    private static Counts InboxCounts(string page) => new(Tiles.Value(page, "inbox-total"), Tiles.Value(page, "inbox-overdue"), Tiles.Value(page, "inbox-soon"));

    private static string? CountedAt(string page) => CountedAtPattern().Match(page) is { Success: true } m ? m.Groups[1].Value : null;

    private static string Beijing(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(8)).ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    private NpgsqlConnection Open()
    {
        var conn = new NpgsqlConnection(_app.Database.ConnectionString);
        conn.Open();
        return conn;
    }

    /// <summary>Open items in a role queue, copied from one of the seeded cases (what counts is the queue, not the case).</summary>
    private async Task AddOpenItemsAsync(Guid organisation, string role, int overdue, int later)
    {
        await using var conn = Open();
        var now = _app.Clock.GetUtcNow();
        foreach (var due in Enumerable.Repeat(now.AddDays(-2), overdue).Concat(Enumerable.Repeat(now.AddDays(2), later)))
        {
            await using var cmd = new NpgsqlCommand("""
                INSERT INTO budgeteval.work_items ("Id", "InstanceId", "State", "StateLabel", "Title", "AssigneeRole", "AssigneeOrganisationId",
                    "CaseOrganisationId", "DueAt", "Status", "CreatedAt")
                SELECT gen_random_uuid(), "InstanceId", 'test_queue', '测试环节', '测试事项', @role, @org, @org, @due, 'Open', @now
                FROM budgeteval.work_items LIMIT 1
                """, conn);
            cmd.Parameters.AddWithValue("role", role);
            cmd.Parameters.AddWithValue("org", organisation);
            cmd.Parameters.AddWithValue("due", due);
            cmd.Parameters.AddWithValue("now", now);
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }
    }

    /// <summary>The counts written independently of the app: open items of the role queue (no personal ones exist here).</summary>
    private async Task<Counts> SqlCountsAsync(Guid organisation, string role)
    {
        await using var conn = Open();
        await using var cmd = new NpgsqlCommand("""
            SELECT count(*), count(*) FILTER (WHERE "DueAt" < @now), count(*) FILTER (WHERE "DueAt" >= @now AND "DueAt" < @soon)
            FROM budgeteval.work_items
            WHERE "Status" = 'Open' AND "AssigneeOrganisationId" = @org AND "AssigneeRole" = @role AND "AssigneeUserId" IS NULL
            """, conn);
        var now = _app.Clock.GetUtcNow();
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("soon", now.AddDays(3));
        cmd.Parameters.AddWithValue("org", organisation);
        cmd.Parameters.AddWithValue("role", role);
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        return new((int)r.GetInt64(0), (int)r.GetInt64(1), (int)r.GetInt64(2));
    }

    private async Task<int> UnitsAsync()
    {
        await using var conn = Open();
        await using var cmd = new NpgsqlCommand("""SELECT count(*) FROM budgeteval.organisations WHERE "IsActive" AND "Kind" = 'BudgetUnit'""", conn);
        return (int)(long)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task AddUnitAsync()
    {
        await using var conn = Open();
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO budgeteval.organisations ("Id", "Name", "ShortName", "Kind", "IsActive", "CreatedAt")
            VALUES (gen_random_uuid(), '测试新增单位', '测试单位', 'BudgetUnit', true, now())
            """, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    [GeneratedRegex("data-testid=\"counted-at\"[^>]*>统计于 (\\d{2}:\\d{2}:\\d{2})<")]
    private static partial Regex CountedAtPattern();
}
