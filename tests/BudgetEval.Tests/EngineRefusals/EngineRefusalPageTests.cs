using System.Net;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Admin;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Workflows;

namespace BudgetEval.Tests.EngineRefusals;

/// <summary>
/// On the case page a refusal about an action's comment is shown under that action's box, which it marks invalid and
/// describes (aria-invalid, aria-describedby), with what was typed kept; refusals about the content stay in the summary.
/// </summary>
public sealed class EngineRefusalPageTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly CaseApi _cases = new(app);

    private async Task<HttpResponseMessage> FireAsync(HttpClient client, Guid caseId, string action, string comment) =>
        await client.PostFormAsync($"/cases/{caseId}",
            [new("action", action), new("expectedVersion", $"{await _cases.VersionAsync(caseId)}"), new("comment", comment)], $"/cases/{caseId}?handler=Fire");

    /// <summary>The opening tag of an action's comment box, and what it holds.</summary>
    private static (string Attributes, string Text) Box(string page, string action)
    {
        var m = Regex.Match(page, $"<textarea id=\"comment-{action}\"([^>]*)>([^<]*)</textarea>");
        Assert.True(m.Success, $"no comment box for {action}");
        return (m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value));
    }

    [Fact]
    public async Task Given_a_return_without_a_comment_When_refused_Then_the_message_is_under_its_box_which_it_describes_and_the_summary_links_to_it()
    {
        var caseId = await _cases.CaseInStateAsync("bureau_review");
        var finance = await app.SignInAsync("finance");

        var refused = await FireAsync(finance, caseId, "return", "");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        var page = await finance.GetStringAsync($"/cases/{caseId}");

        var (attributes, _) = Box(page, "return");
        Assert.Contains("aria-invalid=\"true\"", attributes, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"comment-return-error comment-return-count\"", attributes, StringComparison.Ordinal);
        Assert.Matches("<p class=\"field-error\" id=\"comment-return-error\"[^>]*>「退回修改」须填写意见。</p>", page);
        // The box comes before its message, inside the refused action's own form.
        Assert.Matches("<form[^>]*data-action=\"return\"(?:(?!</form>)[\\s\\S])*id=\"comment-return\"(?:(?!</form>)[\\s\\S])*id=\"comment-return-error\"", page);
        // The summary still says it (read out on arrival) and takes the reader to the box; no link to the content page.
        Assert.Matches("data-testid=\"case-errors\"[\\s\\S]*?<a href=\"#comment-return\">「退回修改」须填写意见。</a>", page);
        Assert.DoesNotContain("case-errors-subject", page, StringComparison.Ordinal);

        // Another action's box is left alone.
        var (accept, _) = Box(page, "accept");
        Assert.DoesNotContain("aria-invalid", accept, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"comment-accept-count\"", accept, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"comment-accept-error\"", page, StringComparison.Ordinal);

        // Shown once: a reload shows the case afresh.
        var reloaded = await finance.GetStringAsync($"/cases/{caseId}");
        Assert.DoesNotContain("aria-invalid=\"true\"", Box(reloaded, "return").Attributes, StringComparison.Ordinal);
        Assert.Equal("bureau_review", await _cases.StateAsync(caseId));
    }

    [Fact]
    public async Task Given_an_over_long_comment_When_refused_Then_the_typed_text_is_kept_in_the_box_marked_invalid_with_its_message_beside_it()
    {
        var caseId = await _cases.CaseInStateAsync("bureau_review");
        var finance = await app.SignInAsync("finance");
        var typed = "请补充绩效目标完成情况。" + new string('补', 2000);

        var refused = await FireAsync(finance, caseId, "return", typed);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();

        var (attributes, text) = Box(page, "return");
        Assert.Equal(typed, text);
        Assert.Contains("aria-invalid=\"true\"", attributes, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"comment-return-error comment-return-count\"", attributes, StringComparison.Ordinal);
        Assert.Matches($"<p class=\"field-error\" id=\"comment-return-error\"[^>]*>意见不能超过 2000 字（现 {typed.Length} 字）。</p>", page);
        Assert.Equal("bureau_review", await _cases.StateAsync(caseId));
    }

    [Fact]
    public async Task Given_an_incomplete_self_evaluation_When_submit_is_refused_with_a_comment_typed_Then_the_reasons_stay_in_the_summary_and_the_box_is_not_marked()
    {
        var (_, caseId) = await _cases.CreateAsync(complete: false);
        var unit = await app.SignInAsync("unit");

        var refused = await FireAsync(unit, caseId, "submit", "请审核。");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        var page = await unit.GetStringAsync($"/cases/{caseId}");

        Assert.Matches("data-testid=\"case-errors\"[\\s\\S]*?<li>请填写自评概述。</li>", page);
        Assert.Contains("data-testid=\"case-errors-subject\"", page, StringComparison.Ordinal);
        var (attributes, text) = Box(page, "submit");
        Assert.Equal("请审核。", text);
        Assert.DoesNotContain("aria-invalid", attributes, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"field-error\"", page, StringComparison.Ordinal);
    }
}
