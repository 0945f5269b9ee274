using BudgetEval.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BudgetEval.Tests.Dashboards;

public sealed class DashboardBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_the_demo_data_When_finance_opens_the_dashboard_from_the_home_page_Then_the_svg_charts_show_the_demo_figures()
    {
        var page = await browser.SignInAsync("finance");
        await page.GetByTestId("home-dashboard").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "数据看板", Exact = true })).ToBeVisibleAsync();

        // The demo: the 2021 evaluation of the centre, completed, with nine findings of which two were fixed before the report.
        var funnel = page.Locator("svg[data-chart=funnel]");
        await Assertions.Expect(funnel).ToHaveAttributeAsync("role", "img");
        await Assertions.Expect(funnel.Locator("rect.bar[data-label=问题总数]")).ToHaveAttributeAsync("data-value", "9");
        await Assertions.Expect(funnel.Locator("rect.bar[data-label=已整改]")).ToHaveAttributeAsync("data-value", "2");
        await Assertions.Expect(funnel.Locator("rect.bar[data-label=未完成整改]")).ToHaveAttributeAsync("data-value", "7");
        await Assertions.Expect(funnel.Locator("text", new() { HasText = "9" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("svg[data-chart=evaluationStatus] rect.bar[data-label=已完成]")).ToHaveAttributeAsync("data-value", "1");
        await Assertions.Expect(page.Locator("svg[data-chart=evaluationGrades] rect.bar[data-label='2021年度'][data-series=良]")).ToHaveAttributeAsync("data-value", "1");

        // The published 2022 plan: every unit's self-evaluation still a draft, all past the deadline.
        var drafts = page.Locator("svg[data-chart=progress] rect.bar[data-series=未提交]");
        await Assertions.Expect(drafts).ToHaveCountAsync(1);
        var value = int.Parse((await drafts.GetAttributeAsync("data-value"))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(value >= 12, $"only {value} drafts");
        await Assertions.Expect(page.Locator("[data-count=findings-total] .value")).ToHaveTextAsync("9");
        await Assertions.Expect(page.Locator("[data-count=rectification-rate] .value")).ToHaveTextAsync("22.2%"); // 2 ÷ 9

        await page.Locator("[data-testid=chart-funnel] summary").ClickAsync();
        await Assertions.Expect(page.GetByTestId("table-funnel").Locator("tr", new() { HasText = "已整改" })).ToContainTextAsync("2");
        await BrowserFixture.ScreenshotAsync(page, "dashboard-bureau");

        // Filters are GET parameters: a year without findings empties the funnel.
        await page.Locator("#year").FillAsync("2020");
        await page.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
        await Assertions.Expect(page.Locator("svg[data-chart=funnel] rect.bar[data-label=问题总数]")).ToHaveAttributeAsync("data-value", "0");
        Assert.Contains("year=2020", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_the_centre_When_its_filler_opens_the_unit_dashboard_Then_its_findings_and_score_history_are_drawn()
    {
        var page = await browser.SignInAsync("unit");
        await page.GetByTestId("home-dashboard").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "本单位数据看板" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("svg[data-chart=scores] circle.point[data-series=重点评价得分][data-label='2021年度']")).ToHaveAttributeAsync("data-value", "89.80");
        await Assertions.Expect(page.Locator("svg[data-chart=funnel] rect.bar[data-label=未完成整改]")).ToHaveAttributeAsync("data-value", "7");
        await Assertions.Expect(page.GetByTestId("unit-findings").Locator("tbody tr")).ToHaveCountAsync(7);
        await BrowserFixture.ScreenshotAsync(page, "dashboard-unit");
    }
}
