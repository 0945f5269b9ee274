using System.Net;
using System.Net.Http.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Notifications;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Plans;

/// <summary>
/// 计划变更 moving the demo plan's deadline: the centre's two open drafts (部门整体 and 项目) reach each of its people as one
/// 截止日期调整 mail naming both, the education bureau's one draft as the single mail it always was; in the app, a notice each.
/// </summary>
public sealed class PlanDeadlineMailTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_two_open_drafts_of_one_unit_When_the_plan_deadline_moves_Then_each_person_gets_one_mail_naming_both()
    {
        app.Clock.Set(AppFactory.DefaultNow);
        var centre = await app.SocialGovernanceCentreAsync();
        var drafts = await app.DbAsync(db => db.SelfEvaluations.Where(s => s.OrganisationId == centre && s.PlanId != null).Select(s => new { s.PlanId, s.CaseId, s.Title }).ToListAsync());
        using var finance = await app.ApiAsync("finance");

        var response = await finance.PostAsJsonAsync($"/api/plans/{drafts[0].PlanId}/amendments", new { deadline = "2026-03-20", reason = "部分单位申请延期" });
        var mails = await app.DbAsync(db => db.Outbox.Where(m => m.Event == nameof(NotificationEvent.DeadlineChanged) || m.Event == nameof(NotificationEvent.DeadlineChangeSummary))
            .Select(m => new { m.ToAddress, m.Event, m.Subject, m.Html, m.Text }).ToListAsync());
        var notices = await app.DbAsync(db => db.Notifications.Where(n => n.Event == nameof(NotificationEvent.DeadlineChanged)
            && db.Users.Any(u => u.Id == n.RecipientUserId && u.UserName == "unit")).Select(n => n.Link).ToListAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, drafts.Count);
        Assert.Equal(drafts.Select(d => $"/cases/{d.CaseId}").Order(), notices.Order());
        foreach (var address in new[] { "unit@demo.budgeteval.local", "unithead@demo.budgeteval.local" })
        {
            var mail = Assert.Single(mails, m => m.ToAddress == address);
            Assert.Equal((nameof(NotificationEvent.DeadlineChangeSummary), "【预算绩效】截止日期调整：2项绩效自评"), (mail.Event, mail.Subject));
            Assert.Contains("财政局调整了以下 2 项绩效自评的截止日期，请按新的期限办理。", mail.Text, StringComparison.Ordinal);
            Assert.All(drafts, d => Assert.Contains($"/cases/{d.CaseId}", mail.Html, StringComparison.Ordinal));
            Assert.All(drafts, d => Assert.Contains($"截止日期调整：{d.Title}", mail.Text, StringComparison.Ordinal));
            Assert.Contains("调整为2026年3月20日", mail.Text, StringComparison.Ordinal);
            Assert.Contains("部分单位申请延期", mail.Text, StringComparison.Ordinal);
        }

        var single = Assert.Single(mails, m => m.ToAddress == "unit2@demo.budgeteval.local");
        Assert.Equal(nameof(NotificationEvent.DeadlineChanged), single.Event);
        Assert.StartsWith("【预算绩效】截止日期调整：2022年度长沙市望城区教育局", single.Subject, StringComparison.Ordinal);
    }
}
