using System.Net;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Rectifications;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Workflows;

/// <summary>
/// What the case page says after an action: what happened and who acts next; a refusal comes back as a
/// page reached by redirect (nothing to re-send on refresh) with the typed comment kept; 部分整改 takes its
/// new deadline beside the button.
/// </summary>
public sealed partial class CaseFeedbackTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly CaseApi _api = new(app);

    [Fact]
    public async Task Given_a_case_When_each_step_is_taken_on_the_case_page_Then_the_flash_names_the_action_the_next_state_and_who_acts()
    {
        var (_, caseId) = await _api.CreateAsync();
        var unit = await app.SignInAsync("unit");

        var submitted = await FireAsync(unit, caseId, "submit");
        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        Assert.Contains("已办理「提交」，事项转入「单位审核」，等待单位负责人办理。", Flash(await unit.GetStringAsync($"/cases/{caseId}")), StringComparison.Ordinal);

        var head = await app.SignInAsync("unithead");
        await FireAsync(head, caseId, "return", "请补充说明。");
        Assert.Contains("已办理「退回」，事项转入「草稿」，等待单位填报人办理。", Flash(await head.GetStringAsync($"/cases/{caseId}")), StringComparison.Ordinal);

        await FireAsync(unit, caseId, "submit");
        await FireAsync(head, caseId, "approve");
        var finance = await app.SignInAsync("finance");
        await FireAsync(finance, caseId, "accept");
        var page = await finance.GetStringAsync($"/cases/{caseId}");
        Assert.Contains("已办理「通过」，流程结束（已通过）。", Flash(page), StringComparison.Ordinal);
        Assert.DoesNotContain("已办理。", page, StringComparison.Ordinal);
        Assert.Equal("accepted", await _api.StateAsync(caseId));
    }

    [Fact]
    public async Task Given_a_return_without_a_comment_When_refused_Then_it_redirects_to_the_case_with_the_error_and_the_typed_text_and_a_reload_changes_nothing()
    {
        var caseId = await _api.CaseInStateAsync("bureau_review");
        var finance = await app.SignInAsync("finance");
        var version = await _api.VersionAsync(caseId);
        // (An over-long comment is answered by the page itself, whole text kept: CasePageForms/CasePageFormsTests.)
        var refused = await FireAsync(finance, caseId, "return", "");

        // A redirect to the case itself, not a page rendered as the answer to the POST.
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal($"/cases/{caseId}", refused.Headers.Location?.OriginalString);
        var page = await finance.GetStringAsync($"/cases/{caseId}");
        Assert.Contains("data-testid=\"case-errors\"", page, StringComparison.Ordinal);
        Assert.Contains("「退回修改」须填写意见。", page, StringComparison.Ordinal);
        Assert.Matches("<textarea id=\"comment-accept\"[^>]*></textarea>", page); // kept for the refused action only

        // Reloading shows the case afresh: the message was for one view only, and nothing moved.
        var reloaded = await finance.GetStringAsync($"/cases/{caseId}");
        Assert.DoesNotContain("data-testid=\"case-errors\"", reloaded, StringComparison.Ordinal);
        Assert.Equal("bureau_review", await _api.StateAsync(caseId));
        Assert.Equal(version, await _api.VersionAsync(caseId));
    }

    [Fact]
    public async Task Given_a_finding_awaiting_verification_When_finance_types_the_new_deadline_beside_partial_on_the_case_page_Then_it_is_saved_and_the_case_goes_back_to_the_unit()
    {
        var rect = new RectificationApi(app);
        var (id, caseId) = await rect.RegisterAsync("固定资产账实不符", new DateOnly(2026, 5, 1));
        await rect.PlanAndReportAsync(id, caseId);
        var finance = await app.SignInAsync("finance");
        var page = await finance.GetStringAsync($"/cases/{caseId}");
        Assert.Matches("<form[^>]*data-action=\"partial\"[\\s\\S]*?name=\"nextDeadline\" type=\"date\"", page);

        // Without a date: refused naming the field, nothing saved, nothing fired.
        var missing = await FireAsync(finance, caseId, "partial", "尚有两项资产未入账。", new() { ["nextDeadline"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, missing.StatusCode);
        Assert.Contains("请填写「新整改期限」", await finance.GetStringAsync($"/cases/{caseId}"), StringComparison.Ordinal);

        // With a date but no comment: refused before the date is saved.
        await FireAsync(finance, caseId, "partial", null, new() { ["nextDeadline"] = "2026-06-30" });
        Assert.Contains("「部分整改」须填写意见。", await finance.GetStringAsync($"/cases/{caseId}"), StringComparison.Ordinal);
        Assert.Null(await app.DbAsync(db => db.Findings.Where(f => f.Id == id).Select(f => f.NextDeadline).SingleAsync()));
        Assert.Equal("verifying", await _api.StateAsync(caseId));

        var done = await FireAsync(finance, caseId, "partial", "尚有两项资产未入账。", new() { ["nextDeadline"] = "2026-06-30" });
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("implementing", await _api.StateAsync(caseId));
        var finding = await rect.FindingAsync("finance", id);
        Assert.Equal(new DateOnly(2026, 6, 30), RectificationApi.Date(finding.GetProperty("rectification").GetProperty("deadline")));
        Assert.Contains("已办理「部分整改」，事项转入「整改落实」，等待单位填报人办理。", Flash(await finance.GetStringAsync($"/cases/{caseId}")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_first_submission_When_the_unit_head_reviews_it_Then_no_diff_is_shown_but_a_line_and_a_link_to_the_full_text()
    {
        var (id, caseId) = await _api.CreateAsync();
        await _api.FireOkAsync("unit", caseId, "submit");

        var page = await (await app.SignInAsync("unithead")).GetStringAsync($"/cases/{caseId}");

        Assert.Contains("首次提交，无可比较的上一版本", page, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/self-evaluations/{id}/print\">查看全文（打印视图）</a>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("版本差异", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"version-diff\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_incomplete_self_evaluation_When_submit_is_refused_on_the_case_page_Then_the_errors_end_with_a_link_to_where_the_content_is_filled_in()
    {
        var (id, caseId) = await _api.CreateAsync(complete: false);
        var unit = await app.SignInAsync("unit");

        await FireAsync(unit, caseId, "submit");
        var page = await unit.GetStringAsync($"/cases/{caseId}");
        Assert.Contains("data-testid=\"case-errors\"", page, StringComparison.Ordinal);
        Assert.Contains($"请在<a href=\"/self-evaluations/{id}/edit\">自评内容页面</a>中填写后再办理。", page, StringComparison.Ordinal);

        // A refusal about the comment only is answered beside the button: no link.
        var bureau = await _api.CaseInStateAsync("bureau_review");
        var finance = await app.SignInAsync("finance");
        await FireAsync(finance, bureau, "return");
        var returned = await finance.GetStringAsync($"/cases/{bureau}");
        Assert.Contains("「退回修改」须填写意见。", returned, StringComparison.Ordinal);
        Assert.DoesNotContain("case-errors-subject", returned, StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> FireAsync(HttpClient client, Guid caseId, string action, string? comment = null, Dictionary<string, string>? more = null)
    {
        var page = await client.GetStringAsync($"/cases/{caseId}");
        var fields = new Dictionary<string, string>(more ?? [])
        {
            // The finding's stamp beside 部分整改, as the page's form sends it (none for other actions).
            ["stamp"] = Regex.Match(page, "name=\"stamp\" value=\"([0-9a-f]{16})\"").Groups[1].Value,
            ["action"] = action,
            ["expectedVersion"] = $"{await _api.VersionAsync(caseId)}",
            ["comment"] = comment ?? "",
            ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(page),
        };
        return await client.PostAsync($"/cases/{caseId}?handler=Fire", new FormUrlEncodedContent(fields));
    }

    private static string Flash(string html) => FlashDiv().Match(html) is { Success: true } m ? m.Groups[1].Value : "";

    [GeneratedRegex("<div class=\"flash\" role=\"status\">([^<]*)</div>")]
    private static partial Regex FlashDiv();
}
