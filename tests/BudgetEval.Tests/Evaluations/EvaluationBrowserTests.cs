using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Evaluations;
using Microsoft.Playwright;

namespace BudgetEval.Tests.Evaluations;

/// <summary>The 重点评价 flow clicked through by finance, the lead, the firm and the unit in a real browser.</summary>
public sealed class EvaluationBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Title = "2025年度长沙市望城区社会治理服务中心部门整体支出绩效评价";

    [Fact]
    public async Task Given_selected_target_When_commissioned_scored_commented_finalised_and_accepted_Then_completed_with_89_80_print_view()
    {
        // finance: selects the centre by hand; the lead approves the list.
        var finance = await browser.SignInAsync("finance");
        await finance.GotoAsync(browser.BaseUrl + "/evaluations?FiscalYear=2025");
        await finance.Locator("#ManualUnit").SelectOptionAsync(new SelectOptionValue { Label = DemoSeeder.SocialGovernanceCentre });
        await finance.GetByLabel("选定理由").FillAsync("预算规模大，执行率偏低");
        await finance.GetByRole(AriaRole.Button, new() { Name = "提交评价对象清单" }).ClickAsync();
        await Assertions.Expect(finance.Locator(".flash")).ToContainTextAsync("待财政局领导审批");

        var lead = await browser.SignInAsync("financelead");
        await lead.GotoAsync(browser.BaseUrl + "/evaluations?FiscalYear=2025");
        await lead.GetByRole(AriaRole.Button, new() { Name = "批准评价对象清单" }).ClickAsync();
        await Assertions.Expect(lead.Locator(".flash")).ToContainTextAsync("已批准 1 个");

        // finance: commissions 新财苑.
        await OpenAsync(finance);
        await finance.GetByLabel("报告提交期限").FillAsync(DateTime.UtcNow.AddDays(60).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await finance.GetByRole(AriaRole.Button, new() { Name = "委托" }).ClickAsync();
        await Assertions.Expect(finance.Locator("[data-testid=state]")).ToHaveTextAsync("评价及报告初稿");

        // evaluator: team, the sample table by import, report, one problem; then the draft goes to the unit.
        var evaluator = await browser.SignInAsync("evaluator");
        await OpenAsync(evaluator);
        await evaluator.GetByLabel("姓名").FillAsync("江惠平");
        await evaluator.Locator("input[name=isLead]").CheckAsync();
        await evaluator.Locator("input[name=noConflict]").CheckAsync();
        await evaluator.GetByRole(AriaRole.Button, new() { Name = "加入评价组" }).ClickAsync();
        await evaluator.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "sample.csv", MimeType = "text/csv", Buffer = SampleExternalEvaluation.IndicatorsCsv() });
        await evaluator.GetByRole(AriaRole.Button, new() { Name = "导入", Exact = true }).ClickAsync();
        await Assertions.Expect(evaluator.Locator("[data-testid=total]")).ToHaveTextAsync("89.80");
        await Assertions.Expect(evaluator.Locator("[data-testid=grade]")).ToHaveTextAsync("等级：良");

        // Totals follow the typing before anything is saved: +0.2 on a row lifts 89.80 to 90.00, 优; then back.
        var firstScore = evaluator.Locator("input.score").First;
        var original = await firstScore.InputValueAsync();
        var raised = (decimal.Parse(original, System.Globalization.CultureInfo.InvariantCulture) + 0.2m).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await firstScore.FillAsync(raised);
        await Assertions.Expect(evaluator.Locator("[data-testid=total]")).ToHaveTextAsync("90.00");
        await Assertions.Expect(evaluator.Locator("[data-testid=grade]")).ToHaveTextAsync("等级：优");
        await firstScore.FillAsync(original);
        await Assertions.Expect(evaluator.Locator("[data-testid=total]")).ToHaveTextAsync("89.80");
        foreach (var (key, _) in ReportSections.All)
        {
            await evaluator.Locator($"#s-{key}").FillAsync(SampleExternalEvaluation.Sections[key]!);
        }

        await evaluator.GetByRole(AriaRole.Button, new() { Name = "保存报告", Exact = true }).ClickAsync();
        await evaluator.GetByLabel("问题（必填）", new() { Exact = true }).FillAsync("政府采购执行率偏低");
        await evaluator.GetByLabel("具体情况及依据").FillAsync("年初政府采购预算294.7万元，实际采购65.48万元，执行率22.22%。");
        await evaluator.GetByRole(AriaRole.Button, new() { Name = "加入", Exact = true }).ClickAsync();
        await FireAsync(evaluator, "submitDraft", "单位征求意见");

        // unit: disputes the problem within the window and sends its comments.
        var unit = await browser.SignInAsync("unit");
        await OpenAsync(unit);
        await unit.GetByLabel("对问题1的意见").FillAsync("部分采购已转入次年执行。");
        await unit.Locator("input[name=disputed]").CheckAsync();
        await unit.GetByRole(AriaRole.Button, new() { Name = "保存意见" }).ClickAsync();
        await FireAsync(unit, "comment", "正式报告");

        // evaluator: answers, numbers the report and delivers it.
        await OpenAsync(evaluator);
        await evaluator.GetByLabel("答复问题1").FillAsync("采购计划未调整，维持原意见。");
        await evaluator.GetByRole(AriaRole.Button, new() { Name = "保存答复" }).ClickAsync();
        await evaluator.GetByLabel("报告文号（正式报告）").FillAsync("湘财苑专审字[2026]第8号");
        await evaluator.GetByLabel("报告日期").FillAsync("2026-03-02");
        await evaluator.GetByRole(AriaRole.Button, new() { Name = "保存报告", Exact = true }).ClickAsync();
        await FireAsync(evaluator, "submitFinal", "报告质量审核");

        // finance: accepts; the finding is in the register.
        await OpenAsync(finance);
        await FireAsync(finance, "accept", "已完成");
        await OpenAsync(finance);
        await Assertions.Expect(finance.Locator("[data-testid=findings]")).ToContainTextAsync("政府采购执行率偏低");

        await finance.GetByTestId("print-link").ClickAsync();
        await Assertions.Expect(finance.Locator("#print-total")).ToHaveTextAsync("89.80");
        var shot = await BrowserFixture.ScreenshotAsync(finance, "external-evaluation-print");
        Assert.True(new FileInfo(shot).Length > 10_000);
    }

    private async Task OpenAsync(IPage page)
    {
        await page.GotoAsync(browser.BaseUrl + "/evaluations");
        await page.GetByRole(AriaRole.Link, new() { Name = Title }).ClickAsync();
    }

    private static async Task FireAsync(IPage page, string action, string expectedState)
    {
        await page.GetByTestId("case-link").ClickAsync();
        page.Dialog -= AcceptDialog; // once per page, however many actions it fires
        page.Dialog += AcceptDialog; // a final action (验收通过) asks first
        var answered = page.WaitForResponseAsync(r => r.Request.Method == "POST"); // not a load event (see BrowserFixture.SignInAsync)
        await page.Locator($"form[data-action={action}] button[type=submit]").ClickAsync();
        await answered;
        await Assertions.Expect(page.Locator("[data-testid=case-state]")).ToHaveTextAsync(expectedState);
    }

    private static async void AcceptDialog(object? sender, IDialog dialog) => await dialog.AcceptAsync();
}
