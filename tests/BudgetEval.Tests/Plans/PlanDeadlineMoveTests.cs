using System.Net;
using System.Net.Http.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

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
            var se = await db.SelfEvaluations.Where(s => s.OrganisationId == centre && s.PlanId != null && s.CaseId != null).OrderBy(s => s.CreatedAt).FirstAsync();
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
}
