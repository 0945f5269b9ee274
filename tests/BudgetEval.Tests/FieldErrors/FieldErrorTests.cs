using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Rectifications;
using BudgetEval.Tests.SelfEvaluations;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.FieldErrors;

/// <summary>
/// A refusal about one input is answered under that input's JSON name in <c>errors</c> (so an integrator can put
/// the Chinese message beside it); a refusal of the record as a whole (its state, nothing to change) stays under "".
/// </summary>
public sealed class FieldErrorTests(AppFixture app) : IClassFixture<AppFixture>
{
    /// <summary>The problem document of a refusal with the expected status, its title and detail as before.</summary>
    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string title)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {text}");
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(title, problem.GetProperty("title").GetString());
        return problem;
    }

    /// <summary>The messages under exactly one key, and that the problem's detail is still their text.</summary>
    private static string[] Only(JsonElement problem, string field)
    {
        var errors = problem.GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(p => p.Name));
        var messages = errors.GetProperty(field).EnumerateArray().Select(m => m.GetString()!).ToArray();
        Assert.Equal(string.Join(" ", messages), problem.GetProperty("detail").GetString());
        return messages;
    }

    [Fact]
    public async Task Given_a_rectification_plan_with_a_past_date_or_a_result_out_of_its_step_When_saved_Then_422_under_plannedDate_or_the_record()
    {
        var api = new RectificationApi(app);
        var (id, _) = await api.RegisterAsync("专项资金未按计划拨付", new DateOnly(2026, 5, 1));
        var unit = await api.Cases.As("unit");

        var past = await unit.PutAsJsonAsync($"/api/findings/{id}/plan", new { measures = "加快拨付。", responsible = "王科长", plannedDate = "2026-01-05", stamp = await api.StampAsync("unit", id) });
        var pastProblem = await ProblemAsync(past, HttpStatusCode.UnprocessableEntity, "无法办理");
        Assert.Equal(["「计划完成日期」不能早于今天。"], Only(pastProblem, "plannedDate"));

        var typo = await unit.PutAsJsonAsync($"/api/findings/{id}/plan", new { measures = "加快拨付。", plannedDate = "0202-04-15", stamp = await api.StampAsync("unit", id) });
        Assert.Equal(["「计划完成日期」0202-04-15 超出范围，应在2000年1月1日至2100年12月31日之间。"],
            Only(await ProblemAsync(typo, HttpStatusCode.UnprocessableEntity, "无法办理"), "plannedDate"));

        var longName = await unit.PutAsJsonAsync($"/api/findings/{id}/plan", new { measures = "加快拨付。", responsible = new string('王', 101), plannedDate = "2026-04-15", stamp = await api.StampAsync("unit", id) });
        Assert.Equal(["「责任人」不能超过 100 字。"], Only(await ProblemAsync(longName, HttpStatusCode.UnprocessableEntity, "无法办理"), "responsible"));

        // The result belongs to 整改落实; in 制定方案 the refusal is the case's step, no input's.
        var outOfStep = await unit.PutAsJsonAsync($"/api/findings/{id}/result", new { result = "已拨付。", stamp = await api.StampAsync("unit", id) });
        Assert.Equal(["整改事项当前所处环节不能修改此项内容。"], Only(await ProblemAsync(outOfStep, HttpStatusCode.UnprocessableEntity, "无法办理"), ""));

        var plan = (await api.FindingAsync("unit", id)).GetProperty("rectification").GetProperty("plan");
        Assert.Equal(JsonValueKind.Null, plan.GetProperty("plannedDate").ValueKind);
        Assert.Equal(JsonValueKind.Null, plan.GetProperty("measures").ValueKind);
    }

    [Fact]
    public async Task Given_a_finding_correction_without_stamp_or_reason_or_with_nothing_changed_When_put_Then_400_under_stamp_and_reason_or_422_for_the_record()
    {
        var api = new RectificationApi(app);
        var (id, _) = await api.RegisterAsync("会议费超预算列支", new DateOnly(2026, 5, 1));
        var finance = await api.Cases.As("finance");
        var stamp = (await api.FindingAsync("finance", id)).GetProperty("stamp").GetString();
        object Correction(string title, string? reason, string? withStamp, string? sourceDate = null) => new
        {
            category = "财务管理", title, detail = "区审计局审计发现。", sourceDocument = "望审〔2026〕3号", sourceDate, reason, stamp = withStamp,
        };

        var missing = await finance.PutAsJsonAsync($"/api/findings/{id}", Correction("会议费超预算列支问题", " ", null));
        var problem = await ProblemAsync(missing, HttpStatusCode.BadRequest, "提交的数据有误");
        var errors = problem.GetProperty("errors");
        Assert.Equal(["reason", "stamp"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("缺少 stamp（打开问题时的内容标记），请刷新后重试。", Assert.Single(errors.GetProperty("stamp").EnumerateArray()).GetString());
        Assert.Equal("请填写「更正原因」。", Assert.Single(errors.GetProperty("reason").EnumerateArray()).GetString());
        Assert.Equal("请填写「更正原因」。 缺少 stamp（打开问题时的内容标记），请刷新后重试。", problem.GetProperty("detail").GetString());

        // The registration's own rules, under the correction's field.
        var future = await finance.PutAsJsonAsync($"/api/findings/{id}", Correction("会议费超预算列支问题", "日期更正", stamp, sourceDate: "2026-12-01"));
        Assert.Equal(["「来源日期」不能晚于今天。"], Only(await ProblemAsync(future, HttpStatusCode.UnprocessableEntity, "无法办理"), "sourceDate"));

        var unchanged = await finance.PutAsJsonAsync($"/api/findings/{id}", Correction("会议费超预算列支", "无变化", stamp));
        Assert.Equal(["更正内容与原登记一致，没有需要更正的内容。"], Only(await ProblemAsync(unchanged, HttpStatusCode.UnprocessableEntity, "无法办理"), ""));

        Assert.Equal("会议费超预算列支", (await api.FindingAsync("finance", id)).GetProperty("finding").GetProperty("title").GetString());
    }

    [Fact]
    public async Task Given_a_finding_registered_with_a_future_source_date_When_posted_Then_400_under_sourceDate()
    {
        var finance = await app.ApiAsync("finance");
        var response = await finance.PostAsJsonAsync("/api/findings", new
        {
            organisationId = await app.SocialGovernanceCentreAsync(), fiscalYear = 2025, category = "财务管理", title = "票据管理不规范",
            detail = "区审计局审计发现。", source = "Audit", sourceDocument = "望审〔2026〕4号", sourceDate = "2026-03-03",
        });

        Assert.Equal(["「来源日期」不能晚于今天。"], Only(await ProblemAsync(response, HttpStatusCode.BadRequest, "提交的数据有误"), "sourceDate"));
        Assert.Equal(0, await app.DbAsync(db => db.Findings.CountAsync(f => f.Title == "票据管理不规范")));
    }

    [Fact]
    public async Task Given_follow_up_statements_naming_a_finding_outside_the_list_When_put_Then_422_under_that_statement()
    {
        var unit = await app.ApiAsync("unit");
        var id = await SelfEvaluationApiTests.CentreIdAsync(unit);
        var stranger = Guid.NewGuid();

        var response = await unit.PutAsJsonAsync($"/api/self-evaluations/{id}/follow-up", new { statements = new Dictionary<string, string> { [stranger.ToString()] = "已整改。" } });

        Assert.Equal([$"问题 {stranger} 不在本次自评的整改跟踪范围内。"],
            Only(await ProblemAsync(response, HttpStatusCode.UnprocessableEntity, "无法办理"), $"statements.{stranger}"));
    }

    [Fact]
    public async Task Given_indicator_rows_funds_rows_and_report_text_with_errors_When_put_Then_400_under_the_row_and_its_field()
    {
        var unit = await app.ApiAsync("unit");
        var id = await SelfEvaluationApiTests.CentreIdAsync(unit);
        var before = (await SelfEvaluationApiTests.DetailAsync(unit, id)).GetProperty("indicators").ToString();

        var indicators = await unit.PutAsJsonAsync($"/api/self-evaluations/{id}/indicators", new
        {
            indicators = new object[]
            {
                new { level1 = "产出指标", level2 = "数量指标", level3 = "培训人次", weight = 10m, score = 8m },
                new { level1 = "产出指标", level2 = "质量指标", level3 = "合格率", weight = 3m, score = 5m },
                new { level1 = "效益指标", level2 = "社会效益", level3 = new string('指', 201), weight = 5m, score = 5m },
            },
            expectedVersion = await SelfEvaluationApiTests.VersionAsync(unit, id),
        });
        var problem = await ProblemAsync(indicators, HttpStatusCode.BadRequest, "提交的数据有误");
        var errors = problem.GetProperty("errors");
        Assert.Equal(["indicators[1].score", "indicators[2].level3"], errors.EnumerateObject().Select(p => p.Name));
        Assert.Equal("第2行的得分（5）超过分值（3）。", errors.GetProperty("indicators[1].score")[0].GetString());
        Assert.Equal("第3行「三级指标」不能超过 200 字（现 201 字）。", errors.GetProperty("indicators[2].level3")[0].GetString());
        Assert.Equal(before, (await SelfEvaluationApiTests.DetailAsync(unit, id)).GetProperty("indicators").ToString());

        var funds = await unit.PutAsJsonAsync($"/api/self-evaluations/{id}/funds", new
        {
            budget = 1412.74m, executed = 979.56m, upperTransfer = 0m,
            rows = new object[] { new { name = "基本支出", budget = 800m, executed = 600m }, new { name = "项目支出", budget = -1m, executed = 379.56m } },
            expectedVersion = await SelfEvaluationApiTests.VersionAsync(unit, id),
        });
        Assert.Equal(["资金明细「项目支出」的「全年预算数」须为 0 至 1000000000 之间、最多两位小数的金额（万元）。"],
            Only(await ProblemAsync(funds, HttpStatusCode.BadRequest, "提交的数据有误"), "rows[1].budget"));

        var text = await unit.PutAsJsonAsync($"/api/self-evaluations/{id}/text", new { goalsPlanned = "目标", report = new { problems = new string('问', 50001) }, expectedVersion = await SelfEvaluationApiTests.VersionAsync(unit, id) });
        Assert.Equal(["自评报告「存在的问题及原因」不能超过 50000 字（现 50,001 字）。"], Only(await ProblemAsync(text, HttpStatusCode.BadRequest, "提交的数据有误"), "report.problems"));
    }

    [Fact]
    public async Task Given_a_plan_amendment_with_a_typo_deadline_or_nothing_to_change_When_posted_Then_400_under_deadline_or_the_request()
    {
        var finance = await app.ApiAsync("finance");
        var created = await finance.PostAsJsonAsync("/api/plans", new
        {
            fiscalYear = 2019, title = "2019年度绩效自评工作", noticeNumber = "望财绩〔2019〕9号", deadline = "2026-04-30",
            targets = new object[] { new { organisationId = await app.SocialGovernanceCentreAsync(), kind = "DepartmentWide" } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

        var typo = await finance.PostAsJsonAsync($"/api/plans/{id}/amendments", new { deadline = "0206-04-30", reason = "录入" });
        Assert.Equal(["「新的截止日期」0206-04-30 超出范围，应在2000年1月1日至2100年12月31日之间。"],
            Only(await ProblemAsync(typo, HttpStatusCode.BadRequest, "提交的数据有误"), "deadline"));

        var nothing = await finance.PostAsJsonAsync($"/api/plans/{id}/amendments", new { reason = "无" });
        Assert.Equal(["请填写要增加的单位或新的截止日期。"], Only(await ProblemAsync(nothing, HttpStatusCode.BadRequest, "提交的数据有误"), ""));

        Assert.Equal(new DateOnly(2026, 4, 30), await app.DbAsync(db => db.Plans.Where(p => p.Id == id).Select(p => p.Deadline).SingleAsync()));
        Assert.Equal(0, await app.DbAsync(db => db.Set<BudgetEval.Web.Plans.PlanAmendment>().CountAsync(a => a.PlanId == id)));
    }
}
