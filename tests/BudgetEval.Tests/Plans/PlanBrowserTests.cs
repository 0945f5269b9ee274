using BudgetEval.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BudgetEval.Tests.Plans;

public sealed class PlanBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_finance_officer_When_creating_a_plan_with_an_added_band_row_and_publishing_Then_plan_listed_as_published()
    {
        var page = await browser.SignInAsync("finance");
        await page.GetByRole(AriaRole.Link, new() { Name = "评价计划" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "新建评价计划" }).ClickAsync();

        await page.GetByLabel("计划名称").FillAsync("2025年度部门整体支出绩效自评");
        await page.GetByLabel("文号").FillAsync("望财绩〔2026〕21号");
        await page.GetByLabel("截止日期").FillAsync("2026-04-30");
        await page.GetByLabel("长沙市望城区教育局").CheckAsync();
        await page.GetByLabel("分档计分").CheckAsync();
        await page.Locator("#add-band").ClickAsync(); // the script adds a third blank band row
        var bands = page.Locator("#band-table tbody tr");
        await Assertions.Expect(bands).ToHaveCountAsync(3);
        await bands.Nth(0).Locator("input").Nth(0).FillAsync("100");
        await bands.Nth(0).Locator("input").Nth(1).FillAsync("10");
        await bands.Nth(1).Locator("input").Nth(0).FillAsync("90");
        await bands.Nth(1).Locator("input").Nth(1).FillAsync("8");
        await bands.Nth(2).Locator("input").Nth(0).FillAsync("0");
        await bands.Nth(2).Locator("input").Nth(1).FillAsync("0");
        await page.GetByRole(AriaRole.Button, new() { Name = "创建计划" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("评价工作计划已创建");

        page.Dialog += async (_, dialog) => await dialog.AcceptAsync(); // 发布 asks first: it cannot be undone
        await page.GetByRole(AriaRole.Button, new() { Name = "发布计划" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("已发布");
        await Assertions.Expect(page.Locator("#amend-form")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "plan-published");

        await page.GotoAsync(browser.BaseUrl + "/plans");
        await Assertions.Expect(page.Locator("#plan-list tr", new() { HasText = "望财绩〔2026〕21号" })).ToContainTextAsync("已发布");
    }
}
