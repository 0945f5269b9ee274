using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using Microsoft.Playwright;

namespace BudgetEval.Tests.FirmReplacement;

/// <summary>In Chromium: the officer replaces the firm on the case page, then commissions another with the 委托 form.</summary>
public sealed class FirmReplacementBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string OtherFirm = BudgetEval.Web.Demo.DemoSeeder.ZhengHeng;

    [Fact]
    public async Task Given_the_firm_drafting_When_the_officer_replaces_it_and_commissions_another_Then_the_page_shows_the_replacement_and_the_new_firm()
    {
        var (id, caseId) = await EvaluationApi.CommissionedAsync(browser, 2015);
        var page = await browser.SignInAsync("finance");
        await page.GotoAsync($"{browser.BaseUrl}/cases/{caseId}");
        await Assertions.Expect(page.Locator("#comment-replaceFirm")).ToHaveAttributeAsync("required", string.Empty); // the reason is asked for before sending
        await page.Locator("#comment-replaceFirm").FillAsync("评价机构逾期未提交初稿，经催告仍无法按期完成。");
        var answered = page.WaitForResponseAsync(r => r.Request.Method == "POST");
        await page.Locator("form[data-action=replaceFirm] button[type=submit]").ClickAsync();
        await answered;
        await Assertions.Expect(page.GetByTestId("case-state")).ToHaveTextAsync("委托评价机构");

        await page.GotoAsync($"{browser.BaseUrl}/evaluations/{id}");
        await Assertions.Expect(page.GetByTestId("replacements")).ToContainTextAsync($"原评价机构：{DemoSeeder.XinCaiYuan}");
        await Assertions.Expect(page.GetByTestId("replacements")).ToContainTextAsync("经催告仍无法按期完成");

        // What the old firm left, read-only, one click away; then back to commission another firm.
        await page.GetByTestId("replaced-firm-link").ClickAsync();
        await Assertions.Expect(page.GetByTestId("replaced-firm-name")).ToHaveTextAsync(DemoSeeder.XinCaiYuan);
        await Assertions.Expect(page.GetByTestId("replaced-firm-grade")).ToHaveTextAsync("等级：未评分");
        Assert.True(new FileInfo(await BrowserFixture.ScreenshotAsync(page, "replaced-firm-scores")).Length > 10_000);
        await page.GotoAsync($"{browser.BaseUrl}/evaluations/{id}");
        await Assertions.Expect(page.GetByTestId("template-kept")).ToBeVisibleAsync();
        await page.Locator("#firmId").SelectOptionAsync(new SelectOptionValue { Label = OtherFirm });
        await page.GetByLabel("报告提交期限").FillAsync(DateTime.UtcNow.AddDays(45).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        var shot = await BrowserFixture.ScreenshotAsync(page, "firm-replacement-commission");
        Assert.True(new FileInfo(shot).Length > 10_000);

        await page.GetByRole(AriaRole.Button, new() { Name = "委托", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("state")).ToHaveTextAsync("评价及报告初稿");
        await Assertions.Expect(page.Locator("dl.facts")).ToContainTextAsync(OtherFirm);
    }
}
