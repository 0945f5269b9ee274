using BudgetEval.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace BudgetEval.Tests.Templates;

public sealed class TemplateBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_the_administrator_copies_a_template_When_the_finance_officer_creates_a_plan_Then_the_copy_is_offered_and_the_plan_takes_its_groups()
    {
        var admin = await browser.SignInAsync("admin");
        await admin.GetByRole(AriaRole.Link, new() { Name = "指标模板", Exact = true }).ClickAsync();
        var row = admin.Locator("[data-testid=templates-SelfEvaluation] tr", new() { HasText = "产出/效益/满意度（自评常用）" });
        await row.GetByRole(AriaRole.Link, new() { Name = "复制" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("copied-from")).ToContainTextAsync("产出/效益/满意度（自评常用）");
        await BrowserFixture.ScreenshotAsync(admin, "template-copy");

        await admin.GetByLabel("模板名称（必填）").FillAsync("专项资金自评（浏览器）");
        await admin.GetByLabel("「满意度指标」的二级指标（每行一个）").FillAsync("服务对象满意度指标\n社会公众满意度指标");
        await admin.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(admin.Locator(".flash")).ToContainTextAsync("已新增自评指标模板“专项资金自评（浏览器）”");
        await Assertions.Expect(admin.Locator("[data-testid=templates-SelfEvaluation] tr", new() { HasText = "专项资金自评（浏览器）" }))
            .ToContainTextAsync("满意度指标（服务对象满意度指标、社会公众满意度指标）");
        await BrowserFixture.ScreenshotAsync(admin, "template-list");
        await admin.Locator("[data-testid=templates-Evaluation] tr", new() { HasText = "部门整体支出" }).GetByRole(AriaRole.Link, new() { Name = "编辑" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("typed-total")).ToContainTextAsync("当前合计 100 分");
        await BrowserFixture.ScreenshotAsync(admin, "template-edit-evaluation");

        var finance = await browser.SignInAsync("finance");
        await finance.GetByRole(AriaRole.Link, new() { Name = "评价计划" }).ClickAsync();
        await finance.GetByRole(AriaRole.Link, new() { Name = "新建评价计划" }).ClickAsync();
        await finance.GetByLabel("计划名称").FillAsync("2025年度专项资金绩效自评（模板）");
        await finance.GetByLabel("文号").FillAsync("望财绩〔2026〕91号");
        await finance.GetByLabel("截止日期").FillAsync("2026-04-30");
        await finance.GetByLabel("长沙市望城区教育局").CheckAsync();
        await finance.GetByLabel("专项资金自评（浏览器）").CheckAsync();
        await finance.GetByRole(AriaRole.Button, new() { Name = "创建计划" }).ClickAsync();
        await Assertions.Expect(finance.Locator(".flash")).ToContainTextAsync("评价工作计划已创建");
        await Assertions.Expect(finance.GetByLabel("专项资金自评（浏览器）")).ToBeCheckedAsync();

        var plan = await browser.DbAsync(db => db.Plans.AsNoTracking().SingleAsync(p => p.NoticeNumber == "望财绩〔2026〕91号"));
        var template = await browser.DbAsync(db => db.IndicatorTemplates.AsNoTracking().SingleAsync(t => t.Name == "专项资金自评（浏览器）"));
        Assert.Equal(template.Key, plan.TemplateId);
        Assert.Equal(["服务对象满意度指标", "社会公众满意度指标"], plan.Template.Single(g => g.Level1 == "满意度指标").Level2);
    }
}
