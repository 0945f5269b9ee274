using BudgetEval.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BudgetEval.Tests.Browser;

/// <summary>The 自评审核 flow clicked through by four people in a real browser.</summary>
public sealed class ReviewFlowBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string ReturnComment = "请补充预算执行率偏低的原因。";

    [Fact]
    public async Task Given_a_new_self_evaluation_When_it_is_returned_once_and_resubmitted_Then_finance_accepts_it_and_the_history_shows_every_step()
    {
        // unit: creates and submits.
        var unit = await browser.SignInAsync("unit");
        await unit.GotoAsync(browser.BaseUrl + "/self-evaluations");
        var create = unit.GetByTestId("create-self-evaluation"); // the list's filters above it have a 年度 too
        await create.GetByLabel("标题").FillAsync("2025年度部门整体支出绩效自评（浏览器测试）");
        await create.GetByLabel("年度").FillAsync("2025");
        await create.GetByLabel("截止日期").FillAsync("2026-12-31");
        await create.GetByLabel("全年预算数（万元）").FillAsync("1412.74");
        await create.GetByLabel("自评概述").FillAsync("全年预算执行情况良好。");
        await create.GetByRole(AriaRole.Button, new() { Name = "创建" }).ClickAsync();
        await Assertions.Expect(unit).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/cases/"));
        var caseUrl = unit.Url;
        await Fire(unit, "submit");
        await Expect(unit, "单位审核");

        // unithead: approves from 待办.
        var head = await browser.SignInAsync("unithead");
        await OpenFromInbox(head, caseUrl);
        await Fire(head, "approve");
        await Expect(head, "财政审核");

        // finance: returns with a comment.
        var finance = await browser.SignInAsync("finance");
        await OpenFromInbox(finance, caseUrl);
        await finance.Locator("form[data-action=return] textarea").FillAsync(ReturnComment);
        await Fire(finance, "return");
        await Expect(finance, "退回修改");

        // unit: sees the comment in 待办, edits and resubmits.
        await unit.GotoAsync(browser.BaseUrl + "/inbox");
        var row = unit.Locator("[data-testid=inbox] tr", new() { HasText = "浏览器测试" });
        await Assertions.Expect(row.Locator(".latest-comment")).ToContainTextAsync(ReturnComment);
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await unit.GetByRole(AriaRole.Link, new() { Name = "修改自评内容" }).ClickAsync();
        await unit.GetByLabel("自评概述").FillAsync("全年预算执行率69.34%，偏低原因：社会治理系统运行维护项目采购延期。");
        await unit.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(unit).ToHaveURLAsync(caseUrl);
        await Fire(unit, "resubmit");
        await Expect(unit, "单位审核");

        await head.GotoAsync(caseUrl);
        await Fire(head, "approve");

        // finance: sees what changed, accepts.
        await finance.GotoAsync(caseUrl);
        await Assertions.Expect(finance.Locator("[data-testid=version-diff]")).ToContainTextAsync("采购延期");
        finance.Dialog += async (_, dialog) => await dialog.AcceptAsync(); // 通过 ends the flow: it asks first
        await Fire(finance, "accept");
        await Expect(finance, "已通过");

        var history = finance.Locator("[data-testid=history] tbody tr");
        await Assertions.Expect(history).ToHaveCountAsync(7); // created, submit, approve, return, resubmit, approve, accept
        await Assertions.Expect(history.Nth(3)).ToContainTextAsync(ReturnComment);
        await BrowserFixture.ScreenshotAsync(finance, "case-accepted");
    }

    // Waits for the action's POST to be answered (the transition is committed by then), not for a load event,
    // which Playwright now and then missed under load (see BrowserFixture.SignInAsync).
    private static async Task Fire(IPage page, string action)
    {
        var answered = page.WaitForResponseAsync(r => r.Request.Method == "POST");
        await page.Locator($"form[data-action={action}] button[type=submit]").ClickAsync();
        await answered;
    }

    private static Task Expect(IPage page, string stateLabel) =>
        Assertions.Expect(page.Locator("[data-testid=case-state]")).ToHaveTextAsync(stateLabel);

    private async Task OpenFromInbox(IPage page, string caseUrl)
    {
        await page.GotoAsync(browser.BaseUrl + "/inbox");
        await page.Locator("[data-testid=inbox] tr", new() { HasText = "浏览器测试" }).GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(caseUrl);
    }
}
