using BudgetEval.Web.Infrastructure.Jobs;
using Quartz;

namespace BudgetEval.Web.Notifications;

/// <summary>Every 15 seconds: send what the outbox holds (see <see cref="OutboxDelivery"/>).</summary>
[DisallowConcurrentExecution]
internal sealed class OutboxDeliveryJob(OutboxDelivery delivery, JobRunLog log) : IJob
{
    public static readonly JobKey Key = new("outbox-delivery");

    public const string Label = "邮件发送";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await log.RecordAsync(Key.Name, JobRunLog.NodeOf(context), () => delivery.RunAsync(cancellationToken),
            r => $"已发送 {r.Sent}，待重试 {r.Retrying}，失败 {r.Failed}");
}
