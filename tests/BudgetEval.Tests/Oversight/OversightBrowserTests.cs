using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace BudgetEval.Tests.Oversight;

/// <summary>逾期督办 in Chromium: the officer goes from the home tile to the list, ticks a late task and chases it.</summary>
public sealed class OversightBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_a_late_unit_task_When_the_officer_ticks_it_and_sends_a_reminder_Then_the_page_says_so_and_the_line_shows_the_reminder()
    {
        var title = await browser.DbAsync(async db =>
        {
            var centre = await db.Organisations.Where(o => o.Name == DemoSeeder.SocialGovernanceCentre).Select(o => o.Id).SingleAsync();
            var item = await db.WorkItems.Where(w => w.Status == WorkItemStatus.Open && w.CaseOrganisationId == centre && w.AssigneeRole == "UnitFiller")
                .OrderBy(w => w.Title).FirstAsync();
            item.DueAt = DateTimeOffset.UtcNow.AddDays(-10); // the browser fixture runs on the real clock
            await db.SaveChangesAsync();
            return item.Title;
        });

        var page = await browser.SignInAsync("finance");
        await page.Locator("[data-count=overdue-units]").ClickAsync();
        var row = page.Locator("[data-testid=oversight] tbody tr", new() { HasText = title });
        await Assertions.Expect(row).ToContainTextAsync("未提醒");
        await row.GetByRole(AriaRole.Checkbox).CheckAsync();
        await page.GetByLabel("催办说明").FillAsync("请于本周五前提交自评材料。");
        await page.GetByRole(AriaRole.Button, new() { Name = "催办所选事项" }).ClickAsync();

        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("已催办 1 项逾期待办");
        await Assertions.Expect(page.Locator("[data-testid=oversight] tbody tr", new() { HasText = title })).ToContainTextAsync("催办");
        Assert.Contains("waitingOn=Unit", page.Url, StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "oversight");

        // 本页全选 ticks every task of the page; clearing one leaves it half-ticked.
        var boxes = page.Locator("[data-testid=oversight] tbody input[type=checkbox]");
        await page.GetByTestId("select-all").CheckAsync();
        Assert.True(await boxes.CountAsync() >= 1);
        foreach (var box in await boxes.AllAsync())
        {
            Assert.True(await box.IsCheckedAsync());
        }

        if (await boxes.CountAsync() > 1)
        {
            await boxes.First.UncheckAsync();
            Assert.True(await page.GetByTestId("select-all").EvaluateAsync<bool>("e => e.indeterminate"));
        }
    }
}
