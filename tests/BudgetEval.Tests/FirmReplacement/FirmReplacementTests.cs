using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Workflows;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Evaluations;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.FirmReplacement;

/// <summary>
/// 更换评价机构 (workflows/external-evaluation.v2.yaml): while the firm holds the case the bureau replaces it with a reason;
/// the case goes back to 委托评价机构, the old firm loses access at once, and the officer commissions another firm, whose
/// team declares again and carries the evaluation on as before.
/// </summary>
public sealed class FirmReplacementTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string OtherFirm = BudgetEval.Web.Demo.DemoSeeder.ZhengHeng;
    private const string Reason = "评价机构与被评价单位存在业务往来，经核实存在利益冲突。";

    private readonly EvaluationApi _flow = new(app);
    private readonly CaseApi _cases = new(app);

    [Fact]
    public async Task Given_the_firm_at_work_When_the_officer_replaces_it_and_commissions_another_Then_the_old_firm_is_out_and_the_new_one_carries_the_evaluation_on()
    {
        var newLead = await FirmColleagues.AddEvaluatorAsync(app, "zhengheng.lead", "周正衡", OtherFirm, lead: true);
        var id = await _flow.CommissionedAsync(2014);
        var caseId = await CaseOfAsync(id);
        using var evaluator = await app.ApiAsync("evaluator");
        await EvaluationApi.Ok(await evaluator.PostAsJsonAsync($"/api/evaluations/{id}/team", new { name = "江惠平", isLead = true, noConflict = true }));
        await EvaluationApi.Ok(await EvaluationApi.ImportAsync(evaluator, id, SampleExternalEvaluation.IndicatorsCsv()));
        var scoresBefore = await app.DbAsync(db => db.Evaluations.Where(e => e.Id == id).Select(e => e.RowsJson).SingleAsync());

        var before = await _cases.CaseAsync("finance", caseId);
        Assert.Equal(2, before.GetProperty("definitionVersion").GetInt32());
        var offered = before.GetProperty("allowedActions").EnumerateArray().Single(a => a.GetProperty("id").GetString() == "replaceFirm");
        Assert.True(offered.GetProperty("commentRequired").GetBoolean());
        Assert.Equal("更换评价机构", offered.GetProperty("label").GetString());
        var evaluatorId = await UserIdAsync("evaluator");
        var earlier = await app.DbAsync(db => db.Notifications.Where(n => n.RecipientUserId == evaluatorId).Select(n => n.Id).ToListAsync());

        await _cases.FireOkAsync("finance", caseId, "replaceFirm", Reason);

        // Back with the bureau, the firm and its team gone from the evaluation; the table and its scores kept.
        using var finance = await app.ApiAsync("finance");
        var detail = await EvaluationApi.JsonAsync(finance, $"/api/evaluations/{id}");
        Assert.Equal("commissioning", detail.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("firmId").ValueKind);
        Assert.Empty(detail.GetProperty("team").EnumerateArray());
        Assert.Equal(scoresBefore, await app.DbAsync(db => db.Evaluations.Where(e => e.Id == id).Select(e => e.RowsJson).SingleAsync()));

        // The history names who replaced which firm and why; the evaluation page shows it.
        var entry = (await _cases.CaseAsync("finance", caseId)).GetProperty("history").EnumerateArray().Last();
        Assert.Equal("更换评价机构", entry.GetProperty("actionLabel").GetString());
        Assert.Equal("李敏", entry.GetProperty("actor").GetString());
        Assert.Equal($"原评价机构：{DemoSeeder.XinCaiYuan}\n{Reason}", entry.GetProperty("comment").GetString());
        using var officerPage = await app.SignInAsync("finance");
        var page = WebUtility.HtmlDecode(await officerPage.GetStringAsync($"/evaluations/{id}"));
        Assert.Contains($"李敏 更换评价机构：<span class=\"comment prewrap\">原评价机构：{DemoSeeder.XinCaiYuan}\n{Reason}</span>", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"template-kept\"", page, StringComparison.Ordinal);

        // The old firm: out at once, everywhere; its task withdrawn; told without a link.
        using var oldPage = await app.SignInAsync("evaluator");
        Assert.Equal(HttpStatusCode.NotFound, (await evaluator.GetAsync($"/api/evaluations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await evaluator.GetAsync($"/api/cases/{caseId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await oldPage.GetAsync($"/evaluations/{id}")).StatusCode);
        Assert.DoesNotContain(caseId.ToString(), await evaluator.GetStringAsync("/api/inbox/done"), StringComparison.Ordinal);
        Assert.DoesNotContain(caseId.ToString(), await evaluator.GetStringAsync("/api/inbox"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await evaluator.PostAsJsonAsync($"/api/evaluations/{id}/team", new { name = "李四", isLead = false, noConflict = true })).StatusCode);
        var drafting = await app.DbAsync(db => db.WorkItems.Where(w => w.InstanceId == caseId && w.State == "drafting").SingleAsync());
        Assert.Equal((Web.Workflows.WorkItemStatus.Cancelled, "更换评价机构"), (drafting.Status, drafting.CompletedAction));
        var told = await app.DbAsync(db => db.Notifications.Where(n => n.RecipientUserId == evaluatorId && !earlier.Contains(n.Id)).ToListAsync());
        Assert.Single(told);
        Assert.Null(told[0].Link);
        Assert.Contains(Reason, told[0].Body, StringComparison.Ordinal);
        var audit = await app.DbAsync(db => db.AuditEntries.Where(a => a.Action == Web.Audit.AuditActions.FirmReplaced && a.Target == id.ToString()).SingleAsync());
        Assert.Contains("江惠平（主评人）", audit.Detail, StringComparison.Ordinal);
        Assert.Contains("原报告期限：2026年6月30日", audit.Detail, StringComparison.Ordinal); // dates read as the product writes them

        // Commissioned anew with the existing form: another firm, a new date; its evaluators get the task and the mail.
        var otherFirm = await app.OrganisationIdAsync(OtherFirm);
        await EvaluationApi.Ok(await finance.PostAsJsonAsync($"/api/evaluations/{id}/commission", new { firmId = otherFirm, reportDueDate = "2026-07-31", templateKey = EvaluationTemplates.DefaultKey }));
        detail = await EvaluationApi.JsonAsync(finance, $"/api/evaluations/{id}");
        Assert.Equal(("drafting", OtherFirm, "2026-07-31"), (detail.GetProperty("status").GetString(), detail.GetProperty("firmName").GetString(), detail.GetProperty("reportDueDate").GetString()));
        Assert.True(await app.DbAsync(db => db.Notifications.AnyAsync(n => n.RecipientUserId == newLead && n.Link == $"/cases/{caseId}")));
        Assert.True(await app.DbAsync(db => db.Outbox.AnyAsync(m => m.RecipientUserId == newLead)));
        Assert.Equal(HttpStatusCode.NotFound, (await evaluator.GetAsync($"/api/evaluations/{id}")).StatusCode);

        // The new firm declares, scores, drafts and submits; the unit's comment window runs as before.
        using var newFirm = await app.ApiAsync("zhengheng.lead");
        await EvaluationApi.Ok(await newFirm.PostAsJsonAsync($"/api/evaluations/{id}/team", new { name = "周正衡", isLead = true, noConflict = true }));
        await EvaluationApi.Ok(await EvaluationApi.ImportAsync(newFirm, id, SampleExternalEvaluation.IndicatorsCsv()));
        await EvaluationApi.Ok(await newFirm.PutAsJsonAsync($"/api/evaluations/{id}/report", new { expectedVersion = await EvaluationApi.VersionAsync(newFirm, id), sections = SampleExternalEvaluation.Sections }));
        await EvaluationApi.Ok(await newFirm.PutAsJsonAsync($"/api/evaluations/{id}/problems", new { expectedVersion = await EvaluationApi.VersionAsync(newFirm, id), problems = SampleExternalEvaluation.Problems }));
        await EvaluationApi.Ok(await EvaluationApi.ActAsync(newFirm, id, "submitDraft"));
        using var unit = await app.ApiAsync("unit");
        await EvaluationApi.Ok(await EvaluationApi.ActAsync(unit, id, "comment", "无异议。"));
        detail = await EvaluationApi.JsonAsync(newFirm, $"/api/evaluations/{id}");
        Assert.Equal("final_report", detail.GetProperty("status").GetString());
        Assert.Equal(["周正衡"], detail.GetProperty("team").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await evaluator.GetAsync($"/api/evaluations/{id}/report")).StatusCode);
    }

    [Fact]
    public async Task Given_no_reason_When_the_officer_replaces_the_firm_Then_it_is_refused_naming_the_field_and_nothing_changes()
    {
        var id = await _flow.CommissionedAsync(2015);
        var caseId = await CaseOfAsync(id);

        var response = await _cases.FireAsync("finance", caseId, "replaceFirm", "   ");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal("「更换评价机构」须填写意见。", errors.GetProperty("comment")[0].GetString());
        Assert.Equal("drafting", await _cases.StateAsync(caseId));
        Assert.Equal(HttpStatusCode.OK, (await (await app.ApiAsync("evaluator")).GetAsync($"/api/evaluations/{id}")).StatusCode);
    }

    [Theory]
    [InlineData("evaluator")]
    [InlineData("financelead")]
    [InlineData("admin")]
    [InlineData("unit")]
    public async Task Given_anyone_but_the_bureaus_officer_When_they_replace_the_firm_Then_403_and_nothing_changes(string user)
    {
        var id = await _flow.CommissionedAsync(2016, project: $"项目{user}");
        var caseId = await CaseOfAsync(id);

        Assert.DoesNotContain("replaceFirm", (await _cases.CaseAsync(user, caseId)).GetProperty("allowedActions").ToString(), StringComparison.Ordinal);
        var response = await _cases.FireAsync(user, caseId, "replaceFirm", Reason);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("须由绩效管理员办理", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("drafting", await _cases.StateAsync(caseId));
    }

    [Fact]
    public async Task Given_two_officers_on_the_same_page_When_both_replace_the_firm_Then_the_second_gets_409_and_the_firm_is_replaced_once()
    {
        var id = await _flow.CommissionedAsync(2017);
        var caseId = await CaseOfAsync(id);
        var seen = await _cases.VersionAsync(caseId);

        var first = await _cases.FireAsync("finance", caseId, "replaceFirm", Reason, expectedVersion: seen);
        var second = await _cases.FireAsync("finance", caseId, "replaceFirm", "逾期严重。", expectedVersion: seen);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Conflict), (first.StatusCode, second.StatusCode));
        Assert.Contains("该事项已被他人处理，请刷新后重试。", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var history = (await _cases.CaseAsync("finance", caseId)).GetProperty("history").EnumerateArray().ToList();
        Assert.Single(history, h => h.GetProperty("action").GetString() == "replaceFirm");
        Assert.Equal("commissioning", await _cases.StateAsync(caseId));
        Assert.Equal(1, await app.DbAsync(db => db.ReplacedFirmRecords.CountAsync(r => r.EvaluationId == id))); // the refused second one froze nothing
    }

    [Fact]
    public async Task Given_the_final_report_with_the_firm_When_replaced_Then_back_to_commissioning_and_in_quality_review_it_is_not_offered()
    {
        var id = await _flow.InFinalReportAsync(2018);
        var caseId = await CaseOfAsync(id);
        using var evaluator = await app.ApiAsync("evaluator");
        Assert.Contains(caseId.ToString(), await evaluator.GetStringAsync("/api/inbox/done"), StringComparison.Ordinal); // its 初稿 task
        await _cases.FireOkAsync("finance", caseId, "replaceFirm", Reason);

        // The old firm's done tasks go with the case: the evaluation's firm decides, not the firm the task was opened for.
        Assert.DoesNotContain(caseId.ToString(), await evaluator.GetStringAsync("/api/inbox/done"), StringComparison.Ordinal);
        Assert.Equal("commissioning", await _cases.StateAsync(caseId));
        var kept = await app.DbAsync(db => db.Evaluations.Where(e => e.Id == id).Select(e => new { e.ProblemsJson, e.ReportNumber }).SingleAsync());
        Assert.Contains("部分超期工单系上级转办延迟。", kept.ProblemsJson, StringComparison.Ordinal); // the unit's remark stays for the next firm
        Assert.Null(kept.ReportNumber); // the old firm's document number does not
        var record = await app.DbAsync(db => db.ReplacedFirmRecords.Where(r => r.EvaluationId == id).SingleAsync());
        Assert.Equal(("final_report", "正式报告"), (record.Content.State, record.Content.StateLabel));
        Assert.Contains(record.Content.Problems, p => p.UnitComment == "部分超期工单系上级转办延迟。"); // the record has the draft as the unit commented on it

        // A re-commission keeps the table's template: another one is refused, naming it.
        using var finance = await app.ApiAsync("finance");
        var other = await finance.PostAsJsonAsync($"/api/evaluations/{id}/commission", new { firmId = await app.OrganisationIdAsync(OtherFirm), reportDueDate = "2026-07-31", templateKey = "other-template" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Contains("更换评价机构后不能更换评价指标模板", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var reviewed = await _flow.InFinalReportAsync(2019);
        await EvaluationApi.Ok(await EvaluationApi.ActAsync(await app.ApiAsync("evaluator"), reviewed, "submitFinal"));
        var reviewCase = await CaseOfAsync(reviewed);
        Assert.DoesNotContain("replaceFirm", (await _cases.CaseAsync("finance", reviewCase)).GetProperty("allowedActions").ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await _cases.FireAsync("finance", reviewCase, "replaceFirm", Reason)).StatusCode);
    }

    [Fact]
    public async Task Given_a_case_started_on_version_1_Then_it_is_not_offered_and_the_administrators_alteration_hands_it_to_another_firm()
    {
        var id = await _flow.CommissionedAsync(2013);
        var caseId = await CaseOfAsync(id);
        await app.DbAsync(db => db.WorkflowInstances.Where(i => i.Id == caseId).ExecuteUpdateAsync(s => s.SetProperty(i => i.DefinitionVersion, 1)));
        using var evaluator = await app.ApiAsync("evaluator");
        await EvaluationApi.Ok(await evaluator.PostAsJsonAsync($"/api/evaluations/{id}/team", new { name = "江惠平", isLead = true, noConflict = true }));

        // Version 1 knows no such action; the firm works on unchanged.
        Assert.DoesNotContain("replaceFirm", (await _cases.CaseAsync("finance", caseId)).GetProperty("allowedActions").ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _cases.FireAsync("finance", caseId, "replaceFirm", Reason)).StatusCode);
        Assert.Equal("drafting", await _cases.StateAsync(caseId));
        await EvaluationApi.Ok(await EvaluationApi.ImportAsync(evaluator, id, SampleExternalEvaluation.IndicatorsCsv()));

        // The administrator's 调整状态 back to 委托评价机构, then the officer's commission of another firm: the old team leaves with its firm.
        using var admin = await app.ApiAsync("admin");
        await EvaluationApi.Ok(await admin.PostAsJsonAsync($"/api/cases/{caseId}/alter", new { toState = "commissioning", reason = Reason, expectedVersion = await _cases.VersionAsync(caseId) }));
        using var finance = await app.ApiAsync("finance");
        await EvaluationApi.Ok(await finance.PostAsJsonAsync($"/api/evaluations/{id}/commission", new { firmId = await app.OrganisationIdAsync(OtherFirm), reportDueDate = "2026-07-31", templateKey = EvaluationTemplates.DefaultKey }));
        var detail = await EvaluationApi.JsonAsync(finance, $"/api/evaluations/{id}");
        Assert.Equal(("drafting", OtherFirm, 0), (detail.GetProperty("status").GetString(), detail.GetProperty("firmName").GetString(), detail.GetProperty("team").GetArrayLength()));
        Assert.Equal(1, (await _cases.CaseAsync("finance", caseId)).GetProperty("definitionVersion").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await evaluator.GetAsync($"/api/evaluations/{id}")).StatusCode);
    }

    private Task<Guid> CaseOfAsync(Guid id) => app.DbAsync(db => db.Evaluations.Where(e => e.Id == id).Select(e => e.CaseId!.Value).SingleAsync());

    private Task<Guid> UserIdAsync(string userName) => app.DbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync());
}
