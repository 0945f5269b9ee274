using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.Evaluations;

/// <summary>
/// What the firm, the unit and the bureau may change on an evaluation and what each change keeps: remarks stay
/// with their problem, stale score saves are refused, 不适用 moves weight both ways, empty fields clear, dates
/// and years are not in the future, and a reopened evaluation can be accepted again. Each test has its own year.
/// </summary>
public sealed partial class EvaluationEditRulesTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly EvaluationApi _api = new(app);

    private const string Disputed = "绩效目标完成率待提高"; // problem 8 of the sample, disputed by the unit in InFinalReportAsync

    [Fact]
    public async Task Given_a_disputed_problem_When_the_firm_removes_problem_1_Then_the_dispute_and_answer_stay_with_their_problem()
    {
        var id = await _api.InFinalReportAsync(2015);
        var evaluator = await app.ApiAsync("evaluator");

        await EvaluationApi.Ok(await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/problems", new { expectedVersion = await EvaluationApi.VersionAsync(evaluator, id), problems = SampleExternalEvaluation.Problems.Skip(1) }));

        var problems = (await EvaluationApi.JsonAsync(evaluator, $"/api/evaluations/{id}/report")).GetProperty("problems").EnumerateArray().ToList();
        Assert.Equal(8, problems.Count);
        var disputed = Assert.Single(problems, p => p.GetProperty("disputed").GetBoolean());
        Assert.Equal(Disputed, disputed.GetProperty("title").GetString());
        Assert.Equal(7, disputed.GetProperty("no").GetInt32());
        Assert.Equal("部分超期工单系上级转办延迟。", disputed.GetProperty("unitComment").GetString());
        Assert.Equal("经核实，超期以系统记录为准，维持原意见。", disputed.GetProperty("firmAnswer").GetString());
        Assert.Single(problems, p => p.GetProperty("unitComment").ValueKind != JsonValueKind.Null);

        // Sent back with its id, a retitled problem is still the one the unit disputed.
        var edited = problems.Select(p => JsonSerializer.Deserialize<Dictionary<string, object?>>(p.GetRawText())!).ToList();
        var target = edited.Single(p => p["title"]!.ToString() == Disputed);
        target["title"] = "工单办理及时性不足";
        edited.Reverse();
        await EvaluationApi.Ok(await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/problems", new { expectedVersion = await EvaluationApi.VersionAsync(evaluator, id), problems = edited }));
        var after = (await EvaluationApi.JsonAsync(evaluator, $"/api/evaluations/{id}/report")).GetProperty("problems").EnumerateArray().ToList();
        var moved = Assert.Single(after, p => p.GetProperty("disputed").GetBoolean());
        Assert.Equal("工单办理及时性不足", moved.GetProperty("title").GetString());
        Assert.Equal(disputed.GetProperty("id").GetGuid(), moved.GetProperty("id").GetGuid());
        Assert.Equal(2, moved.GetProperty("no").GetInt32());

        // An id that is not one of this evaluation's problems is refused, nothing saved.
        target["id"] = Guid.NewGuid();
        var refused = await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/problems", new { expectedVersion = await EvaluationApi.VersionAsync(evaluator, id), problems = edited });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("id 不是本评价的问题", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_two_api_clients_with_the_same_version_When_both_save_scores_Then_the_second_gets_409_and_the_first_change_stays()
    {
        var id = await _api.CommissionedAsync(2014);
        var evaluator = await app.ApiAsync("evaluator");
        var version = (await EvaluationApi.JsonAsync(evaluator, $"/api/evaluations/{id}")).GetProperty("version").GetUInt32();
        object Row(decimal score, string note) => new { level1 = "投入", level3 = "绩效目标合理性", score, note };

        var first = await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/scores", new { rows = new[] { Row(1.5m, "目标与职责部分相关") }, expectedVersion = version });
        await EvaluationApi.Ok(first);
        var second = await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/scores", new { rows = new[] { Row(2m, "满分") }, expectedVersion = version });

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("已被他人修改，请刷新后重试", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var row = await RowAsync(evaluator, id, "绩效目标合理性");
        Assert.Equal(1.5m, row.GetProperty("score").GetDecimal());
        Assert.Equal("目标与职责部分相关", row.GetProperty("note").GetString());

        // The version the first save answered is current.
        var current = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetUInt32();
        await EvaluationApi.Ok(await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/scores", new { rows = new[] { Row(2m, "满分") }, expectedVersion = current }));
    }

    [Fact]
    public async Task Given_two_tabs_of_the_score_form_When_the_second_saves_unchanged_values_Then_it_is_refused_with_the_message_and_the_first_change_stays()
    {
        var id = await _api.CommissionedAsync(2013);
        var tab1 = await app.SignInAsync("evaluator");
        var tab2 = await app.SignInAsync("evaluator");
        var page1 = await tab1.GetStringAsync($"/evaluations/{id}");
        var page2 = await tab2.GetStringAsync($"/evaluations/{id}");

        Task<HttpResponseMessage> SaveAsync(HttpClient tab, string page, string score, string note) =>
            tab.PostAsync($"/evaluations/{id}?handler=Scores", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["level1"] = "投入",
                ["level3"] = "绩效指标明确性",
                ["score"] = score,
                ["note"] = note,
                ["version"] = VersionField().Match(page).Groups[1].Value,
                ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(page),
            }));

        Assert.Equal(HttpStatusCode.Redirect, (await SaveAsync(tab1, page1, "2.5", "部分指标未量化")).StatusCode);
        var stale = await SaveAsync(tab2, page2, string.Empty, string.Empty);

        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Contains("该评价已被他人修改，请刷新后重试", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var row = await RowAsync(await app.ApiAsync("evaluator"), id, "绩效指标明确性");
        Assert.Equal(2.5m, row.GetProperty("score").GetDecimal());
        Assert.Equal("部分指标未量化", row.GetProperty("note").GetString());
    }

    [Fact]
    public async Task Given_a_row_marked_not_applicable_When_moved_to_another_row_and_unmarked_Then_its_weight_goes_along_and_comes_back()
    {
        var id = await _api.CommissionedAsync(2012);
        var evaluator = await app.ApiAsync("evaluator");
        async Task<HttpResponseMessage> PutAsync(object row) =>
            await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/scores", new { rows = new[] { row }, expectedVersion = await EvaluationApi.VersionAsync(evaluator, id) });
        const string Funds = "资金到位率（公共专项）";

        await EvaluationApi.Ok(await PutAsync(new { level1 = "投入", level3 = Funds, notApplicable = true, movedTo = "绩效目标合理性" }));
        Assert.Equal(4m, (await RowAsync(evaluator, id, "绩效目标合理性")).GetProperty("weight").GetDecimal());

        await EvaluationApi.Ok(await PutAsync(new { level1 = "投入", level3 = Funds, notApplicable = true, movedTo = "聘用人员控制率" }));
        Assert.Equal(2m, (await RowAsync(evaluator, id, "绩效目标合理性")).GetProperty("weight").GetDecimal());
        Assert.Equal(4m, (await RowAsync(evaluator, id, "聘用人员控制率")).GetProperty("weight").GetDecimal());
        var marked = await RowAsync(evaluator, id, Funds);
        Assert.Equal("聘用人员控制率", marked.GetProperty("movedTo").GetString());
        Assert.Equal("该项评分不适用，分数已调至「聘用人员控制率」。", marked.GetProperty("note").GetString());

        await EvaluationApi.Ok(await PutAsync(new { level1 = "投入", level3 = Funds, notApplicable = false, score = 1m }));
        var restored = await RowAsync(evaluator, id, Funds);
        Assert.Equal(2m, restored.GetProperty("weight").GetDecimal());
        Assert.Equal(1m, restored.GetProperty("score").GetDecimal());
        Assert.False(restored.GetProperty("notApplicable").GetBoolean());
        Assert.Equal(JsonValueKind.Null, restored.GetProperty("note").ValueKind);
        Assert.Equal(2m, (await RowAsync(evaluator, id, "聘用人员控制率")).GetProperty("weight").GetDecimal());
        Assert.Equal(100m, (await EvaluationApi.JsonAsync(evaluator, $"/api/evaluations/{id}")).GetProperty("weightTotal").GetDecimal());
    }

    [Fact]
    public async Task Given_a_scored_row_with_a_note_When_only_the_score_is_sent_Then_the_note_stays_and_a_null_note_clears_it()
    {
        var id = await _api.CommissionedAsync(2011);
        var evaluator = await app.ApiAsync("evaluator");
        async Task<HttpResponseMessage> PutAsync(object row) =>
            await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/scores", new { rows = new[] { row }, expectedVersion = await EvaluationApi.VersionAsync(evaluator, id) });

        await EvaluationApi.Ok(await PutAsync(new { level1 = "投入", level3 = "绩效指标明确性", score = 3m, note = "依据充分" }));
        await EvaluationApi.Ok(await PutAsync(new { level1 = "投入", level3 = "绩效指标明确性", score = 2.5m }));
        var row = await RowAsync(evaluator, id, "绩效指标明确性");
        Assert.Equal(2.5m, row.GetProperty("score").GetDecimal());
        Assert.Equal("依据充分", row.GetProperty("note").GetString());

        await EvaluationApi.Ok(await PutAsync(new { level1 = "投入", level3 = "绩效指标明确性", note = "部分指标未量化" }));
        row = await RowAsync(evaluator, id, "绩效指标明确性");
        Assert.Equal(2.5m, row.GetProperty("score").GetDecimal());
        Assert.Equal("部分指标未量化", row.GetProperty("note").GetString());

        await EvaluationApi.Ok(await PutAsync(new { level1 = "投入", level3 = "绩效指标明确性", note = (string?)null }));
        Assert.Equal(JsonValueKind.Null, (await RowAsync(evaluator, id, "绩效指标明确性")).GetProperty("note").ValueKind);
    }

    [Fact]
    public async Task Given_future_years_and_dates_or_an_unknown_indicator_When_saved_Then_each_is_refused_naming_the_field()
    {
        var finance = await app.ApiAsync("finance");
        var future = await EvaluationApi.SelectCentreAsync(finance, await app.SocialGovernanceCentreAsync(), 2027);
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        Assert.Contains("「年度」不能晚于本年度（2026）", await future.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await app.DbAsync(db => db.Evaluations.CountAsync(e => e.FiscalYear == 2027)));

        var id = await _api.InCommentWindowAsync(2010);
        await EvaluationApi.Ok(await EvaluationApi.ActAsync(await app.ApiAsync("unit"), id, "comment"));
        var evaluator = await app.ApiAsync("evaluator");

        var report = await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/report", new { expectedVersion = await EvaluationApi.VersionAsync(evaluator, id), reportNumber = "湘财苑专审字[2026]第9号", reportDate = "2026-03-03" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, report.StatusCode);
        Assert.Contains("「报告日期」不能晚于今天", await report.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var problems = SampleExternalEvaluation.Problems.ToList();
        problems[5] = problems[5] with { RectifiedOn = new DateOnly(2026, 3, 3) };
        problems[6] = problems[6] with { IndicatorRow = "不存在的指标" };
        var refused = await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/problems", new { expectedVersion = await EvaluationApi.VersionAsync(evaluator, id), problems });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Contains("问题6的「整改完成日期」不能晚于今天", body, StringComparison.Ordinal);
        Assert.Contains("问题7的「对应指标」「不存在的指标」不在本评价的评分表中", body, StringComparison.Ordinal);

        var detail = await EvaluationApi.JsonAsync(evaluator, $"/api/evaluations/{id}");
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("reportDate").ValueKind);
        var kept = (await EvaluationApi.JsonAsync(evaluator, $"/api/evaluations/{id}/report")).GetProperty("problems");
        Assert.Equal("试点智慧社区建设", kept[6].GetProperty("indicatorRow").GetString());
    }

    [Fact]
    public async Task Given_a_report_number_and_date_When_saved_empty_Then_both_are_cleared_and_left_out_they_stay()
    {
        var id = await _api.InFinalReportAsync(2009);
        var evaluator = await app.ApiAsync("evaluator");

        await EvaluationApi.Ok(await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/report", new { expectedVersion = await EvaluationApi.VersionAsync(evaluator, id), sections = SampleExternalEvaluation.Sections }));
        var kept = await EvaluationApi.JsonAsync(evaluator, $"/api/evaluations/{id}");
        Assert.Equal(SampleExternalEvaluation.ReportNumber, kept.GetProperty("reportNumber").GetString());
        Assert.Equal("2026-03-02", kept.GetProperty("reportDate").GetString());

        await EvaluationApi.Ok(await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/report", new { expectedVersion = await EvaluationApi.VersionAsync(evaluator, id), reportNumber = "", reportDate = (string?)null }));
        var cleared = await EvaluationApi.JsonAsync(evaluator, $"/api/evaluations/{id}");
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("reportNumber").ValueKind);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("reportDate").ValueKind);

        // Without them the final report cannot go to the bureau.
        var submit = await EvaluationApi.ActAsync(evaluator, id, "submitFinal");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, submit.StatusCode);
        Assert.Contains("请填写正式报告文号", await submit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_late_evening_utc_When_the_bureau_commissions_with_beijings_today_as_due_date_Then_refused()
    {
        var id = await _api.SelectAndApproveAsync(2008);
        var firm = await app.OrganisationIdAsync(DemoSeeder.XinCaiYuan);
        async Task<HttpResponseMessage> CommissionAsync(string due) =>
            await (await app.ApiAsync("finance")).PostAsJsonAsync($"/api/evaluations/{id}/commission", new { firmId = firm, reportDueDate = due, templateKey = BudgetEval.Web.Evaluations.EvaluationTemplates.DefaultKey });

        // 2026-03-02 17:00 UTC is 2026-03-03 01:00 in Beijing: the 3rd is today, not later than today.
        await app.Clock.LaterAsync(TimeSpan.FromHours(16), async () =>
        {
            var refused = await CommissionAsync("2026-03-03");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Contains("报告提交期限须晚于今天", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            await EvaluationApi.Ok(await CommissionAsync("2026-03-04"));
        });
    }

    [Fact]
    public async Task Given_the_evaluated_unit_When_it_reads_the_evaluation_Then_the_team_is_hidden_as_on_the_page()
    {
        var id = await _api.InCommentWindowAsync(2007);

        var unit = await EvaluationApi.JsonAsync(await app.ApiAsync("unit"), $"/api/evaluations/{id}");
        var bureau = await EvaluationApi.JsonAsync(await app.ApiAsync("finance"), $"/api/evaluations/{id}");

        Assert.Equal(0, unit.GetProperty("team").GetArrayLength());
        Assert.Equal(SampleExternalEvaluation.LeadEvaluator, bureau.GetProperty("team")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Given_findings_of_the_year_before_When_the_evaluation_is_read_Then_findings_are_recurring_as_in_the_register()
    {
        var id = await _api.CompletedAsync(2022); // the demo's 2021 evaluation left findings of the same categories
        var finance = await app.ApiAsync("finance");

        var detail = (await EvaluationApi.JsonAsync(finance, $"/api/evaluations/{id}")).GetProperty("findings").EnumerateArray()
            .ToDictionary(f => f.GetProperty("id").GetGuid(), f => f.GetProperty("recurring").GetBoolean());
        var register = (await EvaluationApi.JsonAsync(finance, "/api/findings?fiscalYear=2022&source=ThirdParty&pageSize=100")).EnumerateArray()
            .ToDictionary(f => f.GetProperty("id").GetGuid(), f => f.GetProperty("recurring").GetBoolean());

        Assert.Equal(9, detail.Count);
        Assert.Contains(true, detail.Values);
        Assert.Equal(register.OrderBy(p => p.Key), detail.OrderBy(p => p.Key));
    }

    [Fact]
    public async Task Given_an_accepted_evaluation_reopened_by_the_administrator_When_reworked_and_accepted_again_Then_the_firm_sees_it_meanwhile_and_only_new_problems_are_added()
    {
        var id = await _api.CompletedAsync(2006);
        var caseId = (await EvaluationApi.JsonAsync(await app.ApiAsync("finance"), $"/api/evaluations/{id}")).GetProperty("caseId").GetGuid();
        var evaluator = await app.ApiAsync("evaluator");
        Assert.Equal(HttpStatusCode.NotFound, (await evaluator.GetAsync($"/api/evaluations/{id}")).StatusCode);

        await AlterAsync(caseId, "final_report");

        var reopened = await EvaluationApi.JsonAsync(evaluator, $"/api/evaluations/{id}");
        Assert.Equal(JsonValueKind.Null, reopened.GetProperty("completedOn").ValueKind);
        Assert.Contains(caseId.ToString(), (await EvaluationApi.JsonAsync(evaluator, "/api/inbox")).GetRawText(), StringComparison.Ordinal);

        var problems = SampleExternalEvaluation.Problems.Append(SampleExternalEvaluation.Problems[0] with { No = 10, Title = "合同管理不规范", Detail = "部分采购合同未约定验收条款。" });
        await EvaluationApi.Ok(await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/problems", new { expectedVersion = await EvaluationApi.VersionAsync(evaluator, id), problems }));
        await EvaluationApi.Ok(await EvaluationApi.ActAsync(evaluator, id, "submitFinal"));
        await EvaluationApi.Ok(await EvaluationApi.ActAsync(await app.ApiAsync("finance"), id, "accept"));

        var findings = await app.DbAsync(db => db.Findings.Where(f => f.EvaluationId == id).Select(f => f.Title).ToListAsync());
        Assert.Equal(10, findings.Count);
        Assert.Contains("合同管理不规范", findings);
        var done = await EvaluationApi.JsonAsync(await app.ApiAsync("finance"), $"/api/evaluations/{id}");
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal("2026-03-02", done.GetProperty("completedOn").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await evaluator.GetAsync($"/api/evaluations/{id}")).StatusCode);
    }

    [Fact]
    public async Task Given_a_problem_found_by_an_earlier_inspection_and_a_disputed_one_When_accepted_Then_the_findings_carry_the_prior_source_and_the_remarks()
    {
        var id = await _api.CompletedAsync(2005);
        var finance = await app.ApiAsync("finance");

        var findings = (await EvaluationApi.JsonAsync(finance, "/api/findings?fiscalYear=2005&source=ThirdParty&pageSize=100")).EnumerateArray()
            .ToDictionary(f => f.GetProperty("title").GetString()!);
        var inspected = findings["重点问题未及时整改到位"];
        Assert.Equal("巡察", inspected.GetProperty("priorSourceKind").GetString());
        Assert.Equal("望治党组〔2020〕9号", inspected.GetProperty("priorSourceDocument").GetString());
        var disputed = findings[Disputed];
        Assert.True(disputed.GetProperty("unitDisputed").GetBoolean());
        Assert.Equal("部分超期工单系上级转办延迟。", disputed.GetProperty("unitComment").GetString());
        Assert.Equal("经核实，超期以系统记录为准，维持原意见。", disputed.GetProperty("firmAnswer").GetString());
        Assert.Equal(JsonValueKind.Null, findings["政府采购执行率偏低"].GetProperty("unitComment").ValueKind);

        var page = await (await app.SignInAsync("unit")).GetStringAsync($"/findings/{disputed.GetProperty("id").GetGuid()}");
        Assert.Contains("单位异议：</strong>部分超期工单系上级转办延迟。", page, StringComparison.Ordinal);
        Assert.Contains("评价机构答复：</strong>经核实，超期以系统记录为准，维持原意见。", page, StringComparison.Ordinal);
        var prior = await (await app.SignInAsync("finance")).GetStringAsync($"/findings/{inspected.GetProperty("id").GetGuid()}");
        Assert.Contains("此前发现：</strong>巡察（望治党组〔2020〕9号）", prior, StringComparison.Ordinal);
        Assert.NotEqual(Guid.Empty, id);
    }

    private async Task AlterAsync(Guid caseId, string state)
    {
        using var scope = app.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BudgetEval.Web.Infrastructure.Data.AppDbContext>();
        var admin = await db.Users.IgnoreQueryFilters().Include(u => u.Organisation).SingleAsync(u => u.UserName == "admin");
        var actor = new WorkflowActor(admin.Id, admin.DisplayName, admin.OrganisationId, admin.Organisation!.Kind, new HashSet<string> { BudgetEval.Web.Users.Roles.Admin });
        var version = await db.WorkflowInstances.Where(i => i.Id == caseId).Select(i => i.Version).SingleAsync();
        var altered = await scope.ServiceProvider.GetRequiredService<WorkflowEngine>().AlterAsync(caseId, state, "测试：重新打开已完成的评价", actor, version, default);
        Assert.True(altered.Succeeded, string.Join(" ", altered.Errors));
    }

    private static async Task<JsonElement> RowAsync(HttpClient client, Guid id, string level3) =>
        (await EvaluationApi.JsonAsync(client, $"/api/evaluations/{id}")).GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("level3").GetString() == level3);

    [GeneratedRegex("name=\"version\" value=\"([0-9]+)\"")]
    private static partial Regex VersionField();
}
