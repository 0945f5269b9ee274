using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Plans;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace BudgetEval.Tests.FollowUpPage;

/// <summary>整改情况说明 in Chromium: the live character count and the leave-page guard, as on the 自评表.</summary>
public sealed class FollowUpBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_a_typed_statement_When_the_user_follows_a_link_away_Then_the_browser_asks_first_the_counter_follows_and_saving_does_not_ask()
    {
        var id = await browser.DbAsync(async db =>
        {
            var centre = await db.Organisations.Where(o => o.Name == DemoSeeder.SocialGovernanceCentre).Select(o => o.Id).SingleAsync();
            return await db.SelfEvaluations.Where(s => s.OrganisationId == centre && s.PlanId != null && s.Kind == EvaluationKind.DepartmentWide).Select(s => s.Id).FirstAsync();
        });
        var page = await browser.SignInAsync("unit");
        await page.GotoAsync($"{browser.BaseUrl}/self-evaluations/{id}/follow-up");
        var url = page.Url;
        string? asked = null;
        page.Dialog += async (_, dialog) =>
        {
            asked = dialog.Type;
            await dialog.DismissAsync(); // stay on the page
        };

        var box = page.Locator("[data-testid=follow-up] textarea").First;
        var counter = page.Locator("[data-testid=follow-up] [data-testid=char-count]").First;
        await Assertions.Expect(box).ToHaveAttributeAsync("aria-required", "true");
        await box.FillAsync(new string('改', 1234));
        await Assertions.Expect(counter).ToHaveTextAsync("1,234/2000");
        await box.FillAsync(new string('改', 2001)); // no maxlength: pasted text is not cut, the counter says by how much it is over
        await Assertions.Expect(box).ToHaveValueAsync(new string('改', 2001));
        await Assertions.Expect(counter).ToHaveTextAsync("2,001/2000（超出 1 字）");
        await box.FillAsync("已制定整改方案，正在落实。");

        await page.GetByRole(AriaRole.Link, new() { Name = "返回自评表" }).ClickAsync();
        await Eventually.ReadAsync(() => Task.FromResult(asked), a => a is not null);
        Assert.Equal("beforeunload", asked);
        Assert.Equal(url, page.Url);

        asked = null;
        await page.GetByRole(AriaRole.Button, new() { Name = "保存整改情况说明" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToHaveTextAsync("整改情况说明已保存。");
        await page.GetByRole(AriaRole.Link, new() { Name = "返回自评表" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/form$"));
        Assert.Null(asked);
    }
}
