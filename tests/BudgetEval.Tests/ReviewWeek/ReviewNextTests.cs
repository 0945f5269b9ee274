using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Workflows;

namespace BudgetEval.Tests.ReviewWeek;

/// <summary>
/// The finance officer's review week: from a case opened in 待办, 审核下一份 goes on to the next waiting one of the
/// same filtered queue (due date, then arrival), after 通过 or 退回 as well as when skipping, without the list.
/// </summary>
public sealed partial class ReviewNextTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly CaseApi _api = new(app);

    [Fact]
    public async Task Given_three_submissions_waiting_When_the_officer_decides_from_the_filtered_inbox_Then_审核下一份_walks_the_same_queue_in_order()
    {
        var tag = $"下一份{Guid.NewGuid():N}"[..12];
        var a = await WaitingForBureauAsync($"{tag}甲单位自评");
        var b = await WaitingForBureauAsync($"{tag}乙单位自评");
        var c = await WaitingForBureauAsync($"{tag}丙单位自评");
        var finance = await app.SignInAsync("finance");
        var list = $"state=bureau_review&q={Uri.EscapeDataString(tag)}";

        // 待办 filtered to this tag: each case's link carries the filters.
        var inbox = await finance.GetStringAsync("/inbox?" + list);
        Assert.Contains($"/cases/{a}?list={Uri.EscapeDataString(list)}", WebUtility.HtmlDecode(inbox), StringComparison.Ordinal);

        // The case page offers 审核下一份 with the same filters; 通过 comes back to it with them.
        var page = await finance.GetStringAsync($"/cases/{a}?list={Uri.EscapeDataString(list)}");
        Assert.Contains($"/inbox/next?after={a}&{list}", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        var accepted = await FireAsync(finance, a, "accept", list);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal($"/cases/{a}?list={Uri.EscapeDataString(list)}", accepted.Headers.Location!.OriginalString);
        Assert.Contains("data-testid=\"review-next\"", await finance.GetStringAsync(accepted.Headers.Location), StringComparison.Ordinal);

        // On: 乙 (the next of the queue), then 丙 when 乙 is skipped, then back to the skipped 乙.
        Assert.Equal(b, await NextAsync(finance, a, list));
        Assert.Equal(c, await NextAsync(finance, b, list));
        Assert.Equal(b, await NextAsync(finance, c, list));

        // 退回 both: nothing of the queue is left, and 待办 says so with its filters kept.
        Assert.Equal(HttpStatusCode.Redirect, (await FireAsync(finance, b, "return", list, "请补充预算执行率偏低的原因。")).StatusCode);
        Assert.Equal(c, await NextAsync(finance, b, list));
        Assert.Equal(HttpStatusCode.Redirect, (await FireAsync(finance, c, "return", list, "请补充整改情况。")).StatusCode);
        var end = await finance.GetAsync($"/inbox/next?after={c}&{list}");
        Assert.Equal(HttpStatusCode.Redirect, end.StatusCode);
        Assert.Equal("/inbox?" + list, end.Headers.Location!.OriginalString);
        Assert.Contains("已没有其他符合筛选条件的待办。", await finance.GetStringAsync(end.Headers.Location), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_case_opened_without_filters_When_shown_Then_审核下一份_follows_the_whole_queue_only_for_whom_it_waits_and_a_forged_list_carries_only_the_filters()
    {
        var a = await WaitingForBureauAsync($"直接打开{Guid.NewGuid():N}"[..12]);
        var finance = await app.SignInAsync("finance");
        var unit = await app.SignInAsync("unit");

        // Waiting for the bureau: the officer is offered the whole queue; the unit, with nothing to do here, nothing.
        Assert.Contains($"href=\"/inbox/next?after={a}\" data-testid=\"review-next\"", await finance.GetStringAsync($"/cases/{a}"), StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"review-next\"", await unit.GetStringAsync($"/cases/{a}"), StringComparison.Ordinal);

        var forged = await finance.GetStringAsync($"/cases/{a}?list={Uri.EscapeDataString("q=甲&next=//evil.example&overdue=true")}");
        Assert.Contains($"/inbox/next?after={a}&q=%E7%94%B2&overdue=true\"", WebUtility.HtmlDecode(forged), StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", forged, StringComparison.Ordinal);
    }

    /// <summary>A hand-made self-evaluation of the demo unit, submitted and signed off: waiting in 财政审核.</summary>
    private async Task<Guid> WaitingForBureauAsync(string title)
    {
        app.Clock.Advance(TimeSpan.FromMinutes(1)); // the fixture's clock stands still: arrivals a minute apart, in order
        var caseId = (await _api.CreateAsync(title: title)).CaseId;
        await _api.FireOkAsync("unit", caseId, "submit");
        await _api.FireOkAsync("unithead", caseId, "approve");
        return caseId;
    }

    private static async Task<Guid> NextAsync(HttpClient client, Guid after, string list)
    {
        var response = await client.GetAsync($"/inbox/next?after={after}&{list}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var match = CaseLink().Match(response.Headers.Location!.OriginalString);
        Assert.True(match.Success, response.Headers.Location.OriginalString);
        Assert.Equal("?list=" + Uri.EscapeDataString(list), match.Groups[2].Value);
        return Guid.Parse(match.Groups[1].Value);
    }

    /// <summary>The action's form on the case page as a browser sends it, with the page's hidden list field.</summary>
    private async Task<HttpResponseMessage> FireAsync(HttpClient client, Guid caseId, string action, string list, string? comment = null)
    {
        var page = await client.GetStringAsync($"/cases/{caseId}?list={Uri.EscapeDataString(list)}");
        var hidden = Regex.Match(page, "name=\"list\" value=\"([^\"]*)\"");
        Assert.True(hidden.Success, "the action form carries the list");
        return await client.PostAsync($"/cases/{caseId}?handler=Fire", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["action"] = action,
            ["expectedVersion"] = $"{await _api.VersionAsync(caseId)}",
            ["comment"] = comment ?? "",
            ["list"] = WebUtility.HtmlDecode(hidden.Groups[1].Value),
            ["idempotencyKey"] = Guid.NewGuid().ToString("N"),
            ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(page),
        }));
    }

    [GeneratedRegex("^/cases/([0-9a-f-]{36})(\\?list=.*)$")]
    private static partial Regex CaseLink();
}
