using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.Browser;

/// <summary>On a phone the pages fit the screen (wide tables scroll inside them), and link-style buttons are visible.</summary>
public sealed class PhoneLayoutTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_a_phone_sized_window_When_a_unit_and_the_bureau_open_their_pages_Then_none_is_wider_than_the_screen()
    {
        foreach (var (user, paths) in new[]
        {
            ("unit", new[] { "/", "/inbox", "/self-evaluations", "/findings?FiscalYear=2021" }),
            ("finance", new[] { "/", "/findings?FiscalYear=2021", "/results?year=2021", "/dashboards" }),
        })
        {
            var page = await browser.SignInAsync(user);
            await page.SetViewportSizeAsync(390, 844);
            foreach (var path in paths)
            {
                await page.GotoAsync(browser.BaseUrl + path);
                var (scroll, width) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("window.innerWidth"));
                Assert.True(scroll <= width, $"{user} {path}: the page is {scroll} px wide on a {width} px screen");
            }

            await BrowserFixture.ScreenshotAsync(page, $"phone-{user}");
        }
    }

    [Fact]
    public async Task Given_the_notifications_page_When_a_link_style_button_is_shown_Then_it_is_not_white_on_white()
    {
        var page = await browser.SignInAsync("unithead");
        await page.GotoAsync(browser.BaseUrl + "/notifications");
        var colour = await page.EvaluateAsync<string?>("(() => { const b = document.querySelector('.content button.link'); return b ? getComputedStyle(b).color : null; })()");

        Assert.NotNull(colour); // the demo plan's publication has notified the unit head
        Assert.NotEqual("rgb(255, 255, 255)", colour);
    }
}
