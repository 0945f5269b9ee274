using BudgetEval.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BudgetEval.Tests.Rectifications;

public sealed class RectificationBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_an_open_demo_finding_When_unit_plans_uploads_evidence_and_reports_Then_finance_verifies_it_as_rectified()
    {
        var unit = await browser.SignInAsync("unit");
        await unit.GotoAsync(browser.BaseUrl + "/findings?FiscalYear=2021&Status=Open");
        await unit.Locator("tbody tr").First.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(unit.GetByTestId("finding-status")).ToHaveTextAsync("未整改");

        await unit.Locator("#measures").FillAsync("建立问题整改台账，逐项落实。");
        await unit.Locator("#responsible").FillAsync("王主任");
        await unit.Locator("#plannedDate").FillAsync(DateTime.UtcNow.AddDays(60).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)); // the browser app runs on the real clock; a plan's date is ahead
        await unit.GetByRole(AriaRole.Button, new() { Name = "保存整改方案" }).ClickAsync();
        await Assertions.Expect(unit.Locator(".flash")).ToHaveTextAsync("整改方案已保存。");
        await unit.GetByTestId("finding-case").ClickAsync();
        await unit.GetByRole(AriaRole.Button, new() { Name = "报送整改方案", Exact = true }).ClickAsync();
        await Assertions.Expect(unit.GetByTestId("case-state")).ToHaveTextAsync("整改落实");

        await unit.GetByTestId("case-finding").ClickAsync();
        await unit.Locator("#result").FillAsync("台账已建立，问题已整改。");
        await unit.GetByRole(AriaRole.Button, new() { Name = "保存整改结果" }).ClickAsync();
        await unit.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "整改报告.pdf", MimeType = "application/pdf", Buffer = RectificationApi.Pdf("整改报告") });
        await unit.GetByRole(AriaRole.Button, new() { Name = "上传", Exact = true }).ClickAsync();
        await Assertions.Expect(unit.Locator(".flash")).ToContainTextAsync("整改报告.pdf");
        await BrowserFixture.ScreenshotAsync(unit, "rectification-finding");
        await unit.GetByTestId("finding-case").ClickAsync();
        await unit.GetByRole(AriaRole.Button, new() { Name = "报送整改结果", Exact = true }).ClickAsync();
        await Assertions.Expect(unit.GetByTestId("case-state")).ToHaveTextAsync("财政核验");
        var caseUrl = unit.Url;

        // The bureau opens the evidence from the finding page before it decides.
        var finance = await browser.SignInAsync("finance");
        await finance.GotoAsync(caseUrl);
        await finance.GetByTestId("case-finding").ClickAsync();
        var download = await finance.RunAndWaitForDownloadAsync(() => finance.GetByTestId("evidence").GetByRole(AriaRole.Link, new() { Name = "整改报告.pdf" }).ClickAsync());
        Assert.Equal("整改报告.pdf", download.SuggestedFilename);
        Assert.Equal(RectificationApi.Pdf("整改报告"), await File.ReadAllBytesAsync(await download.PathAsync()));
        await finance.GotoAsync(caseUrl);
        await finance.Locator("form[data-action=verify] textarea").FillAsync("佐证材料齐全，整改到位。");
        finance.Dialog += async (_, dialog) => await dialog.AcceptAsync(); // a final action asks first
        await finance.GetByRole(AriaRole.Button, new() { Name = "已整改", Exact = true }).ClickAsync();
        await Assertions.Expect(finance.GetByTestId("case-state")).ToHaveTextAsync("已整改");
        await finance.GetByTestId("case-finding").ClickAsync();
        await Assertions.Expect(finance.GetByTestId("finding-status")).ToHaveTextAsync("已整改");
    }

    [Fact]
    public async Task Given_a_file_uploaded_by_mistake_When_the_unit_deletes_it_on_the_finding_page_Then_it_asks_first_and_cancel_keeps_it()
    {
        var unit = await browser.SignInAsync("unit");
        await unit.GotoAsync(browser.BaseUrl + "/findings?FiscalYear=2021&Status=Open");
        await unit.Locator("tbody tr").Nth(1).GetByRole(AriaRole.Link).ClickAsync(); // not the first: the other test walks that one
        var findingUrl = unit.Url;
        await unit.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "身份证复印件.pdf", MimeType = "application/pdf", Buffer = RectificationApi.Pdf("身份证复印件") });
        await unit.GetByRole(AriaRole.Button, new() { Name = "上传", Exact = true }).ClickAsync();
        await Assertions.Expect(unit.Locator(".flash")).ToContainTextAsync("身份证复印件.pdf");
        var row = unit.GetByTestId("evidence").Locator("tr", new() { HasText = "身份证复印件.pdf" });
        await Assertions.Expect(unit.GetByTestId("evidence-rule")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(unit, "rectification-evidence-delete");

        var accept = false;
        string? asked = null;
        unit.Dialog += async (_, dialog) =>
        {
            asked = dialog.Message;
            await (accept ? dialog.AcceptAsync() : dialog.DismissAsync());
        };
        await row.GetByRole(AriaRole.Button, new() { Name = "删除 身份证复印件.pdf 第 1 版" }).ClickAsync();
        Assert.Equal("确定删除佐证材料「身份证复印件.pdf」（第 1 版）吗？删除后不能恢复。", asked);
        Assert.Equal(findingUrl, unit.Url);
        await Assertions.Expect(row).ToBeVisibleAsync();

        accept = true;
        await row.GetByRole(AriaRole.Button, new() { Name = "删除 身份证复印件.pdf 第 1 版" }).ClickAsync();
        await Assertions.Expect(unit.Locator(".flash")).ToHaveTextAsync("已删除佐证材料：身份证复印件.pdf（第 1 版）。");
        await Assertions.Expect(unit.GetByText("身份证复印件.pdf", new() { Exact = true })).ToHaveCountAsync(0);
    }
}
