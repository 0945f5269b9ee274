using BudgetEval.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BudgetEval.Tests.SelfEvaluations;

/// <summary>The optional funds sub-rows (基本支出 人员/公用, 项目支出) on the 自评表 page.</summary>
public sealed class FundsRowsBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_the_centre_draft_When_the_unit_fills_a_funds_sub_row_Then_it_is_saved_with_its_own_rate_and_a_bad_amount_names_row_and_column()
    {
        var page = await browser.SignInAsync("unit");
        await page.GotoAsync(browser.BaseUrl + "/self-evaluations");
        await page.Locator("tr", new() { HasText = "社会治理服务中心部门整体支出" }).GetByRole(AriaRole.Link, new() { Name = "自评表" }).ClickAsync();
        var formUrl = page.Url;

        // The sample's 基本支出 row: 314.74 budgeted; an executed amount of 301.50 gives 95.79%.
        await page.GetByLabel("基本支出-人员经费全年预算数").FillAsync("314.74");
        await page.GetByLabel("基本支出-人员经费全年执行数").FillAsync("301.50");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToHaveTextAsync("自评表已保存。");
        var rows = page.Locator("[data-testid=funds-rows] tbody tr");
        await Assertions.Expect(rows.Filter(new() { Has = page.Locator("input[value='基本支出-人员经费']") })).ToContainTextAsync("95.79%");
        await Assertions.Expect(page.Locator("#total-score")).ToHaveTextAsync("96.93"); // the sub-rows do not change the score

        // A negative amount is refused with the row and the column named, and nothing changes.
        var projectBudget = await page.GetByLabel("项目支出全年预算数").InputValueAsync(); // blank: the sample's only source row is 财政拨款
        await page.GetByLabel("项目支出全年预算数").FillAsync("-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("资金明细「项目支出」的「全年预算数」须为不小于 0 的数字。");
        await page.GotoAsync(formUrl);
        await Assertions.Expect(page.GetByLabel("项目支出全年预算数")).ToHaveValueAsync(projectBudget);
        await Assertions.Expect(page.GetByLabel("基本支出-人员经费全年执行数")).ToHaveValueAsync("301.50");
        await BrowserFixture.ScreenshotAsync(page, "self-evaluation-funds-rows");

        // A score above its row's weight is marked while typing, before any 保存.
        var firstScore = page.Locator("#indicator-table .indicator-row .score").First;
        var kept = await firstScore.InputValueAsync();
        await firstScore.FillAsync("999");
        await Assertions.Expect(firstScore).ToHaveAttributeAsync("aria-invalid", "true");
        await firstScore.FillAsync(kept);
        await Assertions.Expect(firstScore).ToHaveAttributeAsync("aria-invalid", "false");

        // An amount typed as the page displays it (1,412.74) is read as the same number, live and on save.
        await page.GotoAsync(formUrl);
        await page.Locator("#funds-budget").FillAsync("1,412.74");
        await Assertions.Expect(page.Locator("#total-score")).ToHaveTextAsync("96.93");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToHaveTextAsync("自评表已保存。");

        // The print view (打印预览) has the sources above the total, each with its own rate, as the sample table (财政拨款 first).
        await page.GotoAsync(formUrl.Replace("/form", "/print", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("tr.funds-row", new() { HasText = "财政拨款" })).ToContainTextAsync("69.34%");
        await Assertions.Expect(page.Locator("tr.funds-row", new() { HasText = "基本支出-人员经费" })).ToContainTextAsync("95.79%");
        await Assertions.Expect(page.Locator("tr.funds-row + tr.funds-total")).ToContainTextAsync("年度资金总额");
    }
}
