using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Plans;
using Microsoft.EntityFrameworkCore;

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
            ("finance", new[] { "/", "/findings?FiscalYear=2021", "/results?year=2021", "/dashboards", "/plans" }), // /plans: a hidden label in a cell
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
    public async Task Given_a_375_px_phone_When_the_unit_opens_its_department_wide_form_and_the_officer_the_overdue_list_Then_neither_is_wider_than_the_screen()
    {
        var form = await browser.DbAsync(async db =>
        {
            var centre = await db.Organisations.Where(o => o.Name == DemoSeeder.SocialGovernanceCentre).Select(o => o.Id).SingleAsync();
            return await db.SelfEvaluations.Where(s => s.OrganisationId == centre && s.PlanId != null && s.Kind == EvaluationKind.DepartmentWide).Select(s => s.Id).FirstAsync();
        });
        foreach (var (user, path) in new[] { ("unit", $"/self-evaluations/{form}/form"), ("finance", "/oversight") })
        {
            var page = await browser.SignInAsync(user);
            await page.SetViewportSizeAsync(375, 812);
            await page.GotoAsync(browser.BaseUrl + path);
            var (scroll, width) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("window.innerWidth"));
            await BrowserFixture.ScreenshotAsync(page, $"phone-375-{user}");
            var wide = await page.EvaluateAsync<string>("[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1).slice(0, 12).map(e => e.tagName + '.' + e.className + '#' + (e.getAttribute('data-testid') || '') + ':' + Math.round(e.getBoundingClientRect().right)).join(' | ')");
            Assert.True(scroll <= width, $"{user} {path}: the page is {scroll} px wide on a {width} px screen: {wide}");
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
