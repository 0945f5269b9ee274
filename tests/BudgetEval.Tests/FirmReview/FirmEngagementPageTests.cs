using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.FirmReview;

/// <summary>
/// One engagement as its parties read the evaluation page (the page the list links to): each step says whom it waits
/// on and by when, and a report the bureau returned carries its reasons where the firm corrects it.
/// </summary>
public sealed partial class FirmEngagementPageTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly EvaluationApi _api = new(app);

    private static readonly TimeZoneInfo China = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public async Task Given_draft_sent_for_comment_When_unit_opens_the_evaluation_Then_it_reads_that_its_comments_are_awaited_and_by_which_day()
    {
        var id = await _api.InCommentWindowAsync(2019);
        var due = await OpenTaskDueAsync(id);

        var waiting = Waiting(await (await app.SignInAsync("unit")).GetStringAsync($"/evaluations/{id}"));

        // The window's last day (5 working days), not the firm's report date shown above it.
        Assert.Contains("「单位征求意见」待长沙市望城区社会治理服务中心（单位填报人）办理", waiting, StringComparison.Ordinal);
        Assert.Contains($"办理期限：{LastDay(due)}", waiting, StringComparison.Ordinal);
        Assert.DoesNotContain("2026年6月30日", waiting, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_commissioned_evaluation_When_firm_and_bureau_open_it_Then_both_read_that_the_firm_drafts_until_the_report_date()
    {
        var id = await _api.CommissionedAsync(2018);

        foreach (var user in new[] { "evaluator", "finance" })
        {
            var waiting = Waiting(await (await app.SignInAsync(user)).GetStringAsync($"/evaluations/{id}"));
            Assert.Contains("「评价及报告初稿」待湖南新财苑会计师事务所有限公司（评价人员）办理，办理期限：2026年6月30日", waiting, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Given_final_report_returned_by_the_bureau_When_firm_opens_the_evaluation_Then_it_reads_the_reasons_and_they_stay_after_resubmission()
    {
        const string reasons = "报告未写明问题整改情况的评分依据，请补充后重新提交。";
        var id = await _api.InFinalReportAsync(2020);
        await EvaluationApi.Ok(await EvaluationApi.ActAsync(await app.ApiAsync("evaluator"), id, "submitFinal"));
        await EvaluationApi.Ok(await EvaluationApi.ActAsync(await app.ApiAsync("finance"), id, "return", reasons));

        var firmPage = await (await app.SignInAsync("evaluator")).GetStringAsync($"/evaluations/{id}");
        var unitPage = await (await app.SignInAsync("unit")).GetStringAsync($"/evaluations/{id}");

        Assert.Contains("正式报告已被财政局退回", Returns(firmPage), StringComparison.Ordinal);
        Assert.Contains(reasons, Returns(firmPage), StringComparison.Ordinal);
        Assert.DoesNotContain(reasons, unitPage, StringComparison.Ordinal); // the bureau's check of the firm's work

        // Resubmitted: the bureau, checking again, still reads what it asked for.
        await EvaluationApi.Ok(await EvaluationApi.ActAsync(await app.ApiAsync("evaluator"), id, "submitFinal"));
        var financePage = await (await app.SignInAsync("finance")).GetStringAsync($"/evaluations/{id}");
        Assert.Contains("财政局退回记录", Returns(financePage), StringComparison.Ordinal);
        Assert.Contains(reasons, Returns(financePage), StringComparison.Ordinal);
        Assert.Contains("「报告质量审核」待长沙市望城区财政局（绩效管理员）办理", Waiting(financePage), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_accepted_report_When_bureau_opens_it_Then_nothing_is_waiting_and_the_firm_no_longer_sees_it()
    {
        var id = await _api.CompletedAsync(2017);

        Assert.Contains("已办结，没有待办。", Waiting(await (await app.SignInAsync("finance")).GetStringAsync($"/evaluations/{id}")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.SignInAsync("evaluator")).GetAsync($"/evaluations/{id}")).StatusCode);
    }

    [Fact]
    public async Task Given_a_score_above_its_weight_When_the_table_is_saved_Then_that_input_is_marked_and_every_typed_score_stays()
    {
        var id = await _api.CommissionedAsync(2016);
        var rows = (await EvaluationApi.JsonAsync(await app.ApiAsync("finance"), $"/api/evaluations/{id}")).GetProperty("rows").EnumerateArray()
            .Select(r => (Level1: r.GetProperty("level1").GetString()!, Level3: r.GetProperty("level3").GetString()!, Weight: r.GetProperty("weight").GetDecimal())).ToList();
        static string Number(decimal d) => d.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
        var evaluator = await app.SignInAsync("evaluator");
        var fields = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", AppFixture.AntiforgeryToken(await evaluator.GetStringAsync($"/evaluations/{id}"))) };
        for (var i = 0; i < rows.Count; i++)
        {
            // The fifth row one point above its weight, the others half of theirs.
            fields.AddRange([new("level1", rows[i].Level1), new("level3", rows[i].Level3), new("score", Number(i == 4 ? rows[i].Weight + 1 : rows[i].Weight / 2)), new("note", "")]);
        }

        var response = await evaluator.PostAsync($"/evaluations/{id}?handler=Scores", new FormUrlEncodedContent(fields));
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"「{rows[4].Level3}」得分应在 0 至 {Number(rows[4].Weight)} 之间", html, StringComparison.Ordinal);
        Assert.Contains($"class=\"score invalid\" value=\"{Number(rows[4].Weight + 1)}\" size=\"4\" aria-label=\"{rows[4].Level3}得分\" aria-invalid=\"true\"", html, StringComparison.Ordinal);
        Assert.Single(AriaInvalid().Matches(html));
        Assert.Contains($"value=\"{Number(rows[0].Weight / 2)}\" size=\"4\" aria-label=\"{rows[0].Level3}得分\" />", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_evaluator_who_is_not_the_主评人_When_opening_the_evaluation_Then_no_team_form_or_移出_button_is_offered_and_the_lead_still_gets_them()
    {
        var id = await _api.CommissionedAsync(2015);
        await EvaluationApi.Ok(await (await app.ApiAsync("evaluator")).PostAsJsonAsync($"/api/evaluations/{id}/team", new { name = "江惠平", isLead = true, noConflict = true }));
        await FirmColleagues.AddEvaluatorAsync(app, "firmstaff", "周敏");

        var staffPage = await (await app.SignInAsync("firmstaff")).GetStringAsync($"/evaluations/{id}");
        var leadPage = await (await app.SignInAsync("evaluator")).GetStringAsync($"/evaluations/{id}");

        // The service refuses a member from anyone but the 主评人: the form and the buttons would only lead to that refusal.
        Assert.DoesNotContain("?handler=Member", staffPage, StringComparison.Ordinal);
        Assert.DoesNotContain("?handler=RemoveMember", staffPage, StringComparison.Ordinal);
        Assert.Contains("评价组成员及其利益冲突声明由主评人确定。", staffPage, StringComparison.Ordinal);
        Assert.Contains("?handler=Scores", staffPage, StringComparison.Ordinal); // still scores
        Assert.Contains("?handler=Member", leadPage, StringComparison.Ordinal);
        Assert.Contains("?handler=RemoveMember", leadPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_exported_score_table_with_a_row_copied_below_When_imported_Then_the_error_names_the_copys_cell_and_the_row_it_repeats()
    {
        var id = await _api.CommissionedAsync(2014);
        var evaluator = await app.ApiAsync("evaluator");
        await EvaluationApi.Ok(await evaluator.PostAsJsonAsync($"/api/evaluations/{id}/team", new { name = "江惠平", isLead = true, noConflict = true }));
        uint original = 0, copy = 0;
        var xlsx = XlsxEdit.FirstSheet(await evaluator.GetByteArrayAsync($"/api/evaluations/{id}/scores/export.xlsx"), sheet =>
        {
            var row = XlsxEdit.RowWith(sheet, "绩效指标明确性");
            original = row.RowIndex!.Value;
            // In place of the 总分 line (rows below it are not read): the copy is the table's last row.
            var total = XlsxEdit.RowWith(sheet, "总分");
            copy = total.RowIndex!.Value;
            total.Remove();
            XlsxEdit.CopyTo(sheet, row, copy);
        });

        var response = await EvaluationApi.ImportAsync(evaluator, id, xlsx, "评分表.xlsx");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateArray().ToList();
        var error = Assert.Single(errors);
        Assert.Equal((int)copy, error.GetProperty("row").GetInt32());
        Assert.Equal("三级指标", error.GetProperty("column").GetString());
        Assert.Contains($"单元格 C{copy}（第{copy}行「三级指标」）指标「绩效指标明确性」与第{original}行重复", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_approved_target_not_yet_commissioned_When_the_bureau_opens_it_Then_one_line_says_the_report_comes_after_commissioning()
    {
        var id = await _api.SelectAndApproveAsync(2013);

        var page = WebUtility.HtmlDecode(await (await app.SignInAsync("finance")).GetStringAsync($"/evaluations/{id}"));

        Assert.Contains("委托评价机构后，由评价机构在此撰写评价报告、列出存在的问题。", page, StringComparison.Ordinal);
        Assert.DoesNotContain("（尚未填写，由评价机构撰写）", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"problems\"", page, StringComparison.Ordinal);
        Assert.Contains("「委托评价机构」待长沙市望城区财政局（绩效管理员）办理", Waiting(page), StringComparison.Ordinal);
    }

    private Task<DateTimeOffset> OpenTaskDueAsync(Guid id) => app.DbAsync(async db =>
    {
        var caseId = await db.Evaluations.IgnoreQueryFilters().Where(e => e.Id == id).Select(e => e.CaseId).SingleAsync();
        return (await db.WorkItems.IgnoreQueryFilters().SingleAsync(w => w.InstanceId == caseId && w.Status == WorkItemStatus.Open)).DueAt!.Value;
    });

    /// <summary>A task due at midnight is due on the day before, in Beijing.</summary>
    private static string LastDay(DateTimeOffset due)
    {
        var local = TimeZoneInfo.ConvertTime(due.AddSeconds(-1), China);
        return $"{local.Year}年{local.Month}月{local.Day}日";
    }

    private static string Waiting(string html) => Text(html, WaitingBlock());

    private static string Returns(string html) => Text(html, ReturnsBlock());

    private static string Text(string html, Regex block)
    {
        var match = block.Match(html);
        Assert.True(match.Success, $"block {block} not on the page");
        return WebUtility.HtmlDecode(Regex.Replace(Tags().Replace(match.Groups[1].Value, string.Empty), @"\s+", " "));
    }

    [GeneratedRegex("data-testid=\"waiting\">(.*?)</dd>", RegexOptions.Singleline)]
    private static partial Regex WaitingBlock();

    [GeneratedRegex("data-testid=\"returns\"[^>]*>(.*?)</div>", RegexOptions.Singleline)]
    private static partial Regex ReturnsBlock();

    [GeneratedRegex("aria-invalid=\"true\"")]
    private static partial Regex AriaInvalid();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
