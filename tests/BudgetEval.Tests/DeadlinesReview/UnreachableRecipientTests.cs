using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Workflows;
using BudgetEval.Web.Notifications;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static BudgetEval.Tests.Reminders.ReminderTestKit;

namespace BudgetEval.Tests.DeadlinesReview;

/// <summary>
/// Reminders and notices reach people who can act: not an account an administrator has locked (someone who left the
/// unit), and when nobody at all can be reached the bureau's 督办 says so.
/// </summary>
public sealed class UnreachableRecipientTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_locked_filler_who_had_claimed_the_draft_When_reminders_and_notices_go_out_Then_the_active_filler_gets_them_and_the_locked_one_nothing()
    {
        app.Clock.Set(AppFactory.DefaultNow);
        var left = await LockedFillerAsync("left_filler", "孙离职");
        var (_, caseId) = await new CaseApi(app).CreateAsync(deadline: new DateOnly(2026, 3, 10)); // a Tuesday
        var item = await app.OpenItemAsync(caseId);

        // 孙离职 took the task (签收) before leaving; the administrator then locked the account.
        await app.DbAsync(db => db.WorkItems.Where(w => w.Id == item.Id).ExecuteUpdateAsync(w => w.SetProperty(x => x.ClaimedBy, left)));
        app.Clock.Set(Beijing(2026, 3, 9)); // before-1
        await SweepAsync(app.Factory.Services);
        Assert.Equal(["unit"], (await app.LedgerAsync(item.Id)).Where(l => l.Stage == "before-1").Select(l => l.User));

        // A step that tells the whole unit (提交 → 单位审核) tells the unit head, not the locked colleague.
        await app.DbAsync(db => db.WorkItems.Where(w => w.Id == item.Id).ExecuteUpdateAsync(w => w.SetProperty(x => x.ClaimedBy, (Guid?)null)));
        await new CaseApi(app).FireOkAsync("unit", caseId, "submit"); // fresh tokens at the new time
        var link = $"/cases/{caseId}";
        Assert.Equal(1, await app.DbAsync(db => db.Notifications.CountAsync(n => n.Link == link
            && db.Users.Any(u => u.Id == n.RecipientUserId && u.UserName == "unithead"))));
        Assert.Equal(0, await app.DbAsync(db => db.Notifications.CountAsync(n => n.RecipientUserId == left)));
        Assert.Equal(0, await app.DbAsync(db => db.Outbox.CountAsync(m => m.RecipientUserId == left)));
    }

    [Fact]
    public async Task Given_an_overdue_draft_of_a_unit_without_accounts_When_it_escalates_Then_the_officers_duban_says_nobody_was_reminded()
    {
        // The demo's 2022 drafts are long overdue; 区农业农村局 has no user, the centre has 张晓燕.
        app.Clock.Set(Beijing(2026, 3, 3));
        await SweepAsync(app.Factory.Services);

        // The officer's 督办 of the sweep come as one 督办汇总 (one line per case), each line naming whom to chase.
        var mails = await app.DbAsync(db => db.Outbox
            .Where(m => m.ToAddress == "finance@demo.budgeteval.local")
            .Select(m => new { m.Event, m.Subject, m.Text }).ToListAsync());
        var nobody = Assert.Single(mails, m => m.Text.Contains("「2022年度长沙市望城区农业农村局部门整体支出绩效自评」", StringComparison.Ordinal));
        Assert.Contains("「2022年度长沙市望城区农业农村局部门整体支出绩效自评」（草稿）由长沙市望城区农业农村局（单位填报人；暂无可接收提醒的单位填报人账号）办理", nobody.Text, StringComparison.Ordinal);
        var reached = Assert.Single(mails, m => m.Text.Contains("「2022年度长沙市望城区社会治理服务中心部门整体支出绩效自评」", StringComparison.Ordinal));
        Assert.Contains("「2022年度长沙市望城区社会治理服务中心部门整体支出绩效自评」（草稿）由长沙市望城区社会治理服务中心（单位填报人）办理", reached.Text, StringComparison.Ordinal);
        Assert.Equal(nameof(NotificationEvent.ReminderSummary), nobody.Event);
        Assert.StartsWith("【预算绩效】督办汇总：", nobody.Subject, StringComparison.Ordinal);
    }

    /// <summary>A second 单位填报人 of the centre, with a mail address, locked by an administrator.</summary>
    private Task<Guid> LockedFillerAsync(string login, string name) => CentreColleagues.AddFillerAsync(app, login, name, locked: true);
}
