using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BudgetEval.Tests.Fieldwork;

/// <summary>The firm's evaluator keeps its 现场评价工作记录 in a real browser, and the bureau reads them from the evaluation page.</summary>
public sealed class FieldworkBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_a_commissioned_evaluation_When_the_evaluator_adds_mistypes_corrects_and_deletes_records_Then_the_bureau_reads_what_stands()
    {
        var (id, _) = await EvaluationApi.CommissionedAsync(browser, 2023);
        var today = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var page = await browser.SignInAsync("evaluator");
        await page.GotoAsync($"{browser.BaseUrl}/evaluations/{id}");
        await page.GetByTestId("fieldwork-link").GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page.GetByTestId("fieldwork-empty")).ToBeVisibleAsync();

        // Without the subject: refused, the field named, the typing kept.
        await page.GetByLabel("工作方式（必填）").SelectOptionAsync(new SelectOptionValue { Label = "账务核实" });
        await page.GetByLabel("日期（必填）").FillAsync(today);
        await page.GetByLabel("工作内容及发现（必填）").FillAsync("核对2023年度收支账务，抽查凭证60张。");
        await page.EvaluateAsync("document.getElementById('subject').removeAttribute('required')"); // as a browser without the check would send it
        await page.GetByRole(AriaRole.Button, new() { Name = "添加", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("fieldwork-errors")).ToContainTextAsync("请填写「对象或地点」。");
        await Assertions.Expect(page.GetByLabel("工作内容及发现（必填）")).ToHaveValueAsync("核对2023年度收支账务，抽查凭证60张。");

        await page.GetByLabel("对象或地点（必填，如「2021年会计凭证第1-120号」「智慧社区项目现场」）").FillAsync("2023年度会计账簿及记账凭证");
        await page.GetByRole(AriaRole.Button, new() { Name = "添加", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("已添加现场评价工作记录。");
        await Assertions.Expect(page.GetByTestId("fieldwork-row")).ToHaveCountAsync(1);

        // A second one, entered by mistake, goes again; the first is corrected.
        await page.GetByLabel("工作方式（必填）").SelectOptionAsync(new SelectOptionValue { Label = "询问" });
        await page.GetByLabel("日期（必填）").FillAsync(today);
        await page.GetByLabel("对象或地点（必填，如「2021年会计凭证第1-120号」「智慧社区项目现场」）").FillAsync("误录");
        await page.GetByLabel("工作内容及发现（必填）").FillAsync("误录");
        await page.GetByRole(AriaRole.Button, new() { Name = "添加", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("fieldwork-row")).ToHaveCountAsync(2);
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.GetByTestId("fieldwork-row").Filter(new() { HasText = "误录" }).GetByRole(AriaRole.Button, new() { Name = "删除" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("已删除该条记录。");
        await Assertions.Expect(page.GetByTestId("fieldwork-row")).ToHaveCountAsync(1);

        await page.GetByTestId("fieldwork-row").GetByRole(AriaRole.Link, new() { Name = "修改" }).ClickAsync();
        await Assertions.Expect(page.Locator("#fieldwork-form")).ToHaveTextAsync("修改记录");
        await page.GetByLabel("工作内容及发现（必填）").FillAsync("核对2023年度收支账务，抽查凭证60张，2张报销单缺审批签字。");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存修改" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("已保存修改。");
        await BrowserFixture.ScreenshotAsync(page, "fieldwork-firm");

        // The bureau: the count on the evaluation page, the record on its page, and no form.
        var finance = await browser.SignInAsync("finance");
        await finance.GotoAsync($"{browser.BaseUrl}/evaluations/{id}");
        await Assertions.Expect(finance.GetByTestId("fieldwork-link")).ToHaveTextAsync("1 条");
        await finance.GetByTestId("fieldwork-link").GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(finance.GetByTestId("fieldwork-row")).ToContainTextAsync("2张报销单缺审批签字");
        await Assertions.Expect(finance.GetByTestId("fieldwork-row")).ToContainTextAsync("账务核实");
        await Assertions.Expect(finance.GetByTestId("fieldwork-form")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(finance, "fieldwork-bureau");
    }
}
