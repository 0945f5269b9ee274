using BudgetEval.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BudgetEval.Tests.SelfEvaluations;

public sealed class SelfEvaluationBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_the_centres_draft_When_unit_edits_a_score_Then_total_changes_live_and_the_saved_form_is_submitted()
    {
        var page = await browser.SignInAsync("unit");
        await page.GotoAsync(browser.BaseUrl + "/self-evaluations");
        await page.Locator("tr", new() { HasText = "社会治理服务中心部门整体支出" }).GetByRole(AriaRole.Link, new() { Name = "自评表" }).ClickAsync();
        await Assertions.Expect(page.Locator("#total-score")).ToHaveTextAsync("96.93");
        await Assertions.Expect(page.Locator("#grade")).ToHaveTextAsync("优");

        // Row 1 (区长信箱日均工单处理数量): 2 → 1.5; no save yet, the total follows at once.
        await page.Locator("input[name='Input.Rows[0].Score']").FillAsync("1.5");
        await Assertions.Expect(page.Locator("#total-score")).ToHaveTextAsync("96.43");
        await BrowserFixture.ScreenshotAsync(page, "self-evaluation-form");

        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToHaveTextAsync("自评表已保存。");
        await Assertions.Expect(page.Locator("#total-score")).ToHaveTextAsync("96.43");

        // The centre's seven open 2021 findings each need a statement before the draft can go.
        await page.GetByTestId("follow-up-link").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=follow-up] textarea.needs-statement")).ToHaveCountAsync(7);
        var boxes = page.Locator("[data-testid=follow-up] textarea");
        for (var n = await boxes.CountAsync() - 1; n >= 0; n--)
        {
            await boxes.Nth(n).FillAsync("已制定整改方案，正在落实。");
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "保存整改情况说明" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToHaveTextAsync("整改情况说明已保存。");
        await page.GetByRole(AriaRole.Link, new() { Name = "返回自评表" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "去提交" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "提交" }).ClickAsync();
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("单位审核");
    }

    [Fact]
    public async Task Given_the_centres_form_When_print_view_opened_Then_official_table_with_total()
    {
        var page = await browser.SignInAsync("unithead");
        await page.GotoAsync(browser.BaseUrl + "/self-evaluations");
        await page.Locator("tr", new() { HasText = "社会治理服务中心部门整体支出" }).GetByRole(AriaRole.Link, new() { Name = "自评表" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "打印预览" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("部门整体支出自评表");
        await Assertions.Expect(page.Locator("#print-total")).ToHaveTextAsync("96.93");
        var shot = await BrowserFixture.ScreenshotAsync(page, "self-evaluation-print");
        Assert.True(new FileInfo(shot).Length > 10_000);
    }
}
