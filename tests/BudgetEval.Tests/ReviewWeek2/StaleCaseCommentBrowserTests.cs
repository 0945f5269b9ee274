using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Workflows;
using BudgetEval.Web.Workflows;
using Microsoft.Playwright;

namespace BudgetEval.Tests.ReviewWeek2;

/// <summary>In Chromium: the officer's long 通过 comment survives a colleague's 退回修改 in between, read-only to copy.</summary>
public sealed class StaleCaseCommentBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_a_case_open_in_财政审核_When_a_colleague_returns_it_and_the_officer_presses_通过_with_a_long_comment_Then_the_comment_is_shown_read_only()
    {
        var api = new CaseApi(browser.ApiAsync);
        var caseId = await api.CaseInStateAsync("bureau_review");
        var page = await browser.SignInAsync("finance");
        await page.GotoAsync($"{browser.BaseUrl}/cases/{caseId}");
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync(); // 通过 ends the flow: it asks first
        var comment = string.Join("\n", Enumerable.Range(1, 8).Select(i => $"第{i}条：该单位预算执行率 96.5%，绩效目标基本完成，同意通过。"));
        await page.Locator("#comment-accept").FillAsync(comment);

        await api.FireOkAsync("finance", caseId, "return", "请补充绩效目标完成情况。"); // a colleague, meanwhile
        await page.Locator("form[data-action=accept] button[type=submit]").ClickAsync();

        await Assertions.Expect(page.GetByTestId("case-errors")).ToContainTextAsync(CaseModel.StaleReloaded);
        await Assertions.Expect(page.GetByTestId("case-state")).ToHaveTextAsync("退回修改");
        var kept = page.Locator("#kept-comment");
        await Assertions.Expect(kept).ToHaveValueAsync(comment);
        Assert.NotNull(await kept.GetAttributeAsync("readonly"));
        await Assertions.Expect(page.GetByText("您填写的意见（未提交）：")).ToBeVisibleAsync();
        Assert.True((await kept.BoundingBoxAsync())!.Width > 400, "the box is as wide as the card, not 20 columns");
        await BrowserFixture.ScreenshotAsync(page, "stale-case-kept-comment");
    }
}
