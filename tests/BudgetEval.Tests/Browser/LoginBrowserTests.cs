using BudgetEval.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BudgetEval.Tests.Browser;

public sealed class LoginBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_the_Chinese_login_page_When_finance_signs_in_Then_the_home_page_shows_her_counts()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(browser.BaseUrl + "/");
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        Assert.Equal("登录 - 预算绩效管理系统", await page.TitleAsync());

        await page.GetByLabel("用户名").FillAsync("finance");
        await page.GetByLabel("密码").FillAsync(AppFixture.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(browser.BaseUrl + "/"); // polls the URL; no load event (see BrowserFixture.SignInAsync)
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("李敏，您好");
        Assert.Equal("11", await page.Locator("[data-count=bureau-units] .value").InnerTextAsync());
        Assert.Equal("2", await page.Locator("[data-count=bureau-firms] .value").InnerTextAsync());
        var shot = await BrowserFixture.ScreenshotAsync(page, "home-finance");
        Assert.True(new FileInfo(shot).Length > 10_000, "the screenshot should show a rendered page");
    }

    [Fact]
    public async Task Given_the_login_page_When_the_password_is_wrong_Then_a_Chinese_error_is_shown()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(browser.BaseUrl + "/login");
        await page.GetByLabel("用户名").FillAsync("unit");
        await page.GetByLabel("密码").FillAsync("Wrong@2026!!");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("用户名或密码错误。连续输错 5 次账户将锁定 15 分钟；如账户已被锁定或停用，请联系系统管理员。");
        await BrowserFixture.ScreenshotAsync(page, "login-error");
    }
}
