using System.Net;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Admin;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Workflows;
using BudgetEval.Web.Workflows;

namespace BudgetEval.Tests.ReviewWeek2;

/// <summary>
/// A comment typed on a case page that someone else has moved on since: the refusal reloads the page, and what was
/// typed is never gone — back in its box when the action is still offered, else shown read-only to copy.
/// </summary>
public sealed partial class StaleCaseCommentTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly CaseApi _api = new(app);

    // Long, with line breaks and characters that need escaping, as a real review opinion is.
    private static readonly string LongComment = string.Join("\n", Enumerable.Range(1, 12)
        .Select(i => $"第{i}条：经审核，该单位2025年度部门整体支出绩效自评材料齐全，预算执行率 96.5% < 100%，指标「群众满意度」完成值符合目标值，同意通过。"));

    [Fact]
    public async Task Given_a_case_a_colleague_returned_When_the_officer_presses_通过_with_a_long_comment_on_the_stale_page_Then_the_reloaded_page_shows_the_comment_read_only()
    {
        var caseId = await _api.CaseInStateAsync("bureau_review");
        var officer = await app.SignInAsync("finance");
        Assert.Contains("data-action=\"accept\"", await officer.GetStringAsync($"/cases/{caseId}"), StringComparison.Ordinal);
        var shown = await _api.VersionAsync(caseId);
        await _api.FireOkAsync("finance", caseId, "return", "请补充绩效目标完成情况。"); // a colleague, in another session

        var response = await FireAsync(officer, caseId, "accept", shown, LongComment);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = WebUtility.HtmlDecode(await officer.GetStringAsync(response.Headers.Location));
        Assert.Contains(CaseModel.StaleReloaded, page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-action=\"accept\"", page, StringComparison.Ordinal); // its box is gone with the state
        var kept = KeptBlock().Match(page);
        Assert.True(kept.Success, "the typed comment is shown");
        Assert.Contains("您填写的意见（未提交）：", kept.Value, StringComparison.Ordinal);
        Assert.Matches($"<textarea id=\"kept-comment\" readonly [^>]*rows=\"12\"[^>]*>{Regex.Escape(LongComment)}</textarea>", kept.Value);
        Assert.Equal("returned", await _api.StateAsync(caseId));
    }

    [Fact]
    public async Task Given_a_case_that_moved_but_still_offers_the_action_When_the_stale_page_sends_it_Then_the_comment_is_back_in_its_box_and_not_shown_twice()
    {
        var caseId = await _api.CaseInStateAsync("bureau_review");
        var officer = await app.SignInAsync("finance");
        var shown = await _api.VersionAsync(caseId);
        var task = (await _api.CaseAsync("finance", caseId)).GetProperty("openWorkItems")[0].GetProperty("id").GetGuid();
        var claim = await (await _api.As("finance")).PostAsync($"/api/cases/{caseId}/tasks/{task}/claim",
            System.Net.Http.Json.JsonContent.Create(new { expectedVersion = shown })); // the same officer, in another tab
        Assert.Equal(HttpStatusCode.OK, claim.StatusCode);

        var response = await FireAsync(officer, caseId, "return", shown, LongComment);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = WebUtility.HtmlDecode(await officer.GetStringAsync(response.Headers.Location));
        Assert.Contains(CaseModel.StaleReloaded, page, StringComparison.Ordinal);
        Assert.Matches($"<textarea id=\"comment-return\"[^>]*>{Regex.Escape(LongComment)}</textarea>", page);
        Assert.DoesNotContain("case-kept-comment", page, StringComparison.Ordinal);
        Assert.Equal("bureau_review", await _api.StateAsync(caseId));
    }

    [Fact]
    public async Task Given_an_action_the_sender_may_not_take_When_sent_with_a_comment_Then_the_403_page_shows_the_comment_read_only()
    {
        // The unit's filler on its own case in 财政审核, with the current revision: not stale, but not theirs to decide
        // (a tab left open across a change of roles, or a crafted request). The refusal keeps its 403 and the text.
        var caseId = await _api.CaseInStateAsync("bureau_review");
        var filler = await app.SignInAsync("unit");

        var response = await FireAsync(filler, caseId, "accept", await _api.VersionAsync(caseId), LongComment);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        var kept = KeptBlock().Match(page);
        Assert.True(kept.Success, "the typed comment is shown");
        Assert.Matches($"<textarea id=\"kept-comment\" readonly [^>]*>{Regex.Escape(LongComment)}</textarea>", kept.Value);
        Assert.Equal("bureau_review", await _api.StateAsync(caseId));
    }

    /// <summary>An action's form on the case page, sent with the revision the page showed.</summary>
    private static Task<HttpResponseMessage> FireAsync(HttpClient client, Guid caseId, string action, int shownVersion, string comment) =>
        client.PostFormAsync($"/cases/{caseId}", new Dictionary<string, string>
        {
            ["action"] = action,
            ["expectedVersion"] = $"{shownVersion}",
            ["comment"] = comment,
            ["idempotencyKey"] = Guid.NewGuid().ToString("N"),
        }, $"/cases/{caseId}?handler=Fire");

    [GeneratedRegex("<div class=\"card stack kept-comment\" data-testid=\"case-kept-comment\">.*?</div>", RegexOptions.Singleline)]
    private static partial Regex KeptBlock();
}
