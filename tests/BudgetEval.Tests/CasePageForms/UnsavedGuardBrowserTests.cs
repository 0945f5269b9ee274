using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace BudgetEval.Tests.CasePageForms;

/// <summary>
/// unsaved.js: typing in a finding's 整改方案 and then following a link asks first (beforeunload), saving does not;
/// the case page's comment box counts as it is typed.
/// </summary>
public sealed class UnsavedGuardBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_typed_plan_measures_When_the_unit_follows_a_link_away_Then_the_browser_asks_first_and_after_saving_it_does_not()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow); // the browser app runs on the real clock
        var centre = await browser.DbAsync(db => db.Organisations.Where(o => o.Name == DemoSeeder.SocialGovernanceCentre).Select(o => o.Id).SingleAsync());
        var registered = await (await browser.ApiAsync("finance")).PostAsJsonAsync("/api/findings", new
        {
            organisationId = centre,
            fiscalYear = 2025,
            category = "财务管理",
            title = "培训费报销附件不全",
            detail = "区审计局审计发现。",
            source = "Audit",
            sourceDocument = "望审〔2026〕9号",
            deadline = today.AddDays(90).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        });
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
        var id = JsonDocument.Parse(await registered.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

        var page = await browser.SignInAsync("unit");
        await page.GotoAsync($"{browser.BaseUrl}/findings/{id}");
        var findingUrl = page.Url;
        string? asked = null;
        page.Dialog += async (_, dialog) =>
        {
            asked = dialog.Type;
            await dialog.DismissAsync(); // stay on the page
        };

        // Not typed yet: leaving does not ask.
        await page.GetByTestId("finding-case").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/cases/"));
        Assert.Null(asked);

        await page.GotoAsync(findingUrl);
        await page.Locator("#measures").FillAsync("补齐培训通知、签到表和师资费发放表。");
        await page.GetByTestId("finding-case").ClickAsync();
        await Eventually.ReadAsync(() => Task.FromResult(asked), a => a is not null);
        Assert.Equal("beforeunload", asked);
        Assert.Equal(findingUrl, page.Url);
        await Assertions.Expect(page.Locator("#measures")).ToHaveValueAsync("补齐培训通知、签到表和师资费发放表。");

        asked = null;
        await page.Locator("#responsible").FillAsync("赵会计");
        await page.Locator("#plannedDate").FillAsync(today.AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "保存整改方案" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToHaveTextAsync("整改方案已保存。");
        await page.GetByTestId("finding-case").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/cases/"));
        Assert.Null(asked);

        // The case page's comment box counts as it is typed (no maxlength: the server refuses, the text stays).
        var comment = page.Locator("form.wf-action textarea").First;
        await comment.FillAsync("方案待报送。");
        var counter = page.Locator("#" + await comment.GetAttributeAsync("data-count-id"));
        await Assertions.Expect(counter).ToHaveTextAsync("6/2000");
        Assert.Null(await comment.GetAttributeAsync("maxlength"));
    }
}
