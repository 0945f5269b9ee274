using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Jobs;
using BudgetEval.Web.Shared;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace BudgetEval.Web.Notifications;

/// <summary>
/// Every morning: one mail per user who chose 每日汇总, listing the notifications that waited for it.
/// Per user one transaction that locks the waiting rows (SKIP LOCKED), writes the outbox row and clears
/// the flag, so a digest is built once even if two nodes run it.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class DigestJob(AppDbContext db, NotificationWriter writer, ChinaClock china, TimeProvider clock, JobRunLog log) : IJob
{
    public static readonly JobKey Key = new("daily-digest");

    public const string Label = "每日通知汇总";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await log.RecordAsync(Key.Name, JobRunLog.NodeOf(context), () => RunAsync(cancellationToken), n => $"汇总邮件 {n} 封");

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var users = await db.Notifications.Where(n => n.DigestPending).Select(n => n.RecipientUserId).Distinct().ToListAsync(ct);
        var written = 0;
        var strategy = db.Database.CreateExecutionStrategy();
        foreach (var userId in users)
        {
            written += await strategy.ExecuteAsync(() => DigestForAsync(userId, ct));
        }

        return written;
    }

    private async Task<int> DigestForAsync(Guid userId, CancellationToken ct)
    {
        var written = 0;
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var rows = await db.Notifications.FromSql($"""
                SELECT * FROM budgeteval.notifications
                WHERE "RecipientUserId" = {userId} AND "DigestPending"
                ORDER BY "CreatedAt" FOR UPDATE SKIP LOCKED
                """).ToListAsync(ct);
            // Locked by an administrator since the notices were written (someone who left): the notices stay in the
            // app, but no digest follows them by mail.
            var lockedFrom = Auth.LockoutKinds.AdministrativeFrom(clock.GetUtcNow());
            var person = await db.Users.IgnoreQueryFilters().Where(u => u.Id == userId && (u.LockoutEnd == null || u.LockoutEnd <= lockedFrom))
                .Select(u => new { u.DisplayName, u.Email }).SingleOrDefaultAsync(ct);
            foreach (var row in rows)
            {
                row.DigestPending = false;
            }

            if (rows.Count > 0 && person is { Email: { Length: > 0 } email })
            {
                var now = clock.GetUtcNow();
                var message = MailTemplates.Digest(person.DisplayName, ChineseFormat.Date(china.Today(clock)),
                    rows.Select(r => (r.Title, r.Body, r.Link)).ToList(), writer.BaseUrl);
                db.Outbox.Add(NotificationWriter.NewMessage(userId, email, person.DisplayName, NotificationEvent.Digest.ToString(), message, now));
                written++;
            }

            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        return written;
    }
}
