using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace BudgetEval.Tests.SecondYear;

/// <summary>
/// The unit opening next year's self-evaluation in Chromium (on the real clock, so years 2023–2025): its
/// 上年及以前发现问题的整改情况 lists last years' open findings with their deadlines, 逾期 and 重复发生, and takes a line for each.
/// </summary>
public sealed class SecondYearFollowUpBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_open_findings_of_the_two_years_before_When_the_unit_fills_its_new_follow_up_section_Then_each_is_listed_marked_and_its_line_is_kept()
    {
        var centre = await browser.DbAsync(db => db.Organisations.Where(o => o.Name == DemoSeeder.SocialGovernanceCentre).Select(o => o.Id).SingleAsync());
        var finance = await browser.ApiAsync("finance");
        await RegisterAsync(finance, centre, 2023, "未对资产进行年度盘点", "望审〔2024〕3号", "2024-06-30");
        await RegisterAsync(finance, centre, 2024, "部分资产账实不符", "望审〔2025〕4号", "2027-03-31");
        var plan = await finance.PostAsJsonAsync("/api/plans", new
        {
            fiscalYear = 2025,
            title = "2025年度绩效自评工作",
            noticeNumber = "望财绩〔2026〕9号",
            deadline = "2026-12-31",
            targets = new object[] { new { organisationId = centre, kind = "DepartmentWide" } },
        });
        var planId = JsonDocument.Parse(await plan.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        await EvaluationApi.Ok(await finance.PostAsync($"/api/plans/{planId}/publish", null));
        var id = await browser.DbAsync(db => db.SelfEvaluations.Where(s => s.PlanId == planId).Select(s => s.Id).SingleAsync());

        // The API says 重复发生 where the page does (it used to leave it out of the follow-up rows).
        var listed = (await EvaluationApi.JsonAsync(await browser.ApiAsync("unit"), $"/api/self-evaluations/{id}/follow-up")).EnumerateArray()
            .ToDictionary(i => i.GetProperty("title").GetString()!, i => i.GetProperty("recurring").GetBoolean());
        Assert.True(listed["部分资产账实不符"]);
        Assert.False(listed["未对资产进行年度盘点"]);

        var page = await browser.SignInAsync("unit");
        await page.GotoAsync($"{browser.BaseUrl}/self-evaluations/{id}/form");
        await page.GetByRole(AriaRole.Link, new() { Name = "上年及以前发现问题的整改情况" }).First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/follow-up$"));
        var rows = page.Locator("[data-testid=follow-up] tbody tr");
        var old = rows.Filter(new() { HasText = "未对资产进行年度盘点" });
        var recurring = rows.Filter(new() { HasText = "部分资产账实不符" });
        await Assertions.Expect(old).ToContainTextAsync("2024年6月30日");
        await Assertions.Expect(old).ToContainTextAsync("逾期");
        await Assertions.Expect(old.Locator("[data-testid=recurring]")).ToHaveCountAsync(0);
        await Assertions.Expect(recurring.Locator("[data-testid=recurring]")).ToHaveTextAsync("重复发生");
        await Assertions.Expect(recurring).Not.ToContainTextAsync("逾期");

        await old.Locator("textarea").FillAsync("已完成全面盘点，正在补办资产编码。");
        await recurring.Locator("textarea").FillAsync("对讲机已办理移交账务处理。");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存整改情况说明" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToHaveTextAsync("整改情况说明已保存。");
        await page.ReloadAsync();
        await Assertions.Expect(old.Locator("textarea")).ToHaveValueAsync("已完成全面盘点，正在补办资产编码。");
        await Assertions.Expect(recurring.Locator("textarea")).ToHaveValueAsync("对讲机已办理移交账务处理。");
        await BrowserFixture.ScreenshotAsync(page, "second-year-follow-up");
    }

    private static async Task RegisterAsync(HttpClient finance, Guid centre, int year, string title, string document, string deadline) =>
        await EvaluationApi.Ok(await finance.PostAsJsonAsync("/api/findings", new
        {
            organisationId = centre, fiscalYear = year, category = "资产管理", title, detail = "区审计局审计发现。",
            source = "Audit", sourceDocument = document, deadline,
        }));
}
