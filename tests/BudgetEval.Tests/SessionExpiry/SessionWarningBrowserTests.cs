using BudgetEval.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BudgetEval.Tests.SessionExpiry;

/// <summary>
/// With a 30-second idle lifetime: typing keeps the session alive past it; a quiet page warns in an
/// alertdialog that takes the focus, whose 「继续使用」 renews the session; left alone, the page says the session
/// has ended, offers the login in a new tab, keeps what was typed and holds the form back instead of losing it.
/// </summary>
public sealed class SessionWarningBrowserTests(ShortSessionBrowserFixture browser) : IClassFixture<ShortSessionBrowserFixture>
{
    [Fact]
    public async Task Given_a_short_session_When_the_user_types_then_stops_Then_it_is_kept_warned_about_and_ends_without_losing_the_page()
    {
        var page = await browser.SignInAsync("unit");
        await page.GotoAsync(browser.BaseUrl + "/account/password");
        var field = page.GetByLabel("当前密码");
        var warning = page.GetByRole(AriaRole.Alertdialog);

        // 1.2 idle lifetimes of typing, a key every 2 s: the keep-alives carry the session over its end.
        const int keys = (int)(ShortSessionBrowserFixture.IdleSeconds * 1.2 / 2);
        for (var i = 0; i < keys; i++)
        {
            await field.PressSequentiallyAsync("a");
            await page.WaitForTimeoutAsync(2000);
        }

        Assert.Equal(0, await warning.CountAsync());
        Assert.Equal(200, await page.EvaluateAsync<int>("fetch('/account/password', { redirect: 'manual' }).then(r => r.status)"));

        // Quiet: the warning comes, with the focus on its button.
        await Assertions.Expect(warning).ToBeVisibleAsync();
        await Assertions.Expect(warning).ToContainTextAsync("您已较长时间未操作，登录将于 15 秒后失效。"); // half of 30 s (2 分钟 normally)
        // Its look comes from site.css (no inline style under the CSP): it stays over the page wherever it is scrolled.
        Assert.Equal("fixed", await warning.EvaluateAsync<string>("e => getComputedStyle(e).position"));
        var keep = warning.GetByRole(AriaRole.Button, new() { Name = "继续使用" });
        await Assertions.Expect(keep).ToBeFocusedAsync();
        await BrowserFixture.ScreenshotAsync(page, "session-warning");
        await keep.ClickAsync();
        await Assertions.Expect(warning).ToHaveCountAsync(0);

        // Still quiet: the session ends and the page says so, keeping what was typed.
        var ended = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "登录已失效" });
        await Assertions.Expect(ended).ToHaveTextAsync(
            new System.Text.RegularExpressions.Regex("^登录已失效，请在新标签页重新登录后再保存，本页已填写的内容仍保留。"),
            new() { Timeout = (float)(ShortSessionBrowserFixture.IdleSeconds * 2 * 1000) });
        var link = ended.GetByRole(AriaRole.Link);
        Assert.Equal("/login", await link.GetAttributeAsync("href"));
        Assert.Equal("_blank", await link.GetAttributeAsync("target"));
        Assert.Equal(keys, (await field.InputValueAsync()).Length);
        await BrowserFixture.ScreenshotAsync(page, "session-expired");

        // The server agrees it has ended; a save now is held back on the page rather than sent to the login page.
        // The page counts whole seconds (the keep-alive's expiresInSeconds is rounded down), so it may call the end
        // up to a second before the server does: wait that out first. (Polling instead would renew the cookie,
        // which slides on any request past half its life. One CI run failed here, reading 'basic'.)
        await page.WaitForTimeoutAsync(1500);
        Assert.Equal("opaqueredirect", await page.EvaluateAsync<string>("fetch('/account/password', { redirect: 'manual' }).then(r => r.type)"));
        await page.GetByRole(AriaRole.Button, new() { Name = "保存新密码" }).ClickAsync();
        await Assertions.Expect(ended).ToBeFocusedAsync();
        Assert.EndsWith("/account/password", page.Url, StringComparison.Ordinal);
        Assert.Equal(keys, (await field.InputValueAsync()).Length);
    }
}
