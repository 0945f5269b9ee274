using System.Text.RegularExpressions;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.RectificationWalk;
using BudgetEval.Tests.Reminders;
using BudgetEval.Web.Findings;
using BudgetEval.Web.Rectifications;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Rectifications;

/// <summary>
/// A result the unit reported by the deadline is not 逾期 while the bureau verifies it (the bureau's delay is not the
/// unit's): on the unit's list, the finding page, the API, the dashboards and 结果应用. Reported late, sent back
/// (未通过), or back with a new deadline (部分整改), the rule is the deadline's again.
/// </summary>
public sealed class OnTimeResultTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string OnTimeMark = "data-testid=\"finding-reported-on-time\"";

    private const string OverdueMark = "data-testid=\"finding-overdue\"";

    private static readonly DateOnly Deadline = new(2026, 3, 10);

    [Fact]
    public async Task Given_a_result_reported_before_the_deadline_When_the_deadline_passes_in_verification_Then_it_is_not_overdue_until_the_bureau_returns_it()
    {
        app.Clock.Set(AppFactory.DefaultNow); // 2026-03-02: the result goes in eight days early
        var (id, caseId) = await Api().RegisterAsync(2021, "财务管理", "专项资金未专账核算", "区审计局审计发现。", "Audit", "望审〔2026〕7号", Deadline);
        await Api().PlanAndReportAsync(id, caseId);
        Assert.Equal(new DateOnly(2026, 3, 2), RectificationApi.Date((await Api().FindingAsync("unit", id)).GetProperty("rectification").GetProperty("resultReportedOn")));

        app.Clock.Set(ReminderTestKit.Beijing(2026, 3, 20)); // ten days past the deadline, the bureau has not verified yet
        var waiting = await ReadAsync(id, "专项资金未专账核算");
        Assert.False(waiting.Api, "API: overdue while the bureau verifies a result reported on time");
        Assert.Contains(OnTimeMark, waiting.ListRow, StringComparison.Ordinal);
        Assert.DoesNotContain(OverdueMark, waiting.ListRow, StringComparison.Ordinal);
        Assert.Contains(FindingOverdue.ReportedOnTimeLabel, waiting.Page, StringComparison.Ordinal);
        Assert.DoesNotContain(OverdueMark, waiting.Page, StringComparison.Ordinal);
        Assert.DoesNotContain(id, waiting.BureauList);
        Assert.False(waiting.UnitDashboard, "the unit's dashboard marks it overdue");
        Assert.Contains(FindingOverdue.ReportedOnTimeLabel, waiting.UnitDashboardRow, StringComparison.Ordinal);
        using (var finance = await app.SignInAsync("finance")) // the officer verifying sees why it is not late
        {
            Assert.Contains("整改期限： 2026年3月10日 已按期报送，待财政核验", RectificationPages.Text(await finance.GetStringAsync($"/cases/{caseId}")), StringComparison.Ordinal);
        }

        // 未通过 after the deadline: back with the unit, which is late again; every figure counts it once more.
        await Api().Cases.FireOkAsync("finance", caseId, "return", "佐证材料不足，请补充专账凭证。");
        var returned = await ReadAsync(id, "专项资金未专账核算");
        Assert.Null((await Api().FindingAsync("unit", id)).GetProperty("rectification").GetProperty("resultReportedOn").GetString());
        Assert.True(returned.Api);
        Assert.Contains(OverdueMark, returned.ListRow, StringComparison.Ordinal);
        Assert.DoesNotContain(OnTimeMark, returned.Page, StringComparison.Ordinal);
        Assert.Contains(OverdueMark, returned.Page, StringComparison.Ordinal);
        Assert.Contains(id, returned.BureauList);
        Assert.True(returned.UnitDashboard);
        Assert.Equal(waiting.BureauCount + 1, returned.BureauCount);
        Assert.Equal(waiting.FunnelCount + 1, returned.FunnelCount);
        Assert.Equal(waiting.ResultsCount + 1, returned.ResultsCount);
    }

    [Fact]
    public async Task Given_a_result_reported_after_the_deadline_When_the_bureau_has_not_verified_yet_Then_it_stays_overdue()
    {
        app.Clock.Set(AppFactory.DefaultNow);
        var (id, caseId) = await Api().RegisterAsync(2021, "财务管理", "往来款项长期挂账", "区审计局审计发现。", "Audit", "望审〔2026〕8号", Deadline);
        await Api().PlanAsync(id, caseId);

        app.Clock.Set(ReminderTestKit.Beijing(2026, 3, 12)); // two days late
        await Api().ReportAsync(id, caseId, "清理报告.pdf");
        Assert.Equal("verifying", await Api().Cases.StateAsync(caseId));

        app.Clock.Set(ReminderTestKit.Beijing(2026, 3, 13));
        var late = await ReadAsync(id, "往来款项长期挂账");
        Assert.True(late.Api);
        Assert.Contains(OverdueMark, late.ListRow, StringComparison.Ordinal);
        Assert.DoesNotContain(OnTimeMark, late.Page, StringComparison.Ordinal);
        Assert.Contains(id, late.BureauList);
        Assert.True(late.UnitDashboard);
    }

    [Fact]
    public async Task Given_partial_rectification_with_a_new_deadline_When_dates_pass_Then_the_new_deadline_governs()
    {
        app.Clock.Set(AppFactory.DefaultNow);
        var (id, caseId) = await Api().RegisterAsync(2021, "财务管理", "公务接待超标准", "区审计局审计发现。", "Audit", "望审〔2026〕9号", Deadline);
        await Api().PlanAndReportAsync(id, caseId);

        // Past the first deadline, the bureau finds part done and gives until 30 April for the rest.
        app.Clock.Set(ReminderTestKit.Beijing(2026, 3, 20));
        await Api().PutOkAsync("finance", $"/api/findings/{id}/next-deadline", new { deadline = "2026-04-30", stamp = await Api().StampAsync("finance", id) });
        await Api().Cases.FireOkAsync("finance", caseId, "partial", "已退回超标准部分，制度尚未修订。");
        var partial = await ReadAsync(id, "公务接待超标准");
        Assert.False(partial.Api, "overdue by the old deadline after 部分整改 moved it");
        Assert.DoesNotContain(OverdueMark, partial.ListRow, StringComparison.Ordinal);
        Assert.DoesNotContain(OnTimeMark, partial.ListRow, StringComparison.Ordinal); // back with the unit: no verification to wait for

        // The new deadline passes with the rest not reported: 逾期; reported now, late by the new deadline, it stays so.
        app.Clock.Set(ReminderTestKit.Beijing(2026, 5, 6));
        Assert.True((await ReadAsync(id, "公务接待超标准")).Api);
        await Api().ReportAsync(id, caseId, "制度修订稿.pdf");
        var reportedLate = await ReadAsync(id, "公务接待超标准");
        Assert.True(reportedLate.Api);
        Assert.Contains(OverdueMark, reportedLate.ListRow, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_cases_already_in_verification_When_the_migration_backfills_Then_each_takes_the_day_its_case_last_entered_verification()
    {
        app.Clock.Set(ReminderTestKit.Beijing(2026, 3, 2, hour: 23)); // 23:00 in Beijing is still 2 March there, 3 March is not yet
        var (id, caseId) = await Api().RegisterAsync(2021, "财务管理", "固定资产账实不符", "区审计局审计发现。", "Audit", "望审〔2026〕10号", Deadline);
        await Api().PlanAndReportAsync(id, caseId);
        var (closedId, closedCaseId) = await Api().RegisterAsync(2021, "财务管理", "票据管理不规范", "区审计局审计发现。", "Audit", "望审〔2026〕11号", Deadline);
        await Api().PlanAndReportAsync(closedId, closedCaseId);
        await Api().Cases.FireOkAsync("finance", closedCaseId, "verify", "整改到位。");
        await app.DbAsync(db => db.Findings.Where(f => f.Id == id || f.Id == closedId).ExecuteUpdateAsync(s => s.SetProperty(f => f.ResultReportedOn, (DateOnly?)null)));

        var backfill = new BudgetEval.Web.Infrastructure.Data.Migrations.FindingResultReportedOn().UpOperations
            .OfType<Microsoft.EntityFrameworkCore.Migrations.Operations.SqlOperation>().Single().Sql;
        await app.DbAsync(db => db.Database.ExecuteSqlRawAsync(backfill));

        var dates = await app.DbAsync(db => db.Findings.Where(f => f.Id == id || f.Id == closedId).ToDictionaryAsync(f => f.Id, f => f.ResultReportedOn));
        Assert.Equal(new DateOnly(2026, 3, 2), dates[id]);
        Assert.Null(dates[closedId]); // closed: nothing to spare, left as it was
    }

    /// <summary>Fresh API logins at the clock's time (a login of the day before has expired).</summary>
    private RectificationApi Api() => new(app);

    /// <summary>What each place says of the finding today; the counts are of the centre's 2021 findings.</summary>
    private async Task<Reading> ReadAsync(Guid id, string title)
    {
        var centre = await app.SocialGovernanceCentreAsync();
        using var unit = await app.SignInAsync("unit");
        var list = await unit.GetStringAsync("/findings?FiscalYear=2021&Source=Audit");
        var listRow = Regex.Match(list, $"<tr>(?:(?!</tr>)[\\s\\S])*{Regex.Escape(title)}</a>(?:(?!</tr>)[\\s\\S])*</tr>").Value;
        Assert.False(string.IsNullOrEmpty(listRow), $"{title} is not on the unit's list");
        var unitBoard = Regex.Match(await unit.GetStringAsync("/dashboards/unit?year=2021"), $"<tr><td>[^<]*</td><td><a href=\"/findings/{id}\">(?:(?!</tr>)[\\s\\S])*</tr>").Value;

        using var unitApi = await app.ApiAsync("unit");
        var unitItem = (await EvaluationApi.JsonAsync(unitApi, "/api/dashboards/unit?year=2021")).GetProperty("findings").GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("id").GetGuid() == id);

        using var finance = await app.ApiAsync("finance");
        var query = $"year=2021&unit={centre}";
        var board = await EvaluationApi.JsonAsync(finance, $"/api/dashboards/bureau?{query}");
        var overdue = board.GetProperty("overdue");
        var ids = new List<Guid>();
        var pages = (overdue.GetProperty("total").GetInt32() + overdue.GetProperty("pageSize").GetInt32() - 1) / overdue.GetProperty("pageSize").GetInt32();
        for (var page = 1; page <= pages; page++)
        {
            var items = (await EvaluationApi.JsonAsync(finance, $"/api/dashboards/bureau?{query}&p={page}")).GetProperty("overdue").GetProperty("items");
            ids.AddRange(items.EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        }

        var funnel = board.GetProperty("charts").EnumerateArray().Single(c => c.GetProperty("key").GetString() == "funnel");
        var labels = funnel.GetProperty("labels").EnumerateArray().Select(l => l.GetString()).ToList();
        var funnelOverdue = funnel.GetProperty("series")[0].GetProperty("values")[labels.IndexOf("逾期未完成")].GetInt32();

        var results = (await EvaluationApi.JsonAsync(finance, "/api/results/2021")).GetProperty("rows").EnumerateArray()
            .Single(r => r.GetProperty("unitName").GetString() == BudgetEval.Web.Demo.DemoSeeder.SocialGovernanceCentre);
        return new Reading(
            (await Api().FindingAsync("unit", id)).GetProperty("rectification").GetProperty("overdue").GetBoolean(),
            listRow,
            await unit.GetStringAsync($"/findings/{id}"),
            ids,
            overdue.GetProperty("total").GetInt32(),
            funnelOverdue,
            unitItem.GetProperty("overdue").GetBoolean(),
            unitBoard,
            results.GetProperty("rectification").GetProperty("overdue").GetInt32());
    }

    private sealed record Reading(bool Api, string ListRow, string Page, IReadOnlyList<Guid> BureauList, int BureauCount, int FunnelCount,
        bool UnitDashboard, string UnitDashboardRow, int ResultsCount);
}

/// <summary>The in-memory rule, date by date (the SQL rule is the same expression, exercised above through the lists).</summary>
public sealed class FindingOverdueRuleTests
{
    private static readonly DateOnly Deadline = new(2026, 3, 10);

    [Theory]
    [InlineData("Open", "2026-03-10", null, "None")] // the deadline day itself is not late
    [InlineData("Open", "2026-03-11", null, "Overdue")]
    [InlineData("InProgress", "2026-03-11", null, "Overdue")]
    [InlineData("Partial", "2026-03-11", null, "Overdue")]
    [InlineData("InProgress", "2026-03-20", "2026-03-10", "ReportedOnTime")] // reported on the deadline day
    [InlineData("Partial", "2026-03-20", "2026-03-01", "ReportedOnTime")]
    [InlineData("InProgress", "2026-03-20", "2026-03-11", "Overdue")] // reported a day late
    [InlineData("InProgress", "2026-03-05", "2026-03-01", "None")] // waiting, deadline not passed
    [InlineData("Rectified", "2026-03-20", null, "None")]
    [InlineData("Rectified", "2026-03-20", "2026-03-15", "None")]
    [InlineData("Unrectifiable", "2026-03-20", null, "None")]
    public void Given_a_status_and_the_day_the_result_was_reported_When_marked_Then_only_an_open_finding_past_its_deadline_not_reported_by_it_is_overdue(
        string statusName, string today, string? reportedOn, string expectedName)
    {
        var (status, expected) = (Enum.Parse<FindingStatus>(statusName), Enum.Parse<DeadlineMark>(expectedName));
        var reported = reportedOn is null ? (DateOnly?)null : DateOnly.Parse(reportedOn, System.Globalization.CultureInfo.InvariantCulture);
        var day = DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, FindingOverdue.Mark(status, Deadline, reported, day));
        Assert.Equal(expected == DeadlineMark.Overdue, FindingOverdue.IsOverdue(status, Deadline, reported, day));
        Assert.Equal(expected == DeadlineMark.Overdue, FindingOverdue.On(day).Compile()(new Finding
        {
            Number = "2021-审计-001", Category = "财务管理", Title = "t", Detail = "d", Status = status, Deadline = Deadline, ResultReportedOn = reported,
        }));
    }
}
