using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Rectifications;
using Microsoft.Playwright;

namespace BudgetEval.Tests.RectificationWalk;

/// <summary>The main path in Chromium, by clicks: from the 整改通知 in the bell to the bureau's 未通过 and the unit reading why.</summary>
public sealed class RectificationWalkBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_the_notice_of_a_demo_finding_When_the_unit_plans_and_reports_and_the_officer_returns_it_from_the_case_page_Then_the_unit_reads_why_on_the_finding_page()
    {
        // The unit starts from the bell: the 整改通知 leads to the case, the case to the finding page where the plan is written.
        var unit = await browser.SignInAsync("unit");
        await unit.GetByTestId("bell").ClickAsync();
        await unit.Locator("tr", new() { HasText = "整改通知：2021-第三方评价-001" }).GetByRole(AriaRole.Button, new() { Name = "查看事项" }).ClickAsync();
        await Assertions.Expect(unit.GetByTestId("case-state")).ToHaveTextAsync("制定整改方案");
        await unit.GetByTestId("case-finding").ClickAsync();
        await unit.Locator("#measures").FillAsync("一、建立政府采购台账。\n二、按月跟踪执行。");
        await unit.Locator("#responsible").FillAsync("王主任");
        // The browser's app runs on the real clock: the planned date is ahead of it.
        await unit.Locator("#plannedDate").FillAsync(DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await unit.GetByRole(AriaRole.Button, new() { Name = "保存整改方案" }).ClickAsync();
        await Assertions.Expect(unit.Locator(".flash")).ToHaveTextAsync("整改方案已保存。");
        await unit.GetByTestId("finding-act").ClickAsync();
        await unit.GetByRole(AriaRole.Button, new() { Name = "报送整改方案", Exact = true }).ClickAsync();
        await Assertions.Expect(unit.GetByTestId("case-state")).ToHaveTextAsync("整改落实");

        await unit.GetByTestId("case-finding").ClickAsync();
        await unit.Locator("#result").FillAsync("已建立台账，采购执行率提高至85%。");
        await unit.GetByRole(AriaRole.Button, new() { Name = "保存整改结果" }).ClickAsync();
        await Assertions.Expect(unit.Locator(".flash")).ToHaveTextAsync("整改结果已保存。");
        await unit.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "采购台账.pdf", MimeType = "application/pdf", Buffer = RectificationApi.Pdf("采购台账") });
        await unit.GetByRole(AriaRole.Button, new() { Name = "上传", Exact = true }).ClickAsync();
        await Assertions.Expect(unit.Locator(".flash")).ToContainTextAsync("采购台账.pdf");
        await unit.GetByTestId("finding-act").ClickAsync();
        await unit.GetByRole(AriaRole.Button, new() { Name = "报送整改结果", Exact = true }).ClickAsync();
        await Assertions.Expect(unit.GetByTestId("case-state")).ToHaveTextAsync("财政核验");

        // The officer opens it from 待办 and reads the plan, the result and the evidence on the case page, where it decides.
        var finance = await browser.SignInAsync("finance");
        await finance.GotoAsync(browser.BaseUrl + "/inbox");
        await finance.Locator("a", new() { HasText = "整改：2021-第三方评价-001" }).First.ClickAsync();
        var summary = finance.GetByTestId("case-rectification");
        await Assertions.Expect(summary).ToContainTextAsync("一、建立政府采购台账。");
        await Assertions.Expect(summary).ToContainTextAsync("责任人：王主任");
        await Assertions.Expect(summary).ToContainTextAsync("已建立台账，采购执行率提高至85%。");
        var download = await finance.RunAndWaitForDownloadAsync(() => summary.GetByRole(AriaRole.Link, new() { Name = "采购台账.pdf" }).ClickAsync());
        Assert.Equal(RectificationApi.Pdf("采购台账"), await File.ReadAllBytesAsync(await download.PathAsync()));
        await BrowserFixture.ScreenshotAsync(finance, "rectification-walk-verifying");
        await finance.Locator("form[data-action=return] textarea").FillAsync("佐证材料不全，缺少采购合同。");
        await finance.GetByRole(AriaRole.Button, new() { Name = "未通过", Exact = true }).ClickAsync();
        await Assertions.Expect(finance.GetByTestId("case-state")).ToHaveTextAsync("整改落实");

        // Back with the unit: why, and the deadline, on the finding page; the typed result is there to complete.
        await unit.ReloadAsync();
        await unit.GetByTestId("case-finding").ClickAsync();
        await Assertions.Expect(unit.Locator("main")).ToContainTextAsync("财政核验：未通过：佐证材料不全，缺少采购合同。");
        await Assertions.Expect(unit.Locator("main")).ToContainTextAsync("整改期限：");
        await Assertions.Expect(unit.Locator("#result")).ToHaveValueAsync("已建立台账，采购执行率提高至85%。");
        await BrowserFixture.ScreenshotAsync(unit, "rectification-walk-returned");
    }
}
