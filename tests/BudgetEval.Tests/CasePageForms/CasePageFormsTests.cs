using System.Net;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Admin;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Rectifications;
using BudgetEval.Tests.Workflows;

namespace BudgetEval.Tests.CasePageForms;

/// <summary>
/// The forms on the case page and the finding page keep what was typed: an over-long case comment comes back whole
/// with its count, and a plan save refused for someone else's change shows their saved values beside the typed ones.
/// </summary>
public sealed partial class CasePageFormsTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_2800_character_comment_When_return_is_refused_Then_the_page_keeps_the_whole_text_with_its_count_and_nothing_moves()
    {
        var api = new CaseApi(app);
        var caseId = await api.CaseInStateAsync("bureau_review");
        var version = await api.VersionAsync(caseId);
        var finance = await app.SignInAsync("finance");
        // 2,800 characters, with a line break as a browser sends it (CRLF, counted as one like the stored LF).
        var typed = new string('改', 1400) + "\r\n" + new string('整', 1399);

        var refused = await finance.PostFormAsync($"/cases/{caseId}",
            [new("action", "return"), new("expectedVersion", $"{version}"), new("comment", typed)], $"/cases/{caseId}?handler=Fire");
        var page = await refused.Content.ReadAsStringAsync();

        // Answered by the page itself: the whole text does not fit the cookie a redirect would carry it in.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("data-testid=\"case-errors\"", page, StringComparison.Ordinal);
        Assert.Contains("意见不能超过 2000 字（现 2800 字）。", page, StringComparison.Ordinal);
        Assert.DoesNotContain("前 2000 字", page, StringComparison.Ordinal);
        var box = Regex.Match(page, "<textarea id=\"comment-return\"([^>]*)>([^<]*)</textarea>");
        Assert.True(box.Success);
        Assert.Equal(new string('改', 1400) + "\n" + new string('整', 1399), WebUtility.HtmlDecode(box.Groups[2].Value).Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.DoesNotContain("maxlength", box.Groups[1].Value, StringComparison.Ordinal); // refused by the server, never cut by the browser
        Assert.Contains("data-count-max=\"2000\"", box.Groups[1].Value, StringComparison.Ordinal);
        Assert.Matches("class=\"muted char-count over\" id=\"comment-return-count\"[^>]*>2,800/2000（超出 800 字）</p>", page);
        Assert.Matches("<textarea id=\"comment-accept\"[^>]*></textarea>", page); // kept for the refused action only
        Assert.Matches("id=\"comment-accept-count\"[^>]*>0/2000</p>", page);
        // Each action's box is grouped with it and the refused form says it holds unsaved text (unsaved.js asks before leaving).
        Assert.Matches("<form[^>]*data-action=\"return\"[^>]*data-unsaved-guard[^>]*data-unsaved=\"true\"", page);
        Assert.Matches("<form[^>]*data-action=\"accept\"[^>]*data-unsaved=\"false\"", page);
        Assert.Matches("<fieldset class=\"plain\">\\s*<legend class=\"visually-hidden\">退回修改</legend>", page);
        Assert.Contains("/js/unsaved.js", page, StringComparison.Ordinal);

        Assert.Equal("bureau_review", await api.StateAsync(caseId));
        Assert.Equal(version, await api.VersionAsync(caseId));

        // Shortened to the limit, the same form goes through.
        var sent = await finance.PostFormAsync($"/cases/{caseId}",
            [new("action", "return"), new("expectedVersion", $"{version}"), new("comment", new string('改', 2000))], $"/cases/{caseId}?handler=Fire");
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal("returned", await api.StateAsync(caseId));
    }

    [Fact]
    public async Task Given_two_tabs_on_a_finding_plan_When_the_second_saves_over_the_first_Then_the_first_ones_values_are_shown_and_the_next_save_overwrites_knowingly()
    {
        var api = new RectificationApi(app);
        var (id, _) = await api.RegisterAsync("会议费超标准列支", new DateOnly(2026, 5, 1));
        var unit = await app.SignInAsync("unit");
        var opened = Stamp(await unit.GetStringAsync($"/findings/{id}")); // both tabs opened the finding now

        var first = await unit.PostFormAsync($"/findings/{id}",
            [new("measures", "甲：按标准重新核定会议费。"), new("responsible", "甲主任"), new("plannedDate", "2026-04-20"), new("stamp", opened)], $"/findings/{id}?handler=Plan");
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);

        var second = await unit.PostFormAsync($"/findings/{id}",
            [new("measures", "乙：追回超标准部分。"), new("responsible", "乙科长"), new("plannedDate", "2026-04-25"), new("stamp", opened)], $"/findings/{id}?handler=Plan");
        var page = await second.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("再次点击保存将以您的内容覆盖。", page, StringComparison.Ordinal);
        var theirs = Regex.Match(page, "data-testid=\"plan-theirs\".*?</div>", RegexOptions.Singleline).Value;
        Assert.Contains("对方已保存的内容", theirs, StringComparison.Ordinal);
        Assert.Contains("甲：按标准重新核定会议费。", theirs, StringComparison.Ordinal);
        Assert.Contains("甲主任", theirs, StringComparison.Ordinal);
        Assert.Contains("2026年4月20日", theirs, StringComparison.Ordinal);
        Assert.Matches("<textarea id=\"measures\"[^>]*>乙：追回超标准部分。</textarea>", page); // the typed text stays in the form
        Assert.Matches("<form[^>]*data-testid=\"plan-form\"[^>]*data-unsaved=\"true\"", page);
        var renewed = Stamp(page);
        Assert.NotEqual(opened, renewed);
        Assert.Equal("甲：按标准重新核定会议费。", (await api.FindingAsync("finance", id)).GetProperty("rectification").GetProperty("plan").GetProperty("measures").GetString());

        // Sending the old stamp again is still refused; the page's new one overwrites, as the message said.
        var stale = await unit.PostFormAsync($"/findings/{id}",
            [new("measures", "乙：追回超标准部分。"), new("responsible", "乙科长"), new("plannedDate", "2026-04-25"), new("stamp", opened)], $"/findings/{id}?handler=Plan");
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var again = await unit.PostFormAsync($"/findings/{id}",
            [new("measures", "乙：追回超标准部分。"), new("responsible", "乙科长"), new("plannedDate", "2026-04-25"), new("stamp", renewed)], $"/findings/{id}?handler=Plan");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal("乙：追回超标准部分。", (await api.FindingAsync("finance", id)).GetProperty("rectification").GetProperty("plan").GetProperty("measures").GetString());
        Assert.DoesNotContain("plan-theirs", await unit.GetStringAsync($"/findings/{id}"), StringComparison.Ordinal);
    }

    private static string Stamp(string html) => StampField().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("no stamp on the page");

    [GeneratedRegex("name=\"stamp\" value=\"([0-9a-f]{16})\"")]
    private static partial Regex StampField();
}
