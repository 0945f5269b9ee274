using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Workflows;
using Microsoft.Playwright;

namespace BudgetEval.Tests.Browser;

/// <summary>A final action asks before it takes effect; cancelling leaves the case as it was.</summary>
public sealed class CaseConfirmBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_a_case_at_bureau_review_When_finance_clicks_accept_and_dismisses_the_question_Then_nothing_changes_and_accepting_it_ends_the_flow()
    {
        var api = new CaseApi(browser.ApiAsync);
        var caseId = await api.CaseInStateAsync("bureau_review");
        var page = await browser.SignInAsync("finance");
        await page.GotoAsync($"{browser.BaseUrl}/cases/{caseId}");

        var asked = new List<string>();
        var answer = false;
        page.Dialog += async (_, dialog) =>
        {
            asked.Add(dialog.Message);
            await (answer ? dialog.AcceptAsync() : dialog.DismissAsync());
        };

        // 退回修改 is not final: no question.
        Assert.Null(await page.Locator("form[data-action=return] button[type=submit]").GetAttributeAsync("data-confirm"));

        await page.Locator("form[data-action=accept] button[type=submit]").ClickAsync();
        Assert.Equal(["确定「通过」吗？办理后流程结束，不能撤回。"], asked);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Assertions.Expect(page.Locator("[data-testid=case-state]")).ToHaveTextAsync("财政审核");
        Assert.Equal("bureau_review", await api.StateAsync(caseId));

        answer = true;
        var answered = page.WaitForResponseAsync(r => r.Request.Method == "POST");
        await page.Locator("form[data-action=accept] button[type=submit]").ClickAsync();
        await answered;
        await Assertions.Expect(page.Locator("[data-testid=case-state]")).ToHaveTextAsync("已通过");
        await Assertions.Expect(page.Locator(".flash")).ToHaveTextAsync("已办理「通过」，流程结束（已通过）。");
        Assert.Equal(2, asked.Count);
    }
}
