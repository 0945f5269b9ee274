using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Reminders;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.Reminders;

internal static class ReminderTestKit
{
    /// <summary>An instant on a civil day in Beijing.</summary>
    public static DateTimeOffset Beijing(int year, int month, int day, int hour = 10) => new DateTimeOffset(year, month, day, hour, 0, 0, TimeSpan.FromHours(8)).ToUniversalTime();

    public static async Task<SweepResult> SweepAsync(IServiceProvider services, int batchSize = ReminderSweep.DefaultBatchSize)
    {
        using var scope = services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ReminderSweep>().RunAsync(CancellationToken.None, batchSize);
    }

    public static Task<WorkItem> OpenItemAsync(this AppFixture app, Guid caseId) =>
        app.DbAsync(db => db.WorkItems.AsNoTracking().SingleAsync(w => w.InstanceId == caseId && w.Status == WorkItemStatus.Open));

    /// <summary>The ledger of one work item as (stage, day, login).</summary>
    public static Task<List<(string Stage, DateOnly Day, string User)>> LedgerAsync(this AppFixture app, Guid workItemId) =>
        app.DbAsync(async db => (await (from r in db.ReminderLedger
                                        join u in db.Users.IgnoreQueryFilters() on r.RecipientUserId equals u.Id
                                        where r.WorkItemId == workItemId
                                        orderby r.Day, r.Stage
                                        select new { r.Stage, r.Day, u.UserName }).ToListAsync())
            .Select(x => (x.Stage, x.Day, x.UserName!)).ToList());
}
