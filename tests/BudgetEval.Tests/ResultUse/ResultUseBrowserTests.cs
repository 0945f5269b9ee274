using BudgetEval.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BudgetEval.Tests.ResultUse;

public sealed class ResultUseBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_the_2021_results_When_finance_marks_the_centre_for_publication_and_the_lead_approves_Then_the_list_is_locked_and_shows_it()
    {
        var finance = await browser.SignInAsync("finance");
        await finance.GotoAsync(browser.BaseUrl + "/results?year=2021");
        var row = finance.Locator("tr[data-unit='长沙市望城区社会治理服务中心']");
        await Assertions.Expect(row.GetByTestId("evaluation-score")).ToHaveTextAsync("89.80");
        await Assertions.Expect(row.GetByTestId("final-grade")).ToHaveTextAsync("良");
        await row.GetByTestId("mark").ClickAsync();
        await Assertions.Expect(finance.Locator(".flash")).ToHaveTextAsync("已列入公开清单。");
        await Assertions.Expect(row.GetByTestId("mark")).ToHaveTextAsync("✓ 拟公开");
        // Back on the address the officer opened, without the filters nobody set (no published=False&p=1).
        Assert.EndsWith("/results?year=2021", finance.Url, StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(finance, "results");

        var lead = await browser.SignInAsync("financelead");
        await lead.GotoAsync(browser.BaseUrl + "/results?year=2021");
        // 审定 asks first: dismissed, nothing is approved; answered, the year is approved.
        var asked = new List<string>();
        var answer = false;
        lead.Dialog += async (_, dialog) =>
        {
            asked.Add(dialog.Message);
            await (answer ? dialog.AcceptAsync() : dialog.DismissAsync());
        };
        await lead.GetByTestId("approve").ClickAsync();
        Assert.Equal(["确定审定2021年度评价结果吗？审定后以此时的结果为准，公开清单随之锁定（如需更改，可撤销审定）。"], asked);
        await lead.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Assertions.Expect(lead.GetByTestId("approval")).ToContainTextAsync("未审定");

        answer = true;
        await lead.GetByTestId("approve").ClickAsync();
        await Assertions.Expect(lead.GetByTestId("approval")).ToContainTextAsync("已审定");
        await lead.GetByTestId("results-publication").ClickAsync();
        await Assertions.Expect(lead.GetByTestId("publication-status")).ToContainTextAsync("清单已锁定");
        await Assertions.Expect(lead.GetByTestId("publication").Locator("tbody tr")).ToHaveCountAsync(1);

        await finance.ReloadAsync();
        await Assertions.Expect(row.GetByTestId("mark")).ToHaveCountAsync(0); // locked: no buttons for the officer
        await Assertions.Expect(row.GetByTestId("published")).ToHaveTextAsync("拟公开");
    }
}
