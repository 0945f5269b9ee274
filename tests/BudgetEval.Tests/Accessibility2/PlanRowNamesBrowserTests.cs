using BudgetEval.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BudgetEval.Tests.Accessibility2;

/// <summary>plan-form.js copies the last row to add one: the copy must say its own row (第3行), not the copied row's.</summary>
public sealed class PlanRowNamesBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_a_new_plan_When_project_and_band_rows_are_added_Then_each_new_rows_fields_are_named_with_its_row_number()
    {
        var page = await browser.SignInAsync("finance");
        await page.GotoAsync(browser.BaseUrl + "/plans/new");
        var projects = page.Locator("#project-table tbody tr");
        await Assertions.Expect(projects).ToHaveCountAsync(2);

        await page.Locator("#add-project").ClickAsync();
        await page.Locator("#add-project").ClickAsync();
        await page.Locator("#add-band").ClickAsync();

        await Assertions.Expect(projects).ToHaveCountAsync(4);
        for (var row = 1; row <= 4; row++)
        {
            var fields = projects.Nth(row - 1).Locator("input, select");
            await Assertions.Expect(fields.Nth(0)).ToHaveAttributeAsync("aria-label", $"第{row}行 单位");
            await Assertions.Expect(fields.Nth(1)).ToHaveAttributeAsync("aria-label", $"第{row}行 项目名称");
            await Assertions.Expect(fields.Nth(2)).ToHaveAttributeAsync("aria-label", $"第{row}行 项目预算");
        }

        // A screen reader user finds the new row's fields by name, and what is typed there is the fourth project.
        await page.GetByLabel("第4行 项目名称", new() { Exact = true }).FillAsync("社区治理专项");
        await Assertions.Expect(page.Locator("input[name='Input.Projects[3].Name']")).ToHaveValueAsync("社区治理专项");
        await Assertions.Expect(page.GetByLabel("第4行 单位", new() { Exact = true })).ToHaveCountAsync(1);

        var bands = page.Locator("#band-table tbody tr");
        await Assertions.Expect(bands).ToHaveCountAsync(3);
        await Assertions.Expect(bands.Nth(2).Locator("input").Nth(0)).ToHaveAttributeAsync("aria-label", "第3行 执行率下限");
        await Assertions.Expect(bands.Nth(2).Locator("input").Nth(1)).ToHaveAttributeAsync("aria-label", "第3行 得分");
        await Assertions.Expect(page.GetByLabel("第2行 得分", new() { Exact = true })).ToHaveCountAsync(1); // the copied row keeps its own
    }
}
