using BudgetEval.Web.Infrastructure.Jobs;
using Quartz;

namespace BudgetEval.Web.Reminders;

/// <summary>Every minute, on whichever node of the cluster Quartz picks: give the reminders that are due.</summary>
[DisallowConcurrentExecution]
internal sealed class ReminderSweepJob(ReminderSweep sweep, JobRunLog log) : IJob
{
    public static readonly JobKey Key = new("reminder-sweep");

    public const string Label = "催办提醒扫描";

    /// <summary>What a run that found nothing due records; the 后台任务 page leaves such runs out of its recent list.</summary>
    public static readonly string IdleDetail = Describe(new SweepResult(0, 0, 0));

    private static string Describe(SweepResult r) => $"待办 {r.WorkItems} 项，提醒 {r.Reminders} 条";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await RunAsync(JobRunLog.NodeOf(context), cancellationToken);

    public Task<SweepResult> RunAsync(string node, CancellationToken ct) =>
        log.RecordAsync(Key.Name, node, () => sweep.RunAsync(ct), Describe);
}
