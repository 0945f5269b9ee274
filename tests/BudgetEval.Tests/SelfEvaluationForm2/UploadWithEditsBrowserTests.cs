using BudgetEval.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BudgetEval.Tests.SelfEvaluationForm2;

/// <summary>上传 with typed edits not yet saved: refused with the edits kept, instead of the reload dropping them.</summary>
public sealed class UploadWithEditsBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_typed_unsaved_text_When_a_file_is_uploaded_Then_refused_asking_to_save_first_with_the_text_kept_and_after_saving_the_upload_works()
    {
        var page = await browser.SignInAsync("unit");
        await page.GotoAsync(browser.BaseUrl + "/self-evaluations");
        await page.Locator("tr", new() { HasText = "社会治理服务中心部门整体支出" }).GetByRole(AriaRole.Link, new() { Name = "自评表" }).ClickAsync();
        var pdf = new FilePayload { Name = "佐证材料.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.4 佐证"u8.ToArray() };

        await page.Locator("#report-other").FillAsync("尚未保存的其他说明");
        await page.Locator("#attachment-file").SetInputFilesAsync(pdf);
        await page.Locator("#upload").ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("请先保存已填写的内容：本页有尚未保存的修改（自评报告「其他」）。");
        await Assertions.Expect(page.Locator("#report-other")).ToHaveValueAsync("尚未保存的其他说明");
        await Assertions.Expect(page.Locator("#attachments")).ToContainTextAsync("尚无附件。");

        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToHaveTextAsync("自评表已保存。");
        await page.Locator("#attachment-file").SetInputFilesAsync(pdf);
        await page.Locator("#upload").ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToHaveTextAsync("已上传附件：佐证材料.pdf。");
        await Assertions.Expect(page.Locator("#report-other")).ToHaveValueAsync("尚未保存的其他说明");
    }

    [Fact]
    public async Task Given_the_long_text_boxes_When_the_unit_types_Then_each_counts_live_against_its_own_limit()
    {
        var page = await browser.SignInAsync("unit");
        await page.GotoAsync(browser.BaseUrl + "/self-evaluations");
        await page.Locator("tr", new() { HasText = "社会治理服务中心部门整体支出" }).GetByRole(AriaRole.Link, new() { Name = "自评表" }).ClickAsync();

        // Counted as the server counts: a line break is one character, the ends are trimmed.
        await page.Locator("#report-other").FillAsync("  第一行\r\n第二行  ");
        await Assertions.Expect(page.Locator("#report-other-count")).ToHaveTextAsync($"7/{BudgetEval.Web.SelfEvaluations.SelfEvaluationForm.ReportSectionMaxLength}");
        await page.Locator("#goals-planned").FillAsync("全年目标");
        await Assertions.Expect(page.Locator("#goals-planned-count")).ToHaveTextAsync($"4/{BudgetEval.Web.SelfEvaluations.SelfEvaluationForm.GoalsMaxLength}");
        Assert.Contains("goals-planned-count", await page.Locator("#goals-planned").GetAttributeAsync("aria-describedby") ?? string.Empty, StringComparison.Ordinal);
    }
}
