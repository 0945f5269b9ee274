using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Plans;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace BudgetEval.Tests.Browser;

/// <summary>
/// What a usability walk-through found on the 自评表, the lists, 待办 and print, checked in headless Chromium at the
/// window sizes it was seen at (1366 px laptop, 390 px phone, A4 print).
/// </summary>
public sealed class UsabilityBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string ReturnComment = "请补充预算执行率偏低的原因，并核对第3行完成值。";

    private Task<Guid> CentreRecordAsync(EvaluationKind kind) => browser.DbAsync(async db =>
    {
        var centre = await db.Organisations.Where(o => o.Name == DemoSeeder.SocialGovernanceCentre).Select(o => o.Id).SingleAsync();
        return await db.SelfEvaluations.Where(s => s.OrganisationId == centre && s.PlanId != null && s.Kind == kind).Select(s => s.Id).FirstAsync();
    });

    private async Task<IPage> FormAsync(Guid id, int width = 1366)
    {
        var page = await browser.SignInAsync("unit");
        await page.SetViewportSizeAsync(width, 768);
        await page.GotoAsync($"{browser.BaseUrl}/self-evaluations/{id}/form");
        return page;
    }

    /// <summary>How many lines each element's text takes: the tops of its text boxes, a new line where they jump by more than 8 px.</summary>
    private static Task<int[]> LinesAsync(IPage page, string selector) => page.EvaluateAsync<int[]>("""
        s => [...document.querySelectorAll(s)].map(el => {
          const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), tops = [];
          for (let n = walk.nextNode(); n; n = walk.nextNode()) {
            if (!n.textContent.trim()) { continue; }
            const r = document.createRange(); r.selectNodeContents(n);
            for (const box of r.getClientRects()) { tops.push(box.top); }
          }
          tops.sort((a, b) => a - b);
          return tops.reduce((lines, top, i) => lines + (i > 0 && top - tops[i - 1] > 8 ? 1 : 0), tops.length ? 1 : 0);
        })
        """, selector);

    [Fact]
    public async Task Given_a_1366_px_window_When_the_indicator_table_is_shown_Then_scores_show_seven_characters_and_text_columns_are_readable()
    {
        var page = await FormAsync(await CentreRecordAsync(EvaluationKind.DepartmentWide));
        await page.Locator("input[name='Input.Rows[0].Score']").FillAsync("1412.70");
        await page.Locator("input[name='Input.Rows[0].Weight']").FillAsync("10.00");

        var m = await page.EvaluateAsync<JsonElement>("""
            (() => { const q = s => document.querySelector(s), fs = parseFloat(getComputedStyle(q('#indicator-table')).fontSize);
                     const score = q("input[name='Input.Rows[0].Score']"), weight = q("input[name='Input.Rows[0].Weight']");
                     return { scoreOverflow: score.scrollWidth - score.clientWidth, weightOverflow: weight.scrollWidth - weight.clientWidth,
                              level3: q("input[name='Input.Rows[0].Level3']").clientWidth / fs, content: q("textarea[name='Input.Rows[0].Content']").clientWidth / fs,
                              page: document.documentElement.scrollWidth - innerWidth }; })()
            """);
        await BrowserFixture.ScreenshotAsync(page, "usability-form-1366");

        Assert.True(m.GetProperty("scoreOverflow").GetDouble() <= 0, $"得分 hides {m.GetProperty("scoreOverflow")} px of 1412.70");
        Assert.True(m.GetProperty("weightOverflow").GetDouble() <= 0, $"分值 hides {m.GetProperty("weightOverflow")} px of 10.00");
        Assert.True(m.GetProperty("level3").GetDouble() >= 8.5, $"三级指标 shows {m.GetProperty("level3")} characters");
        Assert.True(m.GetProperty("content").GetDouble() >= 10, $"目标内容 shows {m.GetProperty("content")} characters a line");
        Assert.True(m.GetProperty("page").GetDouble() <= 0, "the page itself must not scroll sideways; the table scrolls in its card");
    }

    [Fact]
    public async Task Given_a_1366_px_window_When_lists_with_dates_are_shown_Then_no_date_breaks_over_two_lines()
    {
        foreach (var (user, path) in new[] { ("finance", "/self-evaluations"), ("finance", "/findings?FiscalYear=2021"), ("unit", "/inbox") })
        {
            var page = await browser.SignInAsync(user);
            await page.SetViewportSizeAsync(1366, 768);
            await page.GotoAsync(browser.BaseUrl + path);
            var lines = await LinesAsync(page, "td.date");
            Assert.NotEmpty(lines);
            Assert.All(lines, n => Assert.Equal(1, n));
        }
    }

    [Fact]
    public async Task Given_the_findings_list_When_printed_Then_the_bar_filters_and_buttons_are_left_out_and_the_unit_column_keeps_several_characters_a_line()
    {
        var page = await browser.SignInAsync("finance");
        await page.SetViewportSizeAsync(703, 1000); // A4 portrait's printable width
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await page.GotoAsync(browser.BaseUrl + "/findings?FiscalYear=2021");

        foreach (var hidden in new[] { ".topbar", "form.filters", "[data-testid=ledger-export]", ".footer" })
        {
            await Assertions.Expect(page.Locator(hidden).First).ToBeHiddenAsync();
        }

        var m = await page.EvaluateAsync<int[]>("""
            (() => { const t = document.querySelector('table.grid'), unit = t.querySelector('tbody td:nth-child(2)');
                     return [t.getBoundingClientRect().right, document.body.clientWidth, unit.clientWidth, parseFloat(getComputedStyle(unit).fontSize)].map(Math.round); })()
            """);
        Assert.True(m[0] <= m[1], $"the table ends at {m[0]} px on a {m[1]} px page");
        Assert.True(m[2] >= 3 * m[3], $"单位 is {m[2]} px wide, fewer than three characters a line");
    }

    [Fact]
    public async Task Given_a_1366_px_window_When_the_officer_opens_a_key_evaluation_case_Then_its_eight_state_diagram_fits_the_card_at_a_readable_size()
    {
        var caseId = await browser.DbAsync(db => db.WorkflowInstances.Where(i => i.DefinitionId == "external-evaluation").Select(i => i.Id).FirstAsync());
        var page = await browser.SignInAsync("finance");
        await page.SetViewportSizeAsync(1366, 768);
        await page.GotoAsync($"{browser.BaseUrl}/cases/{caseId}");

        var m = await page.EvaluateAsync<double[]>("""
            (() => { const c = document.querySelector('.wf-diagram-card'), svg = c.querySelector('svg');
                     return [c.scrollWidth, c.clientWidth, svg.getBoundingClientRect().width / svg.viewBox.baseVal.width, document.documentElement.scrollWidth, innerWidth]; })()
            """);
        await BrowserFixture.ScreenshotAsync(page, "usability-key-evaluation-diagram-1366");
        Assert.True(m[0] <= m[1], $"the diagram needs {m[0]} px in a {m[1]} px card: it scrolls on a desktop");
        Assert.InRange(m[2], 0.8, 1.0); // shrunk to fit, its 12 px labels no smaller than 9.6 px
        Assert.True(m[3] <= m[4], $"the case page is {m[3]} px wide on a {m[4]} px screen");
    }

    [Fact]
    public async Task Given_a_phone_When_the_inbox_and_a_case_are_opened_Then_the_task_title_has_the_screens_width_and_the_flow_diagram_scrolls_in_its_card()
    {
        var page = await browser.SignInAsync("unit");
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync(browser.BaseUrl + "/inbox");
        var m = await page.EvaluateAsync<int[]>("""
            (() => { const td = document.querySelector('[data-testid=inbox] tbody td');
                     return [td.getBoundingClientRect().width, document.documentElement.scrollWidth, innerWidth].map(Math.round); })()
            """);
        await BrowserFixture.ScreenshotAsync(page, "usability-inbox-390");
        Assert.True(m[0] >= 300, $"事项 is {m[0]} px wide on a {m[2]} px screen");
        Assert.True(m[1] <= m[2], $"the inbox is {m[1]} px wide on a {m[2]} px screen");

        await page.Locator("[data-testid=inbox] tbody td a").First.ClickAsync();
        await Assertions.Expect(page.Locator(".wf-diagram-card svg")).ToBeVisibleAsync();
        var d = await page.EvaluateAsync<int[]>("""
            (() => { const c = document.querySelector('.wf-diagram-card');
                     return [c.scrollWidth, c.clientWidth, getComputedStyle(c).overflowX === 'auto' ? 1 : 0, document.documentElement.scrollWidth, innerWidth]; })()
            """);
        Assert.True(d[0] > d[1] && d[2] == 1, "the diagram is wider than the phone and scrolls inside its card");
        Assert.True(d[3] <= d[4], $"the case page is {d[3]} px wide on a {d[4]} px screen");
        var seen = await page.EvaluateAsync<bool>("""
            (() => { const c = document.querySelector('.wf-diagram-card').getBoundingClientRect(), s = document.querySelector('.wf-diagram-card .wf-state.current').getBoundingClientRect();
                     return s.left >= c.left - 1 && s.right <= c.right + 1; })()
            """);
        Assert.True(seen, "the current state is scrolled into view inside the diagram's card");
    }

    [Fact]
    public async Task Given_a_score_and_an_amount_that_are_not_numbers_When_saved_Then_both_inputs_are_marked_the_row_is_named_by_its_number_and_the_first_has_focus()
    {
        var page = await FormAsync(await CentreRecordAsync(EvaluationKind.DepartmentWide));
        await page.Locator("#funds-budget").FillAsync("1412.7x");
        await page.Locator("input[name='Input.Rows[1].Weight']").FillAsync("两分");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();

        var alert = page.Locator("#form-errors");
        await Assertions.Expect(alert).ToContainTextAsync("全年预算数");
        await Assertions.Expect(alert).ToContainTextAsync("第2行指标");
        await Assertions.Expect(alert).ToContainTextAsync("“两分”不是数字");
        foreach (var field in new[] { page.Locator("#funds-budget"), page.Locator("input[name='Input.Rows[1].Weight']") })
        {
            await Assertions.Expect(field).ToHaveAttributeAsync("aria-invalid", "true");
            await Assertions.Expect(field).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\binvalid\b"));
        }

        await Assertions.Expect(page.Locator("input[name='Input.Rows[0].Weight']")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("#funds-budget")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#funds-budget")).ToHaveValueAsync("1412.7x"); // what was typed, not what is stored
        await BrowserFixture.ScreenshotAsync(page, "usability-form-errors");
    }

    [Fact]
    public async Task Given_an_edited_form_When_the_user_follows_a_link_away_Then_the_browser_asks_first_and_saving_does_not()
    {
        var page = await FormAsync(await CentreRecordAsync(EvaluationKind.DepartmentWide));
        var formUrl = page.Url;
        string? asked = null;
        page.Dialog += async (_, dialog) =>
        {
            asked = dialog.Type;
            await dialog.DismissAsync(); // stay on the page
        };

        await page.GetByLabel("其他").FillAsync("离开前未保存的修改。");
        await page.GetByRole(AriaRole.Link, new() { Name = "事项与提交" }).ClickAsync();
        await Eventually.ReadAsync(() => Task.FromResult(asked), a => a is not null);
        Assert.Equal("beforeunload", asked);
        Assert.Equal(formUrl, page.Url);
        await Assertions.Expect(page.GetByLabel("其他")).ToHaveValueAsync("离开前未保存的修改。");

        asked = null;
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToHaveTextAsync("自评表已保存。");
        await page.GetByRole(AriaRole.Link, new() { Name = "事项与提交" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/cases/"));
        Assert.Null(asked);
    }

    [Fact]
    public async Task Given_open_earlier_findings_without_statements_When_the_form_is_opened_and_one_statement_is_saved_Then_a_notice_links_to_them_and_a_partial_save_succeeds()
    {
        var id = await CentreRecordAsync(EvaluationKind.Project); // the centre's project: the same seven open 2021 findings
        var page = await FormAsync(id);
        var notice = page.GetByTestId("follow-up-missing");
        await Assertions.Expect(notice).ToContainTextAsync("尚有 7 项");
        await Assertions.Expect(page.Locator("#warnings")).ToContainTextAsync("7 项未填写整改情况说明");

        await notice.GetByRole(AriaRole.Link).ClickAsync();
        var boxes = page.Locator("[data-testid=follow-up] textarea.needs-statement");
        await Assertions.Expect(boxes).ToHaveCountAsync(7);
        await Assertions.Expect(page.Locator("[data-testid=follow-up] textarea[required]")).ToHaveCountAsync(0);
        // A box offered the statement of the centre's other self-evaluation (带入, when a test before filled that one) is
        // emptied, so this save stays partial: what a box shows on saving is what is saved.
        var carried = page.Locator("[data-testid=follow-up] tr:has([data-testid=statement-carried]) textarea");
        for (var i = await carried.CountAsync() - 1; i >= 0; i--)
        {
            await carried.Nth(i).FillAsync(string.Empty);
        }

        var first = page.GetByLabel(await boxes.First.GetAttributeAsync("aria-label") ?? string.Empty, new() { Exact = true });
        await first.FillAsync("已制定整改方案，正在落实。");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存整改情况说明" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToHaveTextAsync("整改情况说明已保存。");
        await Assertions.Expect(first).ToHaveValueAsync("已制定整改方案，正在落实。");
        await Assertions.Expect(boxes).ToHaveCountAsync(6); // a box once filled is no longer marked as still to fill

        await page.GotoAsync($"{browser.BaseUrl}/self-evaluations/{id}/form");
        await Assertions.Expect(page.GetByTestId("follow-up-missing")).ToContainTextAsync("尚有 6 项");
    }

    [Fact]
    public async Task Given_a_late_submission_returned_by_the_bureau_When_the_unit_opens_the_form_and_finance_the_list_Then_the_form_shows_the_return_and_its_due_date_and_the_list_tells_overdue_from_late()
    {
        var id = await CentreRecordAsync(EvaluationKind.DepartmentWide);
        var caseId = await browser.DbAsync(db => db.SelfEvaluations.Where(s => s.Id == id).Select(s => s.CaseId!.Value).SingleAsync());
        var unit = await browser.ApiAsync("unit");
        var items = await unit.GetFromJsonAsync<JsonElement>($"/api/self-evaluations/{id}/follow-up");
        var statements = items.EnumerateArray().ToDictionary(i => i.GetProperty("findingId").GetGuid(), _ => (string?)"已制定整改方案，正在落实。");
        var stamps = Rectifications.RectificationApi.FollowUpStamps(items);
        Assert.Equal(HttpStatusCode.NoContent, (await unit.PutAsJsonAsync($"/api/self-evaluations/{id}/follow-up", new { statements, stamps })).StatusCode);
        foreach (var (user, action, comment) in new[] { ("unit", "submit", (string?)null), ("unithead", "approve", null), ("finance", "return", ReturnComment) })
        {
            var client = await browser.ApiAsync(user);
            var version = (await client.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}")).GetProperty("version").GetInt32();
            var fired = await client.PostAsJsonAsync($"/api/cases/{caseId}/actions/{action}", new { comment, expectedVersion = version });
            Assert.True(fired.IsSuccessStatusCode, $"{user} {action}: {await fired.Content.ReadAsStringAsync()}");
        }

        var due = await browser.DbAsync(db => db.WorkItems.Where(w => w.InstanceId == caseId && w.Status == BudgetEval.Web.Workflows.WorkItemStatus.Open)
            .Select(w => w.DueAt!.Value).SingleAsync());
        var dueDay = TimeZoneInfo.ConvertTime(due.AddSeconds(-1), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));

        var page = await FormAsync(id);
        await Assertions.Expect(page.GetByTestId("form-state")).ToContainTextAsync("退回修改");
        var returned = page.GetByTestId("returned-notice");
        await Assertions.Expect(returned).ToContainTextAsync("李敏");
        await Assertions.Expect(returned).ToContainTextAsync(ReturnComment);
        await Assertions.Expect(page.GetByTestId("task-due")).ToContainTextAsync($"{dueDay.Year}年{dueDay.Month}月{dueDay.Day}日");
        await Assertions.Expect(page.Locator("p.muted").First).ToContainTextAsync("截止 2023年2月28日");
        await BrowserFixture.ScreenshotAsync(page, "usability-form-returned");

        var finance = await browser.SignInAsync("finance");
        await finance.GotoAsync(browser.BaseUrl + "/self-evaluations?year=2022");
        var rows = finance.Locator("[data-testid=self-evaluations] tbody tr");
        var late = rows.Filter(new() { Has = finance.Locator($"a[href='/self-evaluations/{id}/form']") });
        await Assertions.Expect(late.GetByTestId("late-submission")).ToHaveTextAsync("逾期提交");
        await Assertions.Expect(late.GetByTestId("overdue")).ToHaveCountAsync(0); // its 退回修改 task is not yet due
        var drafts = rows.Filter(new() { HasText = "草稿" });
        Assert.True(await drafts.CountAsync() > 0);
        await Assertions.Expect(drafts.GetByTestId("overdue")).ToHaveCountAsync(await drafts.CountAsync()); // past 2023年2月28日
        await Assertions.Expect(drafts.GetByTestId("late-submission")).ToHaveCountAsync(0);
    }
}
