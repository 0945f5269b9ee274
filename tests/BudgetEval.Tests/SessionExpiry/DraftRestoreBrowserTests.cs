using BudgetEval.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BudgetEval.Tests.SessionExpiry;

/// <summary>
/// A save that arrives after the session has ended elsewhere (here: the cookies are gone, as after signing out
/// in another tab) is sent to the login page; the login page says why, and back on the form the tab offers
/// 「恢复未保存的内容」, which puts the typed values back. A page reached without that detour offers nothing.
/// </summary>
public sealed class DraftRestoreBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_a_form_saved_after_the_session_ended_When_the_user_signs_in_again_Then_the_typed_values_can_be_restored()
    {
        var page = await browser.SignInAsync("finance");
        await page.GotoAsync(browser.BaseUrl + "/plans/new");
        await page.GetByLabel("计划名称").FillAsync("会话恢复测试计划");
        await page.GetByLabel("文号").FillAsync("望财绩〔2026〕9号");

        await page.Context.ClearCookiesAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "创建计划" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("session-ended")).ToHaveTextAsync("登录已超时或已退出，请重新登录。");
        Assert.Contains("/login?ReturnUrl=", page.Url, StringComparison.Ordinal);

        await page.GetByLabel("用户名").FillAsync("finance");
        await page.GetByLabel("密码").FillAsync(AppFixture.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(browser.BaseUrl + "/plans/new");
        Assert.Equal(string.Empty, await page.GetByLabel("计划名称").InputValueAsync());

        var restore = page.GetByRole(AriaRole.Button, new() { Name = "恢复未保存的内容" });
        await BrowserFixture.ScreenshotAsync(page, "session-draft-offer");
        await restore.ClickAsync();
        Assert.Equal("会话恢复测试计划", await page.GetByLabel("计划名称").InputValueAsync());
        Assert.Equal("望财绩〔2026〕9号", await page.GetByLabel("文号").InputValueAsync());
        await Assertions.Expect(restore).ToHaveCountAsync(0);

        // Offered once: reloading the page offers nothing.
        await page.ReloadAsync();
        await page.GetByLabel("计划名称").WaitForAsync();
        Assert.Equal(0, await page.GetByTestId("session-draft").CountAsync());
    }
}
