using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Hosting;
using BudgetEval.Web.Notifications;
using BudgetEval.Web.Reminders;
using Quartz;

namespace BudgetEval.Web.Infrastructure.Jobs;

/// <summary>
/// Background work runs on Quartz in cluster mode with its tables in PostgreSQL (schema budeteval,
/// prefix qrtz_), so any number of jobs nodes share one schedule and each firing runs on exactly one
/// of them. A node with Node:Jobs=false registers no scheduler at all.
/// </summary>
internal static class JobsSetup
{
    public const string SchedulerName = "BudgetEval";
    public const string TablePrefix = AppDbContext.Schema + ".qrtz_";

    public static void AddBudgetEvalJobs(this IServiceCollection services, IConfiguration config, string connectionString)
    {
        var node = config.GetSection(NodeOptions.Section).Get<NodeOptions>() ?? new NodeOptions();
        if (!node.Jobs)
        {
            return;
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(config.GetSection(AppOptions.Section).Get<AppOptions>()?.TimeZone ?? "Asia/Shanghai");
        var nodeName = NodeOptions.NameOf(config);
        services.AddQuartz(SchedulerName, q =>
        {
            q.ConfigureScheduler(o => o.InstanceId = InstanceIdFor(nodeName));

            q.UsePersistentStore(store =>
            {
                store.UsePostgres(connectionString);
                store.ConfigureStore(o => o.TablePrefix = TablePrefix);

                store.UseClustering(c =>
                {
                    c.CheckinInterval = TimeSpan.FromSeconds(10);
                    c.CheckinMisfireThreshold = TimeSpan.FromSeconds(20);
                });

                // Creates missing qrtz_ tables; Quartz copes with several nodes doing it at once.
                store.ProvisionSchema();
            });

            // Reminders every minute at second 0; mail every 15 seconds; the digest at 08:00 Beijing time.
            q.AddJob<ReminderSweepJob>(j => j.WithIdentity(ReminderSweepJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(ReminderSweepJob.Key).WithIdentity("reminder-sweep-minutely")
                .WithCronSchedule("0 * * * * ?", c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
            q.AddJob<OutboxDeliveryJob>(j => j.WithIdentity(OutboxDeliveryJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(OutboxDeliveryJob.Key).WithIdentity("outbox-delivery-15s")
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(15)).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
            q.AddJob<DigestJob>(j => j.WithIdentity(DigestJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(DigestJob.Key).WithIdentity("daily-digest-0800")
                .WithCronSchedule("0 0 8 * * ?", c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));

            q.AddJob<HousekeepingJob>(j => j.WithIdentity(HousekeepingJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(HousekeepingJob.Key).WithIdentity("housekeeping-nightly")
                .WithCronSchedule("0 30 3 * * ?", c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
        });
        // A stop waits for running jobs; they watch ApplicationStopping and finish only what is in hand
        // (OutboxDelivery), well within the host's ShutdownTimeout (AppComposition).
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
    }

    /// <summary>
    /// The operator's node name first (logs, /admin/jobs), then the start time and a random part. Two
    /// nodes with one name started in the same millisecond (a restart script starting both at once)
    /// had one id, and the cluster then saw a single node: both ran its jobs and neither took over
    /// the other's when it died.
    /// </summary>
    internal static string InstanceIdFor(string nodeName) =>
        $"{nodeName}-{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}-{Guid.NewGuid().ToString("N")[..6]}";
}
