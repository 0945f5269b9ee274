using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Admin;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Audit;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Oversight;

/// <summary>
/// 逾期督办: the bureau sees every late task of the district (not only its own 待办), who holds it, how many working days it
/// is late by the holiday calendar, and the last reminder; it filters, exports, and nobody else can read it.
/// </summary>
public sealed partial class OversightTests(AppFixture app) : IClassFixture<AppFixture>
{
    /// <summary>2026-02-24 in Beijing: (24 Feb, 2 Mar] has 25, 26, 27 Feb, the make-up Saturday 28 Feb and Monday 2 Mar.</summary>
    private static readonly DateTimeOffset DueEndOf24Feb = new(2026, 2, 24, 16, 0, 0, TimeSpan.Zero);

    private async Task<(Guid CaseId, Guid ItemId)> LateCentreDraftAsync()
    {
        var centre = await app.SocialGovernanceCentreAsync();
        return await app.DbAsync(async db =>
        {
            var item = await db.WorkItems.Where(w => w.Status == WorkItemStatus.Open && w.CaseOrganisationId == centre && w.AssigneeRole == "UnitFiller")
                .OrderBy(w => w.Title).FirstAsync();
            item.DueAt = DueEndOf24Feb;
            await db.SaveChangesAsync();
            return (item.InstanceId, item.Id);
        });
    }

    [Fact]
    public async Task Given_a_units_late_draft_When_the_officer_opens_oversight_Then_it_is_listed_with_holder_due_day_working_days_late_and_the_last_reminder()
    {
        var (caseId, _) = await LateCentreDraftAsync();
        var api = await app.ApiAsync("finance");
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync($"/api/cases/{caseId}/remind", new { message = "请尽快提交。" })).StatusCode);

        using var finance = await app.SignInAsync("finance");
        var page = WebUtility.HtmlDecode(await finance.GetStringAsync("/oversight?waitingOn=Unit"));
        var row = Row(page, caseId);
        Assert.Contains("长沙市望城区社会治理服务中心（单位填报人）", row, StringComparison.Ordinal);
        Assert.Contains("2026年2月24日", row, StringComparison.Ordinal);
        Assert.Contains("5 个工作日", row, StringComparison.Ordinal);
        Assert.Contains("2026年3月2日 催办", row, StringComparison.Ordinal);
        Assert.Contains("自评审核", row, StringComparison.Ordinal);

        // The tiles count the whole district by whose turn it is, as the database has it.
        var now = app.Clock.GetUtcNow();
        var byRole = await app.DbAsync(db => db.WorkItems.Where(w => w.Status == WorkItemStatus.Open && w.DueAt < now)
            .GroupBy(w => w.AssigneeRole).Select(g => new { g.Key, Count = g.Count() }).ToListAsync());
        int Count(params string[] roles) => byRole.Where(r => roles.Contains(r.Key)).Sum(r => r.Count);
        Assert.Equal(Count("UnitFiller", "UnitHead"), Tiles.Value(page, "overdue-units"));
        Assert.Equal(Count("Evaluator"), Tiles.Value(page, "overdue-firms"));
        Assert.Equal(Count("FinanceOfficer", "FinanceLead", "Admin"), Tiles.Value(page, "overdue-bureau"));
        Assert.Equal(byRole.Sum(r => r.Count), Tiles.Value(page, "overdue-all"));
        Assert.Contains($"符合条件的逾期待办共 {Count("UnitFiller", "UnitHead")} 项", page, StringComparison.Ordinal);

        // Filters: whose turn, the unit's name, the flow; a filter that matches nothing says so; a wrong flow is named.
        Assert.DoesNotContain($"/cases/{caseId}", await finance.GetStringAsync("/oversight?waitingOn=Firm"), StringComparison.Ordinal);
        Assert.Contains($"/cases/{caseId}", await finance.GetStringAsync("/oversight?unit=" + Uri.EscapeDataString("社会治理") + "&flow=self-evaluation-review"), StringComparison.Ordinal);
        Assert.DoesNotContain($"/cases/{caseId}", await finance.GetStringAsync("/oversight?flow=rectification"), StringComparison.Ordinal);
        Assert.Contains("没有符合条件的逾期事项。", await finance.GetStringAsync("/oversight?unit=" + Uri.EscapeDataString("没有这个单位")), StringComparison.Ordinal);
        Assert.Contains("流程「nope」不存在", WebUtility.HtmlDecode(await finance.GetStringAsync("/oversight?flow=nope")), StringComparison.Ordinal);

        // The 待办 of the officer and the officer's 使用说明 link here.
        Assert.Contains("href=\"/oversight\"", await finance.GetStringAsync("/inbox"), StringComparison.Ordinal);
        Assert.Contains("href=\"/oversight\"", await finance.GetStringAsync("/help"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_late_tasks_When_read_over_the_api_or_exported_Then_the_same_facts_come_back_and_the_export_is_audited()
    {
        var (caseId, _) = await LateCentreDraftAsync();
        var api = await app.ApiAsync("finance");
        var response = await api.GetAsync("/api/oversight/overdue?waitingOn=Unit&pageSize=1000");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("false", response.Headers.GetValues("X-Has-Next").Single());
        var items = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToList();
        var item = Assert.Single(items, i => i.GetProperty("caseId").GetGuid() == caseId);
        Assert.Equal("Unit", item.GetProperty("waitingOn").GetString());
        Assert.Equal(5, item.GetProperty("overdueWorkingDays").GetInt32());
        Assert.Equal("2026-02-24", item.GetProperty("dueDay").GetString());
        Assert.All(items, i => Assert.Equal("Unit", i.GetProperty("waitingOn").GetString()));

        // Longest overdue first.
        var days = items.Select(i => i.GetProperty("dueDay").GetString()!).ToList();
        Assert.Equal(days.Order(StringComparer.Ordinal), days);

        // Every wrong parameter at once, named.
        var bad = await api.GetAsync("/api/oversight/overdue?waitingOn=Someone&pageSize=0");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadAsStringAsync();
        Assert.Contains("办理方「Someone」无效", problem, StringComparison.Ordinal);
        Assert.Contains("pageSize", problem, StringComparison.Ordinal);

        // Not the units' or the firms' to read: 404 like every refused read.
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.ApiAsync("unit")).GetAsync("/api/oversight/overdue")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.ApiAsync("evaluator")).GetAsync("/api/oversight/overdue")).StatusCode);
        using var unit = await app.SignInAsync("unit");
        Assert.Equal(HttpStatusCode.NotFound, (await unit.GetAsync("/oversight")).StatusCode);
        Assert.DoesNotContain("全区逾期待办", await unit.GetStringAsync("/"), StringComparison.Ordinal);

        // The export has the page's columns and rows, and is in the audit log.
        using var finance = await app.SignInAsync("finance");
        var before = await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Action == AuditActions.Export && a.Target == "逾期督办清单"));
        var file = await finance.GetAsync("/oversight?handler=Export&waitingOn=Unit");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("逾期督办清单（2026年3月2日）.xlsx", file.Content.Headers.ContentDisposition!.FileNameStar);
        var sheet = XlsxText.FirstSheet(await file.Content.ReadAsByteArrayAsync());
        Assert.Equal(["事项", "单位", "流程", "环节", "办理方", "办理人", "办理期限", "逾期（工作日）", "最近提醒"], sheet[0]);
        Assert.Equal(items.Count, sheet.Count - 1);
        var line = Assert.Single(sheet, r => r[0] == item.GetProperty("title").GetString());
        Assert.Equal(["预算单位", "长沙市望城区社会治理服务中心（单位填报人）", "2026年2月24日", "5"], line[4..8]);
        Assert.Equal(before + 1, await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Action == AuditActions.Export && a.Target == "逾期督办清单")));
    }

    [Fact]
    public async Task Given_the_bureau_home_When_opened_Then_the_district_late_tasks_are_counted_by_whose_turn_and_link_to_oversight()
    {
        await LateCentreDraftAsync();
        using var lead = await app.SignInAsync("financelead");
        var home = await lead.GetStringAsync("/");
        Assert.Contains("全区逾期待办", home, StringComparison.Ordinal);
        Assert.Contains("href=\"/oversight?waitingOn=Unit\" data-count=\"overdue-units\"", home, StringComparison.Ordinal);
        Assert.True(Tiles.Value(home, "overdue-units") >= 1);
    }

    [Fact]
    public async Task Given_two_late_tasks_of_one_unit_When_ticked_and_reminded_together_Then_the_holder_gets_one_summary_mail_and_each_case_its_notice_and_ledger_line()
    {
        var centre = await app.SocialGovernanceCentreAsync();
        var items = await app.DbAsync(async db =>
        {
            var open = await db.WorkItems.Where(w => w.Status == WorkItemStatus.Open && w.CaseOrganisationId == centre && w.AssigneeRole == "UnitFiller")
                .OrderBy(w => w.Title).Take(2).ToListAsync();
            open.ForEach(w => w.DueAt = DueEndOf24Feb);
            await db.SaveChangesAsync();
            return open.Select(w => (w.Id, w.Title)).ToList();
        });
        Assert.Equal(2, items.Count);
        var filler = await app.DbAsync(db => db.Users.Where(u => u.UserName == "unit").Select(u => u.Id).SingleAsync());
        var ids = items.Select(i => i.Id).ToList();
        int Ledger(BudgetEval.Web.Infrastructure.Data.AppDbContext db) => db.ReminderLedger.Count(r => ids.Contains(r.WorkItemId) && r.Stage.StartsWith("manual-") && r.Message == "请本周内办结。");

        using var finance = await app.SignInAsync("finance");
        const string page = "/oversight?waitingOn=Unit";
        var ticked = ids.Select(id => new KeyValuePair<string, string>("items", id.ToString())).ToList();

        // No message: refused, nothing sent, the ticks kept.
        var refused = await finance.PostFormAsync(page, [.. ticked, new("message", "")], "/oversight?handler=Remind&waitingOn=Unit");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("请填写催办说明。", html, StringComparison.Ordinal);
        Assert.Matches($"value=\"{ids[0]}\"[^>]*checked", html);
        Assert.Equal(0, await app.DbAsync(db => Task.FromResult(Ledger(db))));

        // Two ticked and one that is gone: two reminded, one skipped and said so.
        var outboxBefore = (await app.DbAsync(db => db.Outbox.Where(m => m.RecipientUserId == filler).Select(m => m.Id).ToListAsync())).ToHashSet();
        var sent = await finance.PostFormAsync(page, [.. ticked, new("items", Guid.NewGuid().ToString()), new("message", "请本周内办结。")], "/oversight?handler=Remind&waitingOn=Unit");
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal("/oversight?waitingOn=Unit", sent.Headers.Location!.OriginalString);
        var after = WebUtility.HtmlDecode(await finance.GetStringAsync(sent.Headers.Location.OriginalString));
        Assert.Matches("已催办 2 项逾期待办（\\d+ 人）；1 项已办理或没有可催办的人员，未催办。", after);

        Assert.Equal(2, await app.DbAsync(db => Task.FromResult(db.ReminderLedger.Where(r => ids.Contains(r.WorkItemId) && r.Message == "请本周内办结。" && r.RecipientUserId == filler).Count())));
        var notices = await app.DbAsync(db => db.Notifications.Where(n => n.RecipientUserId == filler && n.Event == "ManualReminder" && n.Body.Contains("请本周内办结。")).CountAsync());
        Assert.Equal(2, notices);
        var mails = (await app.DbAsync(db => db.Outbox.Where(m => m.RecipientUserId == filler).ToListAsync())).Where(m => !outboxBefore.Contains(m.Id)).ToList();
        var mail = Assert.Single(mails);
        Assert.Equal("ReminderSummary", mail.Event);
        Assert.All(items, i => Assert.Contains(i.Title, mail.Text, StringComparison.Ordinal));
        Assert.Contains("请本周内办结。", mail.Text, StringComparison.Ordinal);

        // Not the unit's to send.
        using var unit = await app.SignInAsync("unit");
        var denied = await unit.PostAsync("/oversight?handler=Remind", new FormUrlEncodedContent([.. ticked, new("message", "x")]));
        Assert.NotEqual(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Equal(2, await app.DbAsync(db => Task.FromResult(db.ReminderLedger.Where(r => ids.Contains(r.WorkItemId) && r.Message == "请本周内办结。").Select(r => r.Stage).Distinct().Count())));
    }

    [Fact]
    public async Task Given_late_tasks_When_the_officer_opens_a_page_past_the_end_or_a_filter_matching_nothing_Then_the_page_does_not_claim_the_district_has_none_and_leads_back()
    {
        var (caseId, _) = await LateCentreDraftAsync();
        using var finance = await app.SignInAsync("finance");

        // Page 99 of the units' late tasks (an old link, or tasks done since): not "全区暂无逾期待办" while the tiles count them.
        var past = WebUtility.HtmlDecode(await finance.GetStringAsync("/oversight?waitingOn=Unit&p=99"));
        var units = Tiles.Value(past, "overdue-units");
        Assert.True(units > 0);
        Assert.DoesNotContain("全区暂无逾期待办", past, StringComparison.Ordinal);
        Assert.Contains($"第 99 页没有事项：符合条件的逾期待办共 {units} 项", past, StringComparison.Ordinal);
        var first = FirstPageLink().Match(past).Groups[1].Value;
        Assert.Equal("/oversight?waitingOn=Unit&p=1", first);
        Assert.Contains($"/cases/{caseId}", await finance.GetStringAsync(first), StringComparison.Ordinal);

        // Exporting a filter that matches nothing says so instead of handing out an empty workbook.
        var empty = await finance.GetAsync("/oversight?handler=Export&unit=" + Uri.EscapeDataString("没有这个单位"));
        Assert.Equal("text/html", empty.Content.Headers.ContentType!.MediaType);
        Assert.Contains("没有符合条件的逾期事项，无须导出。", WebUtility.HtmlDecode(await empty.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        // A filter that matches nothing offers the whole district's list.
        var none = WebUtility.HtmlDecode(await finance.GetStringAsync("/oversight?unit=" + Uri.EscapeDataString("没有这个单位")));
        Assert.Contains("没有符合条件的逾期事项。", none, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/oversight\" data-testid=\"clear-filters\">查看全区 {Tiles.Value(none, "overdue-all")} 项逾期待办</a>", none, StringComparison.Ordinal);
    }

    [GeneratedRegex("<a href=\"([^\"]+)\" data-testid=\"first-page\">")]
    private static partial Regex FirstPageLink();

    private static string Row(string page, Guid caseId)
    {
        var m = Regex.Match(page, $"<tr>(?:(?!</tr>).)*?<td data-label=\"事项\"><a href=\"/cases/{caseId}\">.*?</tr>", RegexOptions.Singleline);
        Assert.True(m.Success, "the case is listed");
        return Regex.Replace(m.Value, "<[^>]+>", " ");
    }
}
