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
/// 原评价机构评分: 更换评价机构 freezes what the old firm had scored and written, in the replacement's transaction, so the new
/// firm's revisions no longer lose it. The bureau and the new firm read it; the unit when it sees the score table; the
/// replaced firm never (404).
/// </summary>
public sealed class ReplacedFirmScoresTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string OtherFirm = BudgetEval.Web.Demo.DemoSeeder.ZhengHeng;
    private const string Reason = "评价机构逾期未提交初稿，经催告仍无法按期完成。";
    private const string Level3 = "绩效目标合理性";
    private const string NewNote = "新评价机构复核：绩效目标与部门职责部分相关。";

    private readonly EvaluationApi _flow = new(app);
    private readonly CaseApi _cases = new(app);

    [Fact]
    public async Task Given_the_old_firms_scores_When_the_new_firm_revises_them_Then_the_record_keeps_the_old_values_for_the_bureau_and_the_new_firm_and_the_old_firm_gets_404()
    {
        await FirmColleagues.AddEvaluatorAsync(app, "zhengheng.scores", "周正衡", OtherFirm, lead: true);
        var id = await _flow.CommissionedAsync(2012);
        var caseId = await CaseOfAsync(id);
        using var oldFirm = await app.ApiAsync("evaluator");
        await EvaluationApi.Ok(await oldFirm.PostAsJsonAsync($"/api/evaluations/{id}/team", new { name = "江惠平", isLead = true, noConflict = true }));
        await EvaluationApi.Ok(await EvaluationApi.ImportAsync(oldFirm, id, SampleExternalEvaluation.IndicatorsCsv()));
        await EvaluationApi.Ok(await oldFirm.PutAsJsonAsync($"/api/evaluations/{id}/report", new { expectedVersion = await EvaluationApi.VersionAsync(oldFirm, id), sections = SampleExternalEvaluation.Sections }));
        await EvaluationApi.Ok(await oldFirm.PutAsJsonAsync($"/api/evaluations/{id}/problems", new { expectedVersion = await EvaluationApi.VersionAsync(oldFirm, id), problems = SampleExternalEvaluation.Problems }));
        using var finance = await app.ApiAsync("finance");
        var before = await EvaluationApi.JsonAsync(finance, $"/api/evaluations/{id}");
        var oldRow = Row(before, Level3);
        var (oldScore, oldNote) = (oldRow.GetProperty("score").GetDecimal(), oldRow.GetProperty("note").GetString());
        Assert.NotEqual(1.5m, oldScore); // the new firm's value below differs from the old one

        await _cases.FireOkAsync("finance", caseId, "replaceFirm", Reason);
        await EvaluationApi.Ok(await finance.PostAsJsonAsync($"/api/evaluations/{id}/commission",
            new { firmId = await app.OrganisationIdAsync(OtherFirm), reportDueDate = "2026-07-31", templateKey = EvaluationTemplates.DefaultKey }));
        using var newFirm = await app.ApiAsync("zhengheng.scores");
        await EvaluationApi.Ok(await newFirm.PutAsJsonAsync($"/api/evaluations/{id}/scores",
            new { rows = new[] { new { level1 = "投入", level3 = Level3, score = 1.5m, note = NewNote } }, expectedVersion = await EvaluationApi.VersionAsync(newFirm, id) }));
        await EvaluationApi.Ok(await newFirm.PutAsJsonAsync($"/api/evaluations/{id}/problems",
            new { expectedVersion = await EvaluationApi.VersionAsync(newFirm, id), problems = SampleExternalEvaluation.Problems.Skip(1) }));

        // The evaluation now carries the new firm's value; the record the old firm's, with the sheet as it was then.
        var now = await EvaluationApi.JsonAsync(finance, $"/api/evaluations/{id}");
        Assert.Equal((1.5m, NewNote), (Row(now, Level3).GetProperty("score").GetDecimal(), Row(now, Level3).GetProperty("note").GetString()));
        var records = await EvaluationApi.JsonAsync(finance, $"/api/evaluations/{id}/replaced-firms");
        var record = Assert.Single(records.EnumerateArray());
        Assert.Equal((1, DemoSeeder.XinCaiYuan, "李敏", Reason, "drafting"), (record.GetProperty("no").GetInt32(), record.GetProperty("firmName").GetString(),
            record.GetProperty("replacedBy").GetString(), record.GetProperty("reason").GetString(), record.GetProperty("state").GetString()));
        Assert.Equal(await app.OrganisationIdAsync(DemoSeeder.XinCaiYuan), record.GetProperty("firmId").GetGuid());
        Assert.Equal((oldScore, oldNote), (Row(record, Level3).GetProperty("score").GetDecimal(), Row(record, Level3).GetProperty("note").GetString()));
        Assert.Equal(before.GetProperty("rows").GetArrayLength(), record.GetProperty("rows").GetArrayLength());
        Assert.Equal(before.GetProperty("totalScore").GetDecimal(), record.GetProperty("total").GetDecimal());
        Assert.Equal(before.GetProperty("grade").GetString(), record.GetProperty("grade").GetString());
        Assert.NotEqual(now.GetProperty("totalScore").GetDecimal(), record.GetProperty("total").GetDecimal());
        Assert.Equal(SampleExternalEvaluation.Problems.Count, record.GetProperty("problems").GetArrayLength());
        Assert.Equal(SampleExternalEvaluation.Problems[0].Title, record.GetProperty("problems")[0].GetProperty("title").GetString());
        Assert.Equal(SampleExternalEvaluation.Sections["overview"], record.GetProperty("sections").EnumerateArray().Single(s => s.GetProperty("key").GetString() == "overview").GetProperty("text").GetString());

        // The bureau's other roles read it too.
        foreach (var user in new[] { "financelead", "admin" })
        {
            using var client = await app.ApiAsync(user);
            Assert.Single((await EvaluationApi.JsonAsync(client, $"/api/evaluations/{id}/replaced-firms")).EnumerateArray());
        }

        // The evaluation page links the replacement to the record; the record's page shows the old values read-only.
        using var officer = await app.SignInAsync("finance");
        var details = WebUtility.HtmlDecode(await officer.GetStringAsync($"/evaluations/{id}"));
        Assert.Contains($"<a href=\"/evaluations/{id}/replaced-firms#replaced-firm-1\" data-testid=\"replaced-firm-link\">查看原评价机构评分</a>", details, StringComparison.Ordinal);
        var page = WebUtility.HtmlDecode(await officer.GetStringAsync($"/evaluations/{id}/replaced-firms"));
        Assert.Contains($"<dd data-testid=\"replaced-firm-name\">{DemoSeeder.XinCaiYuan}</dd>", page, StringComparison.Ordinal);
        Assert.Contains(Reason, page, StringComparison.Ordinal);
        Assert.Contains($"<td class=\"num\">{oldScore:0.##}</td><td>{oldNote}</td>", page, StringComparison.Ordinal);
        Assert.DoesNotContain(NewNote, page, StringComparison.Ordinal);
        Assert.Contains($"data-testid=\"replaced-firm-grade\">等级：{before.GetProperty("grade").GetString()}</th>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", page[page.IndexOf("<h1>", StringComparison.Ordinal)..], StringComparison.Ordinal); // read-only

        // The new firm took the table over and reads what it inherited; the replaced firm reads nothing.
        Assert.Single((await EvaluationApi.JsonAsync(newFirm, $"/api/evaluations/{id}/replaced-firms")).EnumerateArray());
        using var newFirmPage = await app.SignInAsync("zhengheng.scores");
        Assert.Equal(HttpStatusCode.OK, (await newFirmPage.GetAsync($"/evaluations/{id}/replaced-firms")).StatusCode);
        using var oldFirmPage = await app.SignInAsync("evaluator");
        Assert.Equal(HttpStatusCode.NotFound, (await oldFirm.GetAsync($"/api/evaluations/{id}/replaced-firms")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await oldFirmPage.GetAsync($"/evaluations/{id}/replaced-firms")).StatusCode);

        // The unit sees the score table only from its comment window: the record likewise (404 before, then read).
        using var unit = await app.ApiAsync("unit");
        using var unitPage = await app.SignInAsync("unit");
        Assert.Equal(HttpStatusCode.NotFound, (await unit.GetAsync($"/api/evaluations/{id}/replaced-firms")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await unitPage.GetAsync($"/evaluations/{id}/replaced-firms")).StatusCode);
        Assert.DoesNotContain("replaced-firm-link", await unitPage.GetStringAsync($"/evaluations/{id}"), StringComparison.Ordinal);
        await EvaluationApi.Ok(await newFirm.PostAsJsonAsync($"/api/evaluations/{id}/team", new { name = "周正衡", isLead = true, noConflict = true }));
        await EvaluationApi.Ok(await EvaluationApi.ActAsync(newFirm, id, "submitDraft"));
        Assert.Equal(oldScore, Row((await EvaluationApi.JsonAsync(unit, $"/api/evaluations/{id}/replaced-firms"))[0], Level3).GetProperty("score").GetDecimal());
        Assert.Contains("replaced-firm-link", await unitPage.GetStringAsync($"/evaluations/{id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_table_nobody_scored_yet_When_the_firm_is_replaced_Then_the_record_has_the_rows_unscored_and_the_page_says_未评分()
    {
        var id = await _flow.CommissionedAsync(2011);
        var rows = (await EvaluationApi.JsonAsync(await app.ApiAsync("finance"), $"/api/evaluations/{id}")).GetProperty("rows").GetArrayLength();

        await _cases.FireOkAsync("finance", await CaseOfAsync(id), "replaceFirm", Reason);

        var record = Assert.Single((await EvaluationApi.JsonAsync(await app.ApiAsync("finance"), $"/api/evaluations/{id}/replaced-firms")).EnumerateArray());
        Assert.Equal(rows, record.GetProperty("rows").GetArrayLength());
        Assert.All(record.GetProperty("rows").EnumerateArray(), r => Assert.Equal(JsonValueKind.Null, r.GetProperty("score").ValueKind));
        Assert.Empty(record.GetProperty("problems").EnumerateArray());
        var page = WebUtility.HtmlDecode(await (await app.SignInAsync("finance")).GetStringAsync($"/evaluations/{id}/replaced-firms"));
        Assert.Contains("data-testid=\"replaced-firm-total\">—</td>", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"replaced-firm-grade\">等级：未评分</th>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_evaluation_whose_table_has_no_rows_When_the_firm_is_replaced_Then_the_replacement_goes_through_and_the_record_says_so()
    {
        var id = await _flow.CommissionedAsync(2010);
        await app.DbAsync(db => db.Evaluations.IgnoreQueryFilters().Where(e => e.Id == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.RowsJson, "[]")));

        await _cases.FireOkAsync("finance", await CaseOfAsync(id), "replaceFirm", Reason);

        var record = Assert.Single((await EvaluationApi.JsonAsync(await app.ApiAsync("finance"), $"/api/evaluations/{id}/replaced-firms")).EnumerateArray());
        Assert.Empty(record.GetProperty("rows").EnumerateArray());
        Assert.Equal(0m, record.GetProperty("total").GetDecimal());
        Assert.Contains("data-testid=\"replaced-firm-no-rows\"", await (await app.SignInAsync("finance")).GetStringAsync($"/evaluations/{id}/replaced-firms"), StringComparison.Ordinal);
        Assert.Equal("commissioning", await _cases.StateAsync(await CaseOfAsync(id)));
    }

    [Fact]
    public async Task Given_a_replacement_refused_for_want_of_a_reason_Then_no_record_is_written_and_the_page_lists_none()
    {
        var id = await _flow.CommissionedAsync(2009);
        await EvaluationApi.Ok(await EvaluationApi.ImportAsync(await app.ApiAsync("evaluator"), id, SampleExternalEvaluation.IndicatorsCsv()));

        var refused = await _cases.FireAsync("finance", await CaseOfAsync(id), "replaceFirm", " ");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.False(await app.DbAsync(db => db.ReplacedFirmRecords.IgnoreQueryFilters().AnyAsync(r => r.EvaluationId == id)));
        Assert.Empty((await EvaluationApi.JsonAsync(await app.ApiAsync("finance"), $"/api/evaluations/{id}/replaced-firms")).EnumerateArray());
        Assert.Contains("data-testid=\"replaced-firms-empty\"", await (await app.SignInAsync("finance")).GetStringAsync($"/evaluations/{id}/replaced-firms"), StringComparison.Ordinal);
    }

    private static JsonElement Row(JsonElement owner, string level3) =>
        owner.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("level3").GetString() == level3);

    private Task<Guid> CaseOfAsync(Guid id) => app.DbAsync(db => db.Evaluations.IgnoreQueryFilters().Where(e => e.Id == id).Select(e => e.CaseId!.Value).SingleAsync());
}
