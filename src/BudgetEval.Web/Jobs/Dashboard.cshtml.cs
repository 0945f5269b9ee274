using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Jobs;
using BudgetEval.Web.Notifications;
using BudgetEval.Web.Reminders;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Quartz;

namespace BudgetEval.Web.Jobs;

internal sealed record RecurringJobRow(string Key, string Label, string Schedule, DateTimeOffset? LastFire, DateTimeOffset? NextFire, string? TriggerState, JobRun? LastRun);

/// <summary>
/// 后台任务: what Hangfire's dashboard would have shown. Read from the database (Quartz's triggers table and
/// our job-run log), so it works on a web-only node too. Finance officers look; administrators act.
/// </summary>
[Authorize(Roles = Roles.Admin + "," + Roles.FinanceOfficer)]
internal sealed class DashboardModel(AppDbContext db, ChinaClock china, TimeProvider clock, IServiceProvider services) : PageModel
{
    private static readonly (string Key, string Label, string Schedule)[] Known =
    [
        (ReminderSweepJob.Key.Name, ReminderSweepJob.Label, "每分钟"),
        (OutboxDeliveryJob.Key.Name, OutboxDeliveryJob.Label, "每 15 秒"),
        (DigestJob.Key.Name, DigestJob.Label, "每天 8:00"),
        (HousekeepingJob.Key.Name, "系统清理", "每天 3:30"),
    ];

    /// <summary>The Chinese name of a job for the run log, which stores the job's key; an unknown key is shown as it is.</summary>
    public static string LabelOf(string key) => Known.FirstOrDefault(k => k.Key == key).Label ?? key;

    public IReadOnlyList<RecurringJobRow> Jobs { get; private set; } = [];

    public IReadOnlyDictionary<OutboxStatus, int> OutboxCounts { get; private set; } = new Dictionary<OutboxStatus, int>();

    public IReadOnlyList<OutboxMessage> Failed { get; private set; } = [];

    public int RemindersToday { get; private set; }

    /// <summary>How far back 最近执行记录 looks.</summary>
    public const int RecentRunDays = 7;

    public IReadOnlyList<JobRun> RecentRuns { get; private set; } = [];

    public bool CanAct => User.IsInRole(Roles.Admin);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var triggers = await TriggersAsync(ct);
        var lastRuns = new Dictionary<string, JobRun>();
        foreach (var (key, _, _) in Known)
        {
            if (await db.JobRuns.AsNoTracking().Where(r => r.Job == key).OrderByDescending(r => r.StartedAt).FirstOrDefaultAsync(ct) is { } run)
            {
                lastRuns[key] = run;
            }
        }

        Jobs = Known.Select(k =>
        {
            triggers.TryGetValue(k.Key, out var t);
            return new RecurringJobRow(k.Key, k.Label, k.Schedule, t.Prev, t.Next, t.State, lastRuns.GetValueOrDefault(k.Key));
        }).ToList();

        OutboxCounts = (await db.Outbox.GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
            .ToDictionary(g => g.Key, g => g.Count);
        Failed = await db.Outbox.AsNoTracking().Where(m => m.Status == OutboxStatus.Failed).OrderByDescending(m => m.CreatedAt).Take(100).ToListAsync(ct);

        // "Today" is the civil day in Beijing.
        var today = china.Today(clock);
        var start = new DateTimeOffset(today.ToDateTime(TimeOnly.MinValue), china.Zone.GetUtcOffset(today.ToDateTime(TimeOnly.MinValue))).ToUniversalTime();
        RemindersToday = await db.ReminderLedger.CountAsync(r => r.CreatedAt >= start && r.CreatedAt < start.AddDays(1), ct);
        // Mail delivery runs every 15 seconds and the sweep every minute: their idle runs would push every run that did
        // something (this morning's reminders, last night's housekeeping) off the list within minutes.
        var (sweep, sweepIdle, delivery, deliveryIdle) = (ReminderSweepJob.Key.Name, ReminderSweepJob.IdleDetail, OutboxDeliveryJob.Key.Name, OutboxDeliveryJob.IdleDetail);
        var since = clock.GetUtcNow().AddDays(-RecentRunDays);
        RecentRuns = await db.JobRuns.AsNoTracking()
            .Where(r => r.StartedAt >= since && !(r.Succeeded && ((r.Job == sweep && r.Detail == sweepIdle) || (r.Job == delivery && r.Detail == deliveryIdle))))
            .OrderByDescending(r => r.StartedAt).Take(20).ToListAsync(ct);
    }

    public Task<IActionResult> OnPostRetryAsync(Guid id, CancellationToken ct) =>
        RequeueAsync(id, n => n == 1 ? "已重新加入发送队列。" : "该邮件已不在失败列表中。", ct);

    public Task<IActionResult> OnPostRetryAllAsync(CancellationToken ct) =>
        RequeueAsync(null, n => $"已重新加入发送队列 {n} 封。", ct);

    /// <summary>A retried message starts over with a full set of attempts.</summary>
    private async Task<IActionResult> RequeueAsync(Guid? id, Func<int, string> flash, CancellationToken ct)
    {
        if (!CanAct)
        {
            return Forbid();
        }

        var n = await db.Outbox.Where(m => m.Status == OutboxStatus.Failed && (id == null || m.Id == id)).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, OutboxStatus.Pending)
            .SetProperty(m => m.Attempts, 0)
            .SetProperty(m => m.NextAttemptAt, clock.GetUtcNow()), ct);
        TempData["Flash"] = flash(n);
        return RedirectToPage();
    }

    /// <summary>
    /// On a jobs node the scheduler fires the sweep (on whichever node it picks); a web-only node has no
    /// scheduler and runs it here, which is safe because the sweep claims rows with SKIP LOCKED.
    /// </summary>
    public async Task<IActionResult> OnPostSweepAsync(CancellationToken ct)
    {
        if (!CanAct)
        {
            return Forbid();
        }

        // The named scheduler is registered as a keyed service (Quartz 4), only on jobs nodes.
        if (services.GetKeyedService<IScheduler>(JobsSetup.SchedulerName) is { } scheduler)
        {
            await scheduler.TriggerJob(ReminderSweepJob.Key, ct);
            TempData["Flash"] = "已触发催办提醒扫描。";
        }
        else
        {
            var result = await services.GetRequiredService<ReminderSweepJob>().RunAsync(JobRunLog.NodeOf(null), ct);
            TempData["Flash"] = $"扫描完成：待办 {result.WorkItems} 项，提醒 {result.Reminders} 条。";
        }

        return RedirectToPage();
    }

    public string When(DateTimeOffset? at) => at is { } a ? ChineseFormat.DateTime(china.ToLocal(a)) : "—";

    private async Task<Dictionary<string, (DateTimeOffset? Prev, DateTimeOffset? Next, string? State)>> TriggersAsync(CancellationToken ct)
    {
        var result = new Dictionary<string, (DateTimeOffset?, DateTimeOffset?, string?)>();
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = conn.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await conn.OpenAsync(ct);
        }

        try
        {
            // Quartz stores fire times as UTC ticks; the tables exist once a jobs node has started.
            await using var cmd = new NpgsqlCommand($"SELECT job_name, prev_fire_time, next_fire_time, trigger_state FROM {JobsSetup.TablePrefix}triggers WHERE sched_name = @s", conn);
            cmd.Parameters.AddWithValue("s", JobsSetup.SchedulerName);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                result[reader.GetString(0)] = (Ticks(reader, 1), Ticks(reader, 2), reader.GetString(3));
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // No jobs node has ever run against this database.
        }
        finally
        {
            if (opened)
            {
                await conn.CloseAsync();
            }
        }

        return result;
    }

    private static DateTimeOffset? Ticks(NpgsqlDataReader reader, int i) =>
        reader.IsDBNull(i) || reader.GetInt64(i) <= 0 ? null : new DateTimeOffset(reader.GetInt64(i), TimeSpan.Zero);
}
