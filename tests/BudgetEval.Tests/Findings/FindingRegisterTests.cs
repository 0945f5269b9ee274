using System.Net;
using System.Net.Http.Json;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Findings;

/// <summary>The 问题台账: findings from a completed evaluation, from the demo, and registered by hand.</summary>
public sealed class FindingRegisterTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_sample_evaluation_When_completed_Then_nine_findings_with_deadlines_two_already_rectified()
    {
        var id = await new EvaluationApi(app).CompletedAsync(2012);
        var finance = await app.ApiAsync("finance");

        var findings = await EvaluationApi.JsonAsync(finance, "/api/findings?fiscalYear=2012&source=ThirdParty");

        Assert.Equal(9, findings.GetArrayLength());
        // Completed on 2026-03-02: 60 days on is 2026-05-01, in the 劳动节 holiday (1–5 May); the deadline is the next working day.
        Assert.Equal(new DateOnly(2026, 5, 1), DateOnly.FromDateTime(AppFactory.DefaultNow.AddHours(8).Date).AddDays(60));
        Assert.All(findings.EnumerateArray(), f =>
        {
            Assert.Equal(id, f.GetProperty("evaluationId").GetGuid());
            Assert.Equal(new DateOnly(2026, 5, 6), DateOnly.Parse(f.GetProperty("deadline").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        });
        Assert.Equal(["三级网格队伍建设管理不严谨", "重点问题未及时整改到位"],
            findings.EnumerateArray().Where(f => f.GetProperty("rectifiedBeforeReport").GetBoolean()).Select(f => f.GetProperty("title").GetString()));
        // Fixed before the report: finished on their 整改完成日期 (the ledger's 完成日期); the open ones are not finished.
        Assert.All(findings.EnumerateArray(), f => Assert.Equal(
            f.GetProperty("rectifiedBeforeReport").GetBoolean() ? f.GetProperty("rectifiedOn").GetString() : null,
            f.GetProperty("closedOn").GetString()));
        var detail = await EvaluationApi.JsonAsync(finance, $"/api/evaluations/{id}");
        Assert.Equal("completed", detail.GetProperty("status").GetString());
        Assert.Equal(9, detail.GetProperty("findings").GetArrayLength());
        Assert.Equal(7, (await EvaluationApi.JsonAsync(finance, "/api/findings?fiscalYear=2012&status=Open")).GetArrayLength());
    }

    [Fact]
    public async Task Given_demo_When_listing_2021_Then_completed_sample_evaluation_with_nine_findings()
    {
        var finance = await app.ApiAsync("finance");

        var list = await EvaluationApi.JsonAsync(finance, "/api/evaluations?fiscalYear=2021");
        var id = list[0].GetProperty("id").GetGuid();
        var detail = await EvaluationApi.JsonAsync(finance, $"/api/evaluations/{id}");

        Assert.Equal("completed", list[0].GetProperty("status").GetString());
        Assert.Equal(89.80m, detail.GetProperty("totalScore").GetDecimal());
        Assert.Equal("良", detail.GetProperty("grade").GetString());
        Assert.Equal(9, detail.GetProperty("findings").GetArrayLength());
        var unitFindings = await EvaluationApi.JsonAsync(await app.ApiAsync("unit"), "/api/findings?fiscalYear=2021");
        Assert.Equal(9, unitFindings.GetArrayLength());
        Assert.Equal(0, (await EvaluationApi.JsonAsync(await app.ApiAsync("unit2"), "/api/findings?fiscalYear=2021")).GetArrayLength());
    }

    [Fact]
    public async Task Given_inspection_finding_When_registered_by_hand_Then_listed_by_source_and_unit()
    {
        var finance = await app.ApiAsync("finance");
        var centre = await app.SocialGovernanceCentreAsync();

        var response = await finance.PostAsJsonAsync("/api/findings", new
        {
            organisationId = centre,
            fiscalYear = 2020,
            category = "资产管理",
            title = "部分软件未作为无形资产入账",
            detail = "区委第三巡察组反馈。",
            source = "Inspection",
            sourceDocument = "望治党组〔2020〕9号",
            sourceDate = "2020-11-20",
        });
        await EvaluationApi.Ok(response);
        var missing = await finance.PostAsJsonAsync("/api/findings", new { organisationId = centre, fiscalYear = 2020, category = "其他", title = "x", source = "Audit" });
        var unitTries = await (await app.ApiAsync("unit")).PostAsJsonAsync("/api/findings", new { organisationId = centre, fiscalYear = 2020, category = "其他", title = "x", detail = "y", source = "SelfEvaluation" });

        var found = await EvaluationApi.JsonAsync(finance, $"/api/findings?unit={Uri.EscapeDataString("社会治理")}&source=Inspection&fiscalYear=2020");
        Assert.Equal("巡察", found[0].GetProperty("sourceLabel").GetString());
        Assert.Equal("2026-05-06", found[0].GetProperty("deadline").GetString()); // none given: 60 days on is 劳动节, moved to the next working day
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, unitTries.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await finance.GetAsync("/api/findings?source=nope")).StatusCode);

        // The unit's 整改通知 names the finding once (the case's own title starts with 整改： already).
        var number = found[0].GetProperty("number").GetString();
        var notices = await app.DbAsync(db => db.Notifications.Where(n => n.Event == "FindingNotice" && n.Title.Contains("部分软件未作为无形资产入账"))
            .Join(db.Users, n => n.RecipientUserId, u => u.Id, (n, u) => new { u.UserName, n.Title }).ToListAsync());
        Assert.Equal($"整改通知：{number} 部分软件未作为无形资产入账", Assert.Single(notices, n => n.UserName == "unit").Title);
        // It rests on the inspection, not on a 绩效评价结果.
        var body = await app.DbAsync(db => db.Notifications.Where(n => n.Event == "FindingNotice" && n.Title.Contains("部分软件未作为无形资产入账")).Select(n => n.Body).FirstAsync());
        Assert.StartsWith("根据巡察反馈（望治党组〔2020〕9号），", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_six_registrations_at_once_When_they_number_their_findings_Then_all_are_saved_with_consecutive_numbers()
    {
        var finance = await app.ApiAsync("finance");
        var centre = await app.SocialGovernanceCentreAsync();
        var responses = await Task.WhenAll(Enumerable.Range(1, 6).Select(i => finance.PostAsJsonAsync("/api/findings", new
        {
            organisationId = centre,
            fiscalYear = 2018,
            category = "财务管理",
            title = $"并发登记的审计问题{i}",
            detail = "同时登记。",
            source = "Audit",
            sourceDocument = $"望审〔2019〕{i}号",
        })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var numbers = await app.DbAsync(db => db.Findings.Where(f => f.FiscalYear == 2018 && f.Source == BudgetEval.Web.Findings.FindingSource.Audit)
            .OrderBy(f => f.Number).Select(f => f.Number).ToListAsync());
        Assert.Equal(Enumerable.Range(1, 6).Select(i => $"2018-审计-{i:000}"), numbers);
    }

    [Fact]
    public async Task Given_impossible_dates_When_a_finding_is_registered_Then_each_is_refused_by_name_and_nothing_is_saved()
    {
        var finance = await app.ApiAsync("finance");
        var centre = await app.SocialGovernanceCentreAsync();
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().AddHours(8).DateTime); // the fixture's clock, in Beijing
        string Day(int days) => today.AddDays(days).ToString("yyyy-MM-dd");
        object Input(int year, string sourceDate, string deadline) => new
        {
            organisationId = centre, fiscalYear = year, category = "财务管理", title = "日期有误的审计问题", detail = "d",
            source = "Audit", sourceDocument = "望审〔2026〕12号", sourceDate, deadline,
        };

        var deadlineFirst = await finance.PostAsJsonAsync("/api/findings", Input(today.Year - 1, Day(-20), Day(-2000)));
        var futureYear = await finance.PostAsJsonAsync("/api/findings", Input(today.Year + 9, Day(-20), Day(90)));
        var futureSource = await finance.PostAsJsonAsync("/api/findings", Input(today.Year - 1, Day(30), Day(90)));

        Assert.Contains("「整改期限」不能早于「来源日期」", await deadlineFirst.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains($"「年度」不能晚于本年度（{today.Year}）", await futureYear.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("「来源日期」不能晚于今天", await futureSource.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.All(new[] { deadlineFirst, futureYear, futureSource }, r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Equal(0, await app.DbAsync(db => db.Findings.IgnoreQueryFilters().CountAsync(f => f.Title == "日期有误的审计问题")));

        // An audit finding entered late keeps the deadline the audit set, even when it has passed.
        await EvaluationApi.Ok(await finance.PostAsJsonAsync("/api/findings", Input(today.Year - 1, Day(-200), Day(-10))));
    }
}
