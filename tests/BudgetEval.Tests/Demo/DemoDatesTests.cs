using System.Net;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Demo;

/// <summary>
/// The demo's dates read plausibly whenever it is seeded: the finished 2021 evaluation keeps a 报告期限 of its own time
/// (not 60 days after the seeding), and the 2022 plan's drafts stay due on the plan's deadline (overdue on purpose).
/// </summary>
public sealed class DemoDatesTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_the_seeded_demo_When_its_finished_evaluation_is_read_Then_the_report_deadline_is_in_2022_shortly_after_the_report_date()
    {
        var centre = await app.SocialGovernanceCentreAsync();
        var evaluation = await app.DbAsync(db => db.Evaluations.AsNoTracking().SingleAsync(e => e.OrganisationId == centre && e.FiscalYear == SampleExternalEvaluation.FiscalYear));
        var planDeadline = await app.DbAsync(db => db.WorkflowInstances.Where(i => i.Id == evaluation.CaseId).Select(i => i.PlanDeadline).SingleAsync());

        Assert.Equal("completed", evaluation.Status);
        Assert.Equal(new DateOnly(2022, 7, 31), evaluation.ReportDueDate);
        Assert.Equal(evaluation.ReportDueDate, planDeadline);
        Assert.True(evaluation.ReportDate <= evaluation.ReportDueDate, "the report was delivered on time");

        using var finance = await app.SignInAsync("finance");
        var page = WebUtility.HtmlDecode(await finance.GetStringAsync($"/evaluations/{evaluation.Id}"));
        Assert.Contains("<dt>报告期限</dt><dd>2022年7月31日</dd>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_the_seeded_demo_When_its_2022_drafts_are_read_Then_each_is_due_on_the_plans_deadline()
    {
        var plan = await app.DbAsync(db => db.Plans.AsNoTracking().SingleAsync(p => p.NoticeNumber == DemoSeeder.DemoNotice));
        var dueDays = await app.DbAsync(db => db.WorkItems.AsNoTracking()
            .Where(w => w.State == "draft" && w.Status == Web.Workflows.WorkItemStatus.Open
                && db.SelfEvaluations.Any(s => s.PlanId == plan.Id && db.WorkflowInstances.Any(i => i.Id == w.InstanceId && i.SubjectId == s.Id)))
            .Select(w => w.DueAt!.Value).ToListAsync());

        Assert.Equal(new DateOnly(2023, 2, 28), plan.Deadline);
        Assert.NotEmpty(dueDays);
        var china = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        Assert.All(dueDays, due => Assert.Equal(plan.Deadline, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(due.AddSeconds(-1), china).DateTime)));
    }
}
