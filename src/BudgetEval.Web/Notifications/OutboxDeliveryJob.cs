using BudgetEval.Web.Infrastructure.Jobs;
using Quartz;

namespace BudgetEval.Web.Notifications;

/// <summary>Every 15 seconds: send what the outbox holds (see <see cref="OutboxDelivery"/>).</summary>
[DisallowConcurrentExecution]
internal sealed class OutboxDeliveryJob(OutboxDelivery delivery, JobRunLog log) : IJob
{
    public static readonly JobKey Key = new("outbox-delivery");

    public const string Label = "邮件发送";

    /// <summary>What a run that found no mail to send records; the 后台任务 page leaves such runs out of its recent list.</summary>
    public static readonly string IdleDetail = Describe(new DeliveryResult(0, 0, 0));

    private static string Describe(DeliveryResult r) => $"已发送 {r.Sent}，待重试 {r.Retrying}，失败 {r.Failed}";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await log.RecordAsync(Key.Name, JobRunLog.NodeOf(context), () => delivery.RunAsync(cancellationToken), Describe);
}
