using System.Text.RegularExpressions;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BudgetEval.Tests.Accessibility2;

/// <summary>The 评分表's live total read out to a screen reader (polite status line), as the 自评表's is, in Chromium.</summary>
public sealed partial class ScoreSheetAnnouncementBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_the_firm_typing_a_score_When_typing_pauses_Then_the_status_line_says_the_new_total_and_grade_once()
    {
        var (id, _) = await EvaluationApi.CommissionedAsync(browser, 2024);

        var page = await browser.SignInAsync("evaluator");
        await page.GotoAsync($"{browser.BaseUrl}/evaluations/{id}");
        var status = page.Locator("#evaluation-scores-status");
        await Assertions.Expect(status).ToHaveAttributeAsync("aria-live", "polite");
        await Assertions.Expect(status).ToHaveTextAsync(string.Empty); // nothing is said on load

        var first = page.Locator("input.score").First;
        await first.PressSequentiallyAsync("4.5");
        await Assertions.Expect(page.Locator("[data-testid=total]")).ToHaveTextAsync("4.50"); // the table follows at once
        await Assertions.Expect(status).ToHaveTextAsync(Announcement(), new() { Timeout = 10_000 });
        Assert.StartsWith("合计4.50，等级：", await status.TextContentAsync(), StringComparison.Ordinal);
    }

    [GeneratedRegex("^合计4\\.50，等级：—（尚有\\d+项未评分）$")]
    private static partial Regex Announcement();
}
