using System.Net;
using System.Net.Http.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.Plans;

/// <summary>Moving a published plan's deadline moves the open tasks' due dates and reminders with it.</summary>
public sealed class PlanDeadlineMoveTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_the_published_demo_plan_When_finance_moves_its_deadline_Then_the_open_drafts_are_due_on_the_new_date_and_reminded_before_it()
    {
        app.Clock.Set(AppFactory.DefaultNow); // 2026-03-02 09:00 Beijing
        var centre = await app.SocialGovernanceCentreAsync();
        var (planId, caseId) = await app.DbAsync(async db =>
        {
            // The department-wide one: the other test of this class puts the centre's project one into 财政审核.
            var se = await db.SelfEvaluations.Where(s => s.OrganisationId == centre && s.PlanId != null && s.CaseId != null && s.Kind == BudgetEval.Web.Plans.EvaluationKind.DepartmentWide)
                .OrderBy(s => s.CreatedAt).FirstAsync();
            return (se.PlanId!.Value, se.CaseId!.Value);
        });

        using var finance = await app.ApiAsync("finance");
        var response = await finance.PostAsJsonAsync($"/api/plans/{planId}/amendments", new { deadline = "2026-03-20", reason = "部分单位申请延期" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var (instance, item) = await app.DbAsync(async db => (
            await db.WorkflowInstances.AsNoTracking().SingleAsync(i => i.Id == caseId),
            await db.WorkItems.AsNoTracking().SingleAsync(w => w.InstanceId == caseId && w.Status == WorkItemStatus.Open)));
        var endOfDeadline = new DateTimeOffset(2026, 3, 21, 0, 0, 0, TimeSpan.FromHours(8));
        Assert.Equal(new DateOnly(2026, 3, 20), instance.PlanDeadline);
        Assert.Equal(endOfDeadline, instance.DueAt);
        Assert.Equal(endOfDeadline, item.DueAt);
        Assert.NotNull(item.NextReminderAt);
        Assert.InRange(item.NextReminderAt!.Value, AppFactory.DefaultNow, endOfDeadline);
    }

    [Fact]
    public async Task Given_one_accepted_and_one_open_self_evaluation_When_the_deadline_moves_Then_only_the_open_one_moves_and_its_unit_is_told()
    {
        app.Clock.Set(AppFactory.DefaultNow);
        var centre = await app.SocialGovernanceCentreAsync();
        var education = await app.OrganisationIdAsync(BudgetEval.Web.Demo.DemoSeeder.EducationBureau);
        var (planId, open, accepted, atBureau) = await app.DbAsync(async db =>
        {
            var plan = await db.SelfEvaluations.Where(s => s.OrganisationId == centre && s.PlanId != null).OrderBy(s => s.CreatedAt).Select(s => s.PlanId!.Value).FirstAsync();
            var mine = db.SelfEvaluations.Where(s => s.PlanId == plan).OrderBy(s => s.CreatedAt);
            return (plan, await mine.FirstAsync(s => s.OrganisationId == centre && s.Kind == BudgetEval.Web.Plans.EvaluationKind.DepartmentWide),
                await mine.FirstAsync(s => s.OrganisationId == education),
                await mine.FirstAsync(s => s.OrganisationId == centre && s.Kind == BudgetEval.Web.Plans.EvaluationKind.Project));
        });

        // The education bureau's self-evaluation is accepted (by the administrator's 调整状态, for brevity).
        using (var scope = app.Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BudgetEval.Web.Infrastructure.Data.AppDbContext>();
            var admin = await db.Users.IgnoreQueryFilters().Include(u => u.Organisation).SingleAsync(u => u.UserName == "admin");
            var actor = new WorkflowActor(admin.Id, admin.DisplayName, admin.OrganisationId, admin.Organisation!.Kind, new HashSet<string> { BudgetEval.Web.Users.Roles.Admin });
            var version = await db.WorkflowInstances.Where(i => i.Id == accepted.CaseId).Select(i => i.Version).SingleAsync();
            var altered = await scope.ServiceProvider.GetRequiredService<WorkflowEngine>().AlterAsync(accepted.CaseId!.Value, "accepted", "测试：已通过", actor, version, default);
            Assert.True(altered.Succeeded, string.Join(" ", altered.Errors));

            // The centre's project self-evaluation waits in 财政审核: its task is due 10 working days after entry, not by the plan.
            var civilVersion = await db.WorkflowInstances.Where(i => i.Id == atBureau.CaseId).Select(i => i.Version).SingleAsync();
            var reviewing = await scope.ServiceProvider.GetRequiredService<WorkflowEngine>().AlterAsync(atBureau.CaseId!.Value, "bureau_review", "测试：财政审核", actor, civilVersion, default);
            Assert.True(reviewing.Succeeded, string.Join(" ", reviewing.Errors));
        }

        using var finance = await app.ApiAsync("finance");
        var response = await finance.PostAsJsonAsync($"/api/plans/{planId}/amendments", new { deadline = "2026-03-27", reason = "部分单位申请延期" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var moved = new DateOnly(2026, 3, 27);
        Assert.Equal(moved, await app.DbAsync(db => db.SelfEvaluations.Where(s => s.Id == open.Id).Select(s => s.Deadline).SingleAsync()));
        Assert.Equal(accepted.Deadline, await app.DbAsync(db => db.SelfEvaluations.Where(s => s.Id == accepted.Id).Select(s => s.Deadline).SingleAsync()));
        Assert.NotEqual(moved, await app.DbAsync(db => db.WorkflowInstances.Where(i => i.Id == accepted.CaseId).Select(i => i.PlanDeadline).SingleAsync()));

        // Everyone in the open case's unit is told, in the app and by mail; nobody about the accepted one.
        var told = await app.DbAsync(db => db.Notifications.Where(n => n.Event == "DeadlineChanged")
            .Join(db.Users.IgnoreQueryFilters(), n => n.RecipientUserId, u => u.Id, (n, u) => new { u.UserName, n.Title, n.Body, n.Link }).ToListAsync());
        foreach (var user in new[] { "unit", "unithead" })
        {
            var notice = Assert.Single(told, n => n.UserName == user && n.Link == $"/cases/{open.CaseId}");
            Assert.Equal($"截止日期调整：{open.Title}", notice.Title);
            Assert.Contains("调整为2026年3月27日", notice.Body, StringComparison.Ordinal);
            Assert.Contains("部分单位申请延期", notice.Body, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(told, n => n.Link == $"/cases/{accepted.CaseId}");
        // A case waiting on the bureau takes the new deadline (for a later 逾期 mark) but its task did not move: nobody is told.
        Assert.Equal(moved, await app.DbAsync(db => db.SelfEvaluations.Where(s => s.Id == atBureau.Id).Select(s => s.Deadline).SingleAsync()));
        Assert.DoesNotContain(told, n => n.Link == $"/cases/{atBureau.CaseId}");
        Assert.True(await app.DbAsync(db => db.Outbox.AnyAsync(m => m.Event == "DeadlineChanged" && m.Subject == $"【预算绩效】截止日期调整：{open.Title}")));
    }
}
