using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Evaluations;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.EvaluationConcurrency;

/// <summary>
/// Two people on the 重点评价 page at once, over HTTP with signed-in sessions: each form (评价报告, 意见, 答复, one problem)
/// carries a stamp of just what it edits, so the later of two saves of the same part is refused with a message instead of
/// silently overwriting, while a save of another part in between (scores, another problem) refuses nothing.
/// Each test uses its own fiscal year (2011–2015) on the class's database.
/// </summary>
public sealed partial class EvaluationFormStampTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly EvaluationApi _api = new(app);

    [Fact]
    public async Task Given_two_report_forms_and_scores_saved_in_between_When_both_save_Then_the_first_goes_through_the_second_is_refused_keeping_its_text_and_a_resave_overwrites()
    {
        var id = await _api.CommissionedAsync(2011);
        var first = await app.SignInAsync("evaluator");
        var second = await app.SignInAsync("evaluator");
        var pageA = await first.GetStringAsync($"/evaluations/{id}");
        var pageB = await second.GetStringAsync($"/evaluations/{id}");
        Assert.Equal(Hidden(pageA, "reportStamp"), Hidden(pageB, "reportStamp"));

        // A teammate saves scores: the evaluation's version moves, the report does not.
        var api = await app.ApiAsync("evaluator");
        await EvaluationApi.Ok(await api.PutAsJsonAsync($"/api/evaluations/{id}/scores", new
        {
            rows = new[] { new { level1 = "投入", level3 = "绩效目标合理性", score = 1.5m, note = "目标与职责部分相关" } },
            expectedVersion = await EvaluationApi.VersionAsync(api, id),
        }));

        var saved = await PostAsync(first, id, "Report", pageA, [new("sections[overview]", "甲写的部门概况"), new("reportNumber", "甲文号")], "reportStamp");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var refused = await PostAsync(second, id, "Report", pageB, [new("sections[overview]", "乙写的部门概况"), new("reportNumber", "乙文号")], "reportStamp");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains(DetailsModel.ReportStaleMessage, html, StringComparison.Ordinal);
        Assert.Contains(">乙写的部门概况</textarea>", html, StringComparison.Ordinal);
        Assert.Contains("value=\"乙文号\"", html, StringComparison.Ordinal);
        Assert.Equal(("甲写的部门概况", "甲文号"), await ReportAsync(id));

        // The refusal page carries the stamp of what the first person saved: saving again is a knowing overwrite.
        Assert.NotEqual(Hidden(pageB, "reportStamp"), Hidden(html, "reportStamp"));
        var resaved = await PostAsync(second, id, "Report", html, [new("sections[overview]", "乙写的部门概况"), new("reportNumber", "乙文号")], "reportStamp");
        Assert.Equal(HttpStatusCode.Redirect, resaved.StatusCode);
        Assert.Equal(("乙写的部门概况", "乙文号"), await ReportAsync(id));
    }

    [Fact]
    public async Task Given_an_older_report_form_without_a_stamp_When_saved_after_another_save_Then_it_saves_as_before()
    {
        var id = await _api.CommissionedAsync(2012);
        var evaluator = await app.SignInAsync("evaluator");
        var page = await evaluator.GetStringAsync($"/evaluations/{id}");
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(evaluator, id, "Report", page, [new("sections[overview]", "第一版")], "reportStamp")).StatusCode);

        var unstamped = await PostAsync(evaluator, id, "Report", page, [new("sections[overview]", "旧页面的版本")], stampField: null);

        Assert.Equal(HttpStatusCode.Redirect, unstamped.StatusCode);
        Assert.Equal("旧页面的版本", (await ReportAsync(id)).Overview);
    }

    [Fact]
    public async Task Given_two_unit_comment_forms_When_both_save_Then_the_second_is_refused_keeping_its_text_and_a_resave_overwrites()
    {
        var id = await _api.InCommentWindowAsync(2013);
        var first = await app.SignInAsync("unit");
        var second = await app.SignInAsync("unit");
        var pageA = await first.GetStringAsync($"/evaluations/{id}");
        var pageB = await second.GetStringAsync($"/evaluations/{id}");

        var saved = await PostAsync(first, id, "Comments", pageA, [new("general", "甲：基本同意。"), new("no", "1"), new("comment", "甲对问题1的意见")], "commentsStamp");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var refused = await PostAsync(second, id, "Comments", pageB, [new("general", "乙：有不同意见。"), new("no", "1"), new("comment", "乙对问题1的异议"), new("disputed", "1")], "commentsStamp");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains(DetailsModel.CommentsStaleMessage, html, StringComparison.Ordinal);
        Assert.Contains(">乙：有不同意见。</textarea>", html, StringComparison.Ordinal);
        Assert.Contains(">乙对问题1的异议</textarea>", html, StringComparison.Ordinal);
        var stored = await EvaluationAsync(id);
        Assert.Equal("甲：基本同意。", stored.UnitComment);
        Assert.Equal(("甲对问题1的意见", false), (stored.Problems[0].UnitComment, stored.Problems[0].Disputed));

        var resaved = await PostAsync(second, id, "Comments", html, [new("general", "乙：有不同意见。"), new("no", "1"), new("comment", "乙对问题1的异议"), new("disputed", "1")], "commentsStamp");
        Assert.Equal(HttpStatusCode.Redirect, resaved.StatusCode);
        stored = await EvaluationAsync(id);
        Assert.Equal("乙：有不同意见。", stored.UnitComment);
        Assert.Equal(("乙对问题1的异议", true), (stored.Problems[0].UnitComment, stored.Problems[0].Disputed));
    }

    [Fact]
    public async Task Given_two_answer_forms_and_a_problem_corrected_in_between_When_both_save_Then_the_first_goes_through_and_the_second_is_refused()
    {
        var id = await _api.InFinalReportAsync(2014);
        var first = await app.SignInAsync("evaluator");
        var second = await app.SignInAsync("evaluator");
        var pageA = await first.GetStringAsync($"/evaluations/{id}");
        var pageB = await second.GetStringAsync($"/evaluations/{id}");

        // Another part (a problem's text) saved in between does not refuse the answers.
        Assert.Equal(HttpStatusCode.Redirect, (await EditProblemAsync(first, id, 1, await first.GetStringAsync($"/evaluations/{id}?problem=1"), "改过的问题1标题")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(first, id, "Answers", pageA, [new("no", "8"), new("answer", "甲的答复")], "answersStamp")).StatusCode);

        var refused = await PostAsync(second, id, "Answers", pageB, [new("no", "8"), new("answer", "乙的答复")], "answersStamp");

        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains(DetailsModel.AnswersStaleMessage, html, StringComparison.Ordinal);
        Assert.Contains(">乙的答复</textarea>", html, StringComparison.Ordinal);
        Assert.Equal("甲的答复", (await EvaluationAsync(id)).Problems[7].FirmAnswer);
    }

    [Fact]
    public async Task Given_two_edit_forms_of_problem_3_When_both_save_Then_the_second_and_a_stale_delete_are_refused_while_problem_4_and_fresh_deletes_go_through()
    {
        var id = await _api.InFinalReportAsync(2015);
        var first = await app.SignInAsync("evaluator");
        var second = await app.SignInAsync("evaluator");
        var editA = await first.GetStringAsync($"/evaluations/{id}?problem=3");
        var editB = await second.GetStringAsync($"/evaluations/{id}?problem=3");
        var edit4 = await second.GetStringAsync($"/evaluations/{id}?problem=4");
        var list = await second.GetStringAsync($"/evaluations/{id}");
        var original = (await EvaluationAsync(id)).Problems;

        Assert.Equal(HttpStatusCode.Redirect, (await EditProblemAsync(first, id, 3, editA, "甲改的问题3")).StatusCode);
        // Another problem meanwhile: its own stamp still holds.
        Assert.Equal(HttpStatusCode.Redirect, (await EditProblemAsync(second, id, 4, edit4, "乙改的问题4")).StatusCode);

        var refused = await EditProblemAsync(second, id, 3, editB, "乙改的问题3");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("问题3已被他人修改或删除（本次修改未生效），请刷新后再修改。", html, StringComparison.Ordinal);
        Assert.Contains("value=\"乙改的问题3\"", html, StringComparison.Ordinal);
        var stored = (await EvaluationAsync(id)).Problems;
        Assert.Equal(["甲改的问题3", "乙改的问题4"], stored.Skip(2).Take(2).Select(p => p.Title));

        // The list was loaded before problem 3 was changed: deleting it from there is refused, nothing removed.
        var staleDelete = await DeleteAsync(second, id, 3, list);
        Assert.Contains("问题3已被他人修改或删除（本次删除未生效），请刷新后再删除。", WebUtility.HtmlDecode(await staleDelete.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(original.Count, (await EvaluationAsync(id)).Problems.Count);

        // From a fresh list the delete goes through; problem 3 moves up to 2, so an edit form of 问题3 loaded before is refused.
        var fresh = await second.GetStringAsync($"/evaluations/{id}");
        Assert.Equal(HttpStatusCode.Redirect, (await DeleteAsync(second, id, 2, fresh)).StatusCode);
        Assert.Equal(original.Count - 1, (await EvaluationAsync(id)).Problems.Count);
        var renumbered = await EditProblemAsync(second, id, 3, html, "乙改的问题3"); // the refusal page's form, stamped before the delete
        Assert.Contains("问题3已被他人修改或删除", WebUtility.HtmlDecode(await renumbered.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal("乙改的问题4", (await EvaluationAsync(id)).Problems[2].Title);
    }

    private Task<HttpResponseMessage> EditProblemAsync(HttpClient client, Guid id, int no, string editPage, string title)
    {
        var shown = Regex.Match(WebUtility.HtmlDecode(editPage), "id=\"detail\" name=\"detail\" rows=\"3\" required>([^<]*)</textarea>");
        Assert.True(shown.Success, "the edit form");
        return PostAsync(client, id, "Problem", editPage,
        [
            new("no", no.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("category", Selected(editPage, "category")), new("title", title),
            new("detail", shown.Groups[1].Value), new("indicatorRow", Selected(editPage, "indicatorRow")),
        ], "problemStamp");
    }

    private static Task<HttpResponseMessage> DeleteAsync(HttpClient client, Guid id, int no, string listPage)
    {
        var fields = StampsPattern().Matches(listPage).Select(m => new KeyValuePair<string, string>("stamps", m.Groups[1].Value)).ToList();
        Assert.NotEmpty(fields);
        fields.Add(new("no", no.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return PostAsync(client, id, "DeleteProblem", listPage, fields, stampField: null);
    }

    /// <summary>Posts a form of the page as loaded in <paramref name="page"/>: its antiforgery token and, when named, its hidden stamp.</summary>
    private static Task<HttpResponseMessage> PostAsync(HttpClient client, Guid id, string handler, string page, List<KeyValuePair<string, string>> fields, string? stampField)
    {
        if (stampField is not null)
        {
            fields.Add(new(stampField, Hidden(page, stampField)));
        }

        fields.Add(new("__RequestVerificationToken", AppFixture.AntiforgeryToken(page)));
        return client.PostAsync($"/evaluations/{id}?handler={handler}", new FormUrlEncodedContent(fields));
    }

    private static string Hidden(string page, string name)
    {
        var m = Regex.Match(page, $"<input type=\"hidden\" name=\"{name}\" value=\"([0-9a-f]{{16}})\"");
        Assert.True(m.Success, $"hidden {name} on the page");
        return m.Groups[1].Value;
    }

    private static string Selected(string page, string select)
    {
        var m = Regex.Match(WebUtility.HtmlDecode(page), $"<select id=\"{select}\" name=\"{select}\">(?:(?!</select>).)*?<option selected=\"selected\">([^<]*)</option>", RegexOptions.Singleline);
        return m.Success ? m.Groups[1].Value : string.Empty;
    }

    private Task<Evaluation> EvaluationAsync(Guid id) => app.DbAsync(db => db.Evaluations.AsNoTracking().SingleAsync(e => e.Id == id));

    private async Task<(string? Overview, string? Number)> ReportAsync(Guid id)
    {
        var e = await EvaluationAsync(id);
        return (e.Report.GetValueOrDefault("overview"), e.ReportNumber);
    }

    [GeneratedRegex("<input type=\"hidden\" form=\"delete-problem\" name=\"stamps\" value=\"([0-9]+:[0-9a-f]{16})\"")]
    private static partial Regex StampsPattern();
}
