using BudgetEval.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BudgetEval.Tests.Help;

/// <summary>使用说明 in Chromium: reached from the top bar, and its flow tables stay inside the page on a laptop and a phone.</summary>
public sealed class HelpBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_a_unit_filler_When_they_open_the_help_from_the_top_bar_Then_their_work_shows_and_nothing_widens_the_page()
    {
        var page = await browser.SignInAsync("unit");
        await page.GetByRole(AriaRole.Link, new() { Name = "使用说明" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "单位填报人" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "财政局领导" })).Not.ToBeVisibleAsync(); // folded under 其他角色做什么
        await Assertions.Expect(page.Locator("table[data-flow='rectification'] tbody tr")).ToHaveCountAsync(5);
        await BrowserFixture.ScreenshotAsync(page, "help-unit");

        foreach (var width in new[] { 1280, 390 })
        {
            await page.SetViewportSizeAsync(width, 800);
            var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - innerWidth");
            Assert.True(overflow <= 0, $"at {width} px the help page is {overflow} px wider than the window");
        }

        await BrowserFixture.ScreenshotAsync(page, "help-unit-phone");
    }
}
