using System.Net.Http.Json;
using BudgetEval.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BudgetEval.Tests.Evaluations;

/// <summary>The firm correcting its own entries on the evaluation page in a real browser, and the case page's way back to it.</summary>
public sealed class EvaluationCorrectionBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_a_commissioned_evaluation_When_the_firm_mistypes_a_score_and_a_problem_then_corrects_deletes_and_removes_Then_nothing_typed_is_lost_and_each_correction_is_saved()
    {
        var (id, caseId) = await EvaluationApi.CommissionedAsync(browser, 2024);
        var api = await browser.ApiAsync("evaluator"); // this fixture runs on the real clock
        foreach (var member in new object[] { new { name = "江惠平", isLead = true, noConflict = true }, new { name = "王误录", title = "助理", noConflict = true } })
        {
            await EvaluationApi.Ok(await api.PostAsJsonAsync($"/api/evaluations/{id}/team", member));
        }

        var page = await browser.SignInAsync("evaluator");
        await page.GotoAsync($"{browser.BaseUrl}/evaluations/{id}");

        // One unreadable score among typed ones: the error names it, and every typed cell is still there.
        await page.Locator("input.score").Nth(0).FillAsync("1");
        await page.Locator("input[name=note]").Nth(0).FillAsync("目标与职责部分相关");
        await page.Locator("input.score").Nth(7).FillAsync("两分");
        await page.Locator("input[name=note]").Nth(7).FillAsync("待核实");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存评分" }).ClickAsync();
        await Assertions.Expect(page.Locator(".errors")).ToContainTextAsync("第 8 行");
        await Assertions.Expect(page.Locator(".errors")).ToContainTextAsync("「两分」不是数字");
        await Assertions.Expect(page.Locator("input.score").Nth(0)).ToHaveValueAsync("1");
        await Assertions.Expect(page.Locator("input[name=note]").Nth(0)).ToHaveValueAsync("目标与职责部分相关");
        await Assertions.Expect(page.Locator("input.score").Nth(7)).ToHaveValueAsync("两分");
        await Assertions.Expect(page.Locator("input[name=note]").Nth(7)).ToHaveValueAsync("待核实");

        // A problem marked rectified without its date: refused, title and detail kept; with the date, saved.
        await page.GetByLabel("问题（必填）", new() { Exact = true }).FillAsync("费用报销不规范");
        await page.GetByLabel("具体情况及依据").FillAsync("加班餐费凭证后未见审批表。");
        await page.Locator("input[name=rectifiedBeforeReport]").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "加入", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".errors")).ToContainTextAsync("问题1已整改，须填写整改完成日期。");
        await Assertions.Expect(page.GetByLabel("问题（必填）", new() { Exact = true })).ToHaveValueAsync("费用报销不规范");
        await Assertions.Expect(page.GetByLabel("具体情况及依据")).ToHaveValueAsync("加班餐费凭证后未见审批表。");
        await Assertions.Expect(page.Locator("input[name=rectifiedBeforeReport]")).ToBeCheckedAsync();
        await page.GetByLabel("整改完成日期").FillAsync("2026-02-27");
        await page.GetByRole(AriaRole.Button, new() { Name = "加入", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("问题已加入");

        // Corrected, then deleted.
        await page.GetByRole(AriaRole.Link, new() { Name = "修改问题1" }).ClickAsync();
        await Assertions.Expect(page.Locator("#problem-form")).ToHaveTextAsync("修改问题1");
        await page.GetByLabel("问题（必填）", new() { Exact = true }).FillAsync("加班餐费报销不规范");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存修改" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=problems]")).ToContainTextAsync("加班餐费报销不规范");
        // Deleting asks first: dismissed, nothing happens; accepted, the problem goes.
        await page.GetByRole(AriaRole.Button, new() { Name = "删除问题1" }).ClickAsync(); // Playwright dismisses dialogs unless told otherwise
        await Assertions.Expect(page.Locator("[data-testid=problems] tbody tr")).ToHaveCountAsync(1);
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "删除问题1" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("问题1已删除");
        await Assertions.Expect(page.Locator("[data-testid=problems] tbody tr")).ToHaveCountAsync(0);

        // A member entered by mistake leaves the team.
        await page.GetByRole(AriaRole.Button, new() { Name = "将王误录移出评价组" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("已将王误录移出评价组");
        await Assertions.Expect(page.Locator("[data-testid=team]")).Not.ToContainTextAsync("王误录");
        await Assertions.Expect(page.Locator("[data-testid=team]")).ToContainTextAsync("江惠平");

        // From the case page back to the evaluation page; the diagram's labels are all inside its box.
        await page.GotoAsync($"{browser.BaseUrl}/cases/{caseId}");
        var outside = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('svg.wf-diagram')].flatMap(svg => {
              const box = svg.viewBox.baseVal;
              return [...svg.querySelectorAll('text, path')].filter(el => {
                const b = el.getBBox();
                return b.y < box.y - 0.5 || b.y + b.height > box.y + box.height + 0.5;
              }).map(el => el.textContent || el.getAttribute('d'));
            })
            """);
        Assert.Empty(outside);
        await BrowserFixture.ScreenshotAsync(page, "evaluation-case-diagram");
        await page.GetByTestId("case-evaluation").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync($"{browser.BaseUrl}/evaluations/{id}");
    }
}
