using System.Net;
using System.Net.Http.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Workflows;
using BudgetEval.Web.Notifications;
using Microsoft.EntityFrameworkCore;
using static BudgetEval.Tests.Reminders.ReminderTestKit;

namespace BudgetEval.Tests.Reminders;

/// <summary>The reminder sweep against real PostgreSQL with the seeded 2026 holiday calendar and a movable clock.</summary>
public sealed class ReminderSweepTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_case_due_on_a_Monday_When_time_travels_day_by_day_Then_reminders_skip_holidays_and_count_tiaoxiu_weekend_days()
    {
        // Due Monday 2026-09-28. 中秋 is Fri 25 – Sun 27 September, 国庆 1–7 October; Sunday 20 September and
        // Saturday 10 October are 调休 working days.
        app.Clock.Set(AppFactory.DefaultNow);
        var (_, caseId) = await new CaseApi(app).CreateAsync(deadline: new DateOnly(2026, 9, 28));
        var item = await app.OpenItemAsync(caseId);
        Assert.Equal(Beijing(2026, 9, 17, 9), item.NextReminderAt);

        for (var day = new DateOnly(2026, 9, 1); day <= new DateOnly(2026, 10, 13); day = day.AddDays(1))
        {
            app.Clock.Set(Beijing(day.Year, day.Month, day.Day));
            await SweepAsync(app.Factory.Services);
        }

        var ledger = await app.LedgerAsync(item.Id);
        var unit = ledger.Where(l => l.User == "unit").Select(l => $"{l.Day:MM-dd} {l.Stage}").ToList();
        Assert.Equal(
        [
            "09-17 before-7", // 7 working days back: 24, 23, 22, 21, 20 (调休 Sunday), 18, 17
            "09-22 before-3",
            "09-24 before-1", // Friday 25th is 中秋
            "09-28 due",
            "09-29 overdue",
            "09-30 overdue",
            "10-08 overdue", // 1–7 October off
            "10-09 overdue",
            "10-10 overdue", // 调休 Saturday
            "10-12 overdue",
            "10-13 overdue",
        ], unit);
        Assert.Equal(["10-08 escalate-UnitHead"], ledger.Where(l => l.User == "unithead").Select(l => $"{l.Day:MM-dd} {l.Stage}"));
        Assert.Equal(["10-10 escalate-FinanceOfficer"], ledger.Where(l => l.User == "finance").Select(l => $"{l.Day:MM-dd} {l.Stage}"));
    }

    [Fact]
    public async Task Given_an_overdue_task_When_working_days_pass_Then_escalation_reaches_the_unit_head_and_then_the_officer_by_notice_and_mail()
    {
        app.Clock.Set(AppFactory.DefaultNow);
        var (_, caseId) = await new CaseApi(app).CreateAsync(deadline: new DateOnly(2026, 3, 10)); // a Tuesday
        var item = await app.OpenItemAsync(caseId);
        var link = $"/cases/{caseId}";

        // Overdue working days: 11 (1), 12 (2), 13 (3 → unit head), 16 (4), 17 (5 → officer).
        foreach (var (day, head, officer) in new[] { (12, 0, 0), (13, 1, 0), (16, 1, 0), (17, 1, 1) })
        {
            if (day == 16)
            {
                // 张晓燕 takes the task (签收): the officer's 督办 then names her.
                await app.DbAsync(db => db.WorkItems.Where(w => w.Id == item.Id)
                    .ExecuteUpdateAsync(w => w.SetProperty(x => x.ClaimedBy, db.Users.Single(u => u.UserName == "unit").Id)));
            }

            app.Clock.Set(Beijing(2026, 3, day));
            await SweepAsync(app.Factory.Services);
            Assert.Equal(head, await EscalationsAsync("unithead", link));
            Assert.Equal(officer, await EscalationsAsync("finance", link));
        }

        var mails = await app.DbAsync(db => db.Outbox.Where(m => m.Event == nameof(NotificationEvent.Escalation) && m.Html.Contains(link)).OrderBy(m => m.CreatedAt)
            .Select(m => new { m.ToAddress, m.Subject, m.Text }).ToListAsync());
        Assert.Equal(["unithead@demo.budgeteval.local", "finance@demo.budgeteval.local"], mails.Select(m => m.ToAddress));
        Assert.Contains("由长沙市望城区社会治理服务中心（单位填报人）办理", mails[0].Text, StringComparison.Ordinal); // whom to chase, not only the role
        Assert.Contains("由长沙市望城区社会治理服务中心（单位填报人：张晓燕）办理", mails[1].Text, StringComparison.Ordinal);
        Assert.Equal("【预算绩效】督办：2025年度部门整体支出绩效自评 已逾期3个工作日", mails[0].Subject);
        Assert.Equal("【预算绩效】督办：2025年度部门整体支出绩效自评 已逾期5个工作日", mails[1].Subject);
        Assert.Equal(2, (await app.LedgerAsync(item.Id)).Count(l => l.Stage.StartsWith("escalate-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Given_a_task_that_starts_far_past_its_deadline_When_the_sweep_runs_on_later_days_Then_each_escalation_goes_out_once_with_the_true_count()
    {
        // Due Thursday 2026-01-15; created on 2026-03-02, about 30 working days late: the thresholds (3 and 5) were
        // never swept, as with the demo's 2022 drafts or a deadline moved into the past.
        app.Clock.Set(AppFactory.DefaultNow);
        var (_, caseId) = await new CaseApi(app).CreateAsync(deadline: new DateOnly(2026, 1, 15));
        var item = await app.OpenItemAsync(caseId);
        var link = $"/cases/{caseId}";

        foreach (var day in new[] { 3, 4, 5, 6 })
        {
            app.Clock.Set(Beijing(2026, 3, day));
            await SweepAsync(app.Factory.Services);
            Assert.Equal(1, await EscalationsAsync("unithead", link));
            Assert.Equal(1, await EscalationsAsync("finance", link));
        }

        var ledger = await app.LedgerAsync(item.Id);
        // Recorded under the threshold days (3rd and 5th working day after the 15th), however late they went out.
        Assert.Equal(["01-20 escalate-UnitHead"], ledger.Where(l => l.User == "unithead").Select(l => $"{l.Day:MM-dd} {l.Stage}"));
        Assert.Equal(["01-22 escalate-FinanceOfficer"], ledger.Where(l => l.User == "finance").Select(l => $"{l.Day:MM-dd} {l.Stage}"));
        var subject = await app.DbAsync(db => db.Outbox.Where(m => m.Event == nameof(NotificationEvent.Escalation) && m.Html.Contains(link) && m.ToAddress == "finance@demo.budgeteval.local")
            .Select(m => m.Subject).SingleAsync());
        Assert.Matches("已逾期(2[5-9]|3[0-9])个工作日$", subject); // the count on the day it was sent, not the threshold's 5

        // The case page marks the open task overdue, as 待办 does; a case due later is not marked.
        using var browser = await app.SignInAsync("unit");
        Assert.Contains("data-testid=\"case-overdue\"", await browser.GetStringAsync(link), StringComparison.Ordinal);
        var (_, onTime) = await new CaseApi(app).CreateAsync(deadline: new DateOnly(2026, 12, 31));
        Assert.DoesNotContain("data-testid=\"case-overdue\"", await browser.GetStringAsync($"/cases/{onTime}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_due_reminders_When_the_sweep_runs_twice_and_on_two_instances_at_once_Then_each_reminder_is_given_once()
    {
        app.Clock.Set(AppFactory.DefaultNow);
        var api = new CaseApi(app);
        var cases = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            cases.Add((await api.CreateAsync(deadline: new DateOnly(2026, 3, 10))).CaseId);
        }

        // A second node: another host on the same database and clock.
        await using var second = new AppFactory(app.Database.ConnectionString, clock: app.Clock);
        _ = second.Server;

        app.Clock.Set(Beijing(2026, 3, 5)); // before-3 of a Tuesday-10 deadline
        await Task.WhenAll(
            Task.Run(() => SweepAsync(app.Factory.Services, batchSize: 2)),
            Task.Run(() => SweepAsync(second.Services, batchSize: 2)),
            Task.Run(() => SweepAsync(second.Services, batchSize: 3)));
        await SweepAsync(app.Factory.Services);

        // Even with the next reminder time pushed back (as after a crash between runs), the ledger refuses repeats.
        await app.DbAsync(db => db.WorkItems.Where(w => cases.Contains(w.InstanceId) && w.Status == BudgetEval.Web.Workflows.WorkItemStatus.Open)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.NextReminderAt, Beijing(2026, 3, 5, 9))));
        await SweepAsync(second.Services);

        foreach (var caseId in cases)
        {
            var item = await app.OpenItemAsync(caseId);
            Assert.Equal(["before-3"], (await app.LedgerAsync(item.Id)).Select(l => l.Stage));
            Assert.Equal(Beijing(2026, 3, 9, 9), item.NextReminderAt);
        }

        var links = cases.Select(c => $"/cases/{c}").ToList();
        Assert.Equal(12, await app.DbAsync(db => db.Notifications.CountAsync(n => n.Event == nameof(NotificationEvent.Reminder) && links.Contains(n.Link!))));
        // By mail each batch's reminders for 张晓燕 come as one 催办汇总: every case is in exactly one mail to her.
        var mails = await app.DbAsync(db => db.Outbox.Where(m => m.ToAddress == "unit@demo.budgeteval.local").Select(m => m.Html).ToListAsync());
        Assert.All(links, l => Assert.Single(mails, html => html.Contains(l, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Given_a_task_with_reminders_When_it_is_completed_Then_its_reminders_stop()
    {
        app.Clock.Set(AppFactory.DefaultNow);
        var (_, caseId) = await new CaseApi(app).CreateAsync(deadline: new DateOnly(2026, 3, 10));
        var draft = await app.OpenItemAsync(caseId);

        app.Clock.Set(Beijing(2026, 3, 5));
        await SweepAsync(app.Factory.Services);
        Assert.Single(await app.LedgerAsync(draft.Id));

        await new CaseApi(app).FireOkAsync("unit", caseId, "submit"); // fresh tokens at the new time
        for (var day = 6; day <= 20; day++)
        {
            app.Clock.Set(Beijing(2026, 3, day));
            await SweepAsync(app.Factory.Services);
        }

        Assert.Equal(["before-3"], (await app.LedgerAsync(draft.Id)).Select(l => l.Stage));

        // The next task (单位审核) has its own reminders, to the unit head.
        var review = await app.DbAsync(db => db.WorkItems.AsNoTracking().SingleAsync(w => w.InstanceId == caseId && w.State == "unit_review"));
        Assert.Contains(await app.LedgerAsync(review.Id), l => l.User == "unithead");
    }

    [Fact]
    public async Task Given_an_open_task_When_the_bureau_sends_a_cuiban_Then_the_assignee_is_notified_and_a_unit_user_may_not()
    {
        app.Clock.Set(AppFactory.DefaultNow);
        var (_, caseId) = await new CaseApi(app).CreateAsync();
        var finance = await app.ApiAsync("finance");
        var response = await finance.PostAsJsonAsync($"/api/cases/{caseId}/remind", new { message = "请于本周内提交自评材料。" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var notice = await app.DbAsync(db => db.Notifications.SingleAsync(n => n.Link == $"/cases/{caseId}" && n.Event == nameof(NotificationEvent.ManualReminder)));
        Assert.Equal("催办：2025年度部门整体支出绩效自评", notice.Title);
        Assert.Contains("请于本周内提交自评材料。", notice.Body, StringComparison.Ordinal);
        var item = await app.OpenItemAsync(caseId);
        Assert.Equal("unit", Assert.Single(await app.LedgerAsync(item.Id)).User);

        var unit = await app.ApiAsync("unit");
        Assert.Equal(HttpStatusCode.Forbidden, (await unit.PostAsJsonAsync($"/api/cases/{caseId}/remind", new { message = "x" })).StatusCode);
        var other = await app.ApiAsync("unit2");
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync($"/api/cases/{caseId}/remind", new { message = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await finance.PostAsJsonAsync($"/api/cases/{caseId}/remind", new { message = " " })).StatusCode);
    }

    private Task<int> EscalationsAsync(string userName, string link) =>
        app.DbAsync(db => db.Notifications.CountAsync(n => n.Event == nameof(NotificationEvent.Escalation) && n.Link == link
            && db.Users.IgnoreQueryFilters().Any(u => u.Id == n.RecipientUserId && u.UserName == userName)));
}
