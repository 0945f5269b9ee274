using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BudgetEval.Tests.FirmReview2;

/// <summary>The firm's list of its evaluations (/evaluations) on a 375 px phone: each evaluation's 状态 is on screen.</summary>
public sealed class EvaluationListPhoneTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_a_commissioned_evaluation_When_the_firm_opens_its_list_on_a_375_px_phone_Then_the_状态_cell_is_inside_the_screen()
    {
        await EvaluationApi.CommissionedAsync(browser, 2024);
        var page = await browser.SignInAsync("evaluator");
        await page.SetViewportSizeAsync(375, 812);

        await page.GotoAsync(browser.BaseUrl + "/evaluations");

        var state = page.Locator("[data-testid=evaluations] [data-testid=evaluation-state]").First;
        await Assertions.Expect(state).ToContainTextAsync("评价及报告初稿");
        await BrowserFixture.ScreenshotAsync(page, "phone-375-firm-evaluations");
        var box = await state.BoundingBoxAsync() ?? throw new InvalidOperationException("状态 cell not rendered");
        Assert.True(box.X >= 0 && box.X + box.Width <= 375, $"状态 cell spans {box.X:0}–{box.X + box.Width:0} px on a 375 px screen");
        var (scroll, width) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("window.innerWidth"));
        Assert.True(scroll <= width, $"the list is {scroll} px wide on a {width} px screen");

        // On a desktop it stays a table with its header row.
        await page.SetViewportSizeAsync(1280, 800);
        await Assertions.Expect(page.Locator("[data-testid=evaluations] thead th", new() { HasTextString = "状态" })).ToBeVisibleAsync();
    }
}
