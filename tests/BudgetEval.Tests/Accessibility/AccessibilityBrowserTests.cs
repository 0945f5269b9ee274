using System.Text.Json;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Plans;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace BudgetEval.Tests.Accessibility;

/// <summary>
/// What an accessibility check (GB/T 37668, WCAG 2.x AA) found on the 自评表 and the layout, checked in headless
/// Chromium with the keyboard: named grid fields, focus and announcements after row tools, the skip link, and a
/// focus ring on invalid fields.
/// </summary>
public sealed partial class AccessibilityBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private async Task<IPage> CentreFormAsync()
    {
        var id = await browser.DbAsync(async db =>
        {
            var centre = await db.Organisations.Where(o => o.Name == DemoSeeder.SocialGovernanceCentre).Select(o => o.Id).SingleAsync();
            return await db.SelfEvaluations.Where(s => s.OrganisationId == centre && s.PlanId != null && s.Kind == EvaluationKind.DepartmentWide).Select(s => s.Id).FirstAsync();
        });
        var page = await browser.SignInAsync("unit");
        await page.SetViewportSizeAsync(1366, 768);
        await page.GotoAsync($"{browser.BaseUrl}/self-evaluations/{id}/form");
        await Assertions.Expect(page.Locator("#add-row")).ToBeVisibleAsync(); // the script has run
        return page;
    }

    [Fact]
    public async Task Given_the_indicator_grid_When_read_by_a_screen_reader_Then_every_field_has_a_unique_name_with_its_row_number()
    {
        var page = await CentreFormAsync();

        var fields = await page.EvaluateAsync<JsonElement>("""
            [...document.querySelectorAll('#indicator-table tbody tr.indicator-row')].flatMap((row, i) =>
              [...row.querySelectorAll('input, textarea')].map(el => ({ row: i + 1, name: el.getAttribute('aria-label') || '', shown: row.querySelector('th.row-no')?.textContent.trim() })))
            """);
        var list = fields.EnumerateArray().ToList();
        Assert.True(list.Count >= 10 * 10, $"only {list.Count} grid fields");
        foreach (var f in list)
        {
            var row = f.GetProperty("row").GetInt32();
            Assert.StartsWith($"第{row}行", f.GetProperty("name").GetString(), StringComparison.Ordinal);
            Assert.Equal(row.ToString(System.Globalization.CultureInfo.InvariantCulture), f.GetProperty("shown").GetString()); // the number is on screen too
        }

        var names = list.Select(f => f.GetProperty("name").GetString()).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        // The indicator is in the name (the first row's 三级指标 is known text), and the row tools say which row they move.
        var level3 = await page.Locator("input[name='Input.Rows[0].Level3']").InputValueAsync();
        Assert.False(string.IsNullOrWhiteSpace(level3));
        await Assertions.Expect(page.GetByRole(AriaRole.Textbox, new() { Name = $"第1行（{level3.Trim()}）得分", Exact = true })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "上移第3行", Exact = true })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "删除第3行", Exact = true })).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Given_the_indicator_grid_When_a_row_is_moved_deleted_or_added_with_the_keyboard_Then_focus_stays_in_the_grid_and_the_change_is_announced()
    {
        var page = await CentreFormAsync();
        var status = page.GetByTestId("grid-status");
        var third = await page.Locator("input[name='Input.Rows[2].Level3']").InputValueAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "上移第3行", Exact = true }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(status).ToHaveTextAsync("已上移第3行，现为第2行");
        var focused = await page.EvaluateAsync<JsonElement>("""
            (() => { const b = document.activeElement, row = b.closest('tr.indicator-row');
                     return { label: b.getAttribute('aria-label') || '', level3: row ? row.querySelector("input[name$='.Level3']").value : null,
                              name: row ? row.querySelector("input[name$='.Level3']").name : null }; })()
            """);
        Assert.Equal("上移第2行", focused.GetProperty("label").GetString()); // the moved row's own button, renamed
        Assert.Equal(third, focused.GetProperty("level3").GetString());
        Assert.Equal("Input.Rows[1].Level3", focused.GetProperty("name").GetString());
        Assert.StartsWith("第2行", await page.Locator("input[name='Input.Rows[1].Score']").GetAttributeAsync("aria-label"), StringComparison.Ordinal);

        await page.Keyboard.PressAsync("Tab"); // 下移第2行
        await page.Keyboard.PressAsync("Tab"); // 删除第2行
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(status).ToHaveTextAsync("已删除第2行");
        Assert.Equal("删除第2行", await page.EvaluateAsync<string>("document.activeElement.getAttribute('aria-label')")); // the next row's, now row 2

        var rows = await page.Locator("tr.indicator-row").CountAsync();
        await page.Locator("#add-row").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(status).ToHaveTextAsync($"已增加第{rows + 1}行");
        Assert.Equal($"第{rows + 1}行一级指标", await page.EvaluateAsync<string>("document.activeElement.getAttribute('aria-label')"));
    }

    [Fact]
    public async Task Given_a_page_When_tab_is_pressed_first_Then_the_skip_link_shows_and_takes_the_focus_to_the_main_content()
    {
        var page = await CentreFormAsync();
        await page.EvaluateAsync("document.activeElement && document.activeElement.blur()");

        await page.Keyboard.PressAsync("Tab");
        var link = page.Locator(":focus");
        await Assertions.Expect(link).ToHaveTextAsync("跳到主要内容");
        var box = await link.BoundingBoxAsync();
        Assert.True(box is { Y: >= 0, Height: > 10 }, "the skip link is on screen when focused");

        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await page.EvaluateAsync<string>("document.activeElement.id"));
    }

    [Fact]
    public async Task Given_an_invalid_score_When_it_is_focused_Then_a_visible_focus_ring_is_drawn()
    {
        var page = await CentreFormAsync();
        var score = page.Locator("input[name='Input.Rows[0].Score']");
        await score.FillAsync("999"); // above its 分值: marked invalid while typing
        await Assertions.Expect(score).ToHaveClassAsync(InvalidClass());
        await page.Keyboard.PressAsync("Shift+Tab");
        await page.Keyboard.PressAsync("Tab");

        var style = await score.EvaluateAsync<JsonElement>("el => { const s = getComputedStyle(el); return { focused: document.activeElement === el, width: s.outlineWidth, style: s.outlineStyle, color: s.outlineColor }; }");
        Assert.True(style.GetProperty("focused").GetBoolean());
        Assert.Equal("2px", style.GetProperty("width").GetString());
        Assert.Equal("solid", style.GetProperty("style").GetString());
        Assert.Equal("rgb(29, 41, 57)", style.GetProperty("color").GetString()); // dark, not the 1 px red of the invalid mark
    }

    [GeneratedRegex(@"\binvalid\b")]
    private static partial Regex InvalidClass();
}
