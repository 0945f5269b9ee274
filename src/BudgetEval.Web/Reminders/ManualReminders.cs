using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Notifications;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Reminders;

internal sealed record ManualReminderResult(bool Ok, int Recipients, string? Error, bool NotFound = false, bool Forbidden = false);

/// <summary>
/// 催办 by the bureau: a message to whoever holds an open work item, now. Recorded in the reminder ledger
/// (with sender and message) in the same transaction as its notifications and mails.
/// </summary>
internal sealed class ManualReminders(AppDbContext db, NotificationWriter writer, ReminderSchedule schedule, TimeProvider clock)
{
    public const int MaxMessageLength = 500;

    public static bool MaySend(WorkflowActor actor) =>
        actor.OrganisationKind == OrganisationKind.FinanceBureau
        && (actor.IsInRole(Roles.FinanceOfficer) || actor.IsInRole(Roles.Admin) || actor.IsInRole(Roles.FinanceLead));

    public async Task<ManualReminderResult> SendAsync(Guid caseId, Guid? workItemId, string? message, WorkflowActor actor, CancellationToken ct)
    {
        if (!MaySend(actor))
        {
            // Out of the caller's data scope the case does not exist for them (404), as everywhere else.
            return await db.WorkflowInstances.AnyAsync(i => i.Id == caseId, ct)
                ? new ManualReminderResult(false, 0, "只有财政局人员可以催办。", Forbidden: true)
                : new ManualReminderResult(false, 0, null, NotFound: true);
        }

        message = message?.Trim();
        if (MessageProblem(message) is { } problem)
        {
            return new ManualReminderResult(false, 0, problem);
        }

        var item = await db.WorkItems.IgnoreQueryFilters()
            .Where(w => w.InstanceId == caseId && w.Status == WorkItemStatus.Open && (workItemId == null || w.Id == workItemId))
            .OrderBy(w => w.CreatedAt).FirstOrDefaultAsync(ct);
        if (item is null)
        {
            return await db.WorkflowInstances.IgnoreQueryFilters().AnyAsync(i => i.Id == caseId, ct)
                ? new ManualReminderResult(false, 0, "该事项没有待办，无须催办。")
                : new ManualReminderResult(false, 0, null, NotFound: true);
        }

        var recipients = (await ReminderRecipients.LoadAsync(db, [item], [], clock.GetUtcNow(), ct)).Assignees(item);
        if (recipients.Count == 0)
        {
            return new ManualReminderResult(false, 0, "该待办没有可催办的人员。");
        }

        var now = clock.GetUtcNow();
        await writer.AddAsync(db, Record(item, recipients, message!, actor, now).ToList(), now, ct);
        await db.SaveChangesAsync(ct);
        return new ManualReminderResult(true, recipients.Count, null);
    }

    /// <summary>At most this many tasks in one 批量催办 (two pages of 逾期督办 and more would be a mass mailing).</summary>
    public const int MaxBatch = 200;

    /// <summary>
    /// 批量催办 from 逾期督办: the chosen tasks that are still open, in one transaction. A person who holds several gets one
    /// 催办汇总 mail listing them (the 通知 list keeps one notice per case); a task done in the meantime is skipped and
    /// counted, not an error.
    /// </summary>
    public async Task<ManualBatchResult> SendManyAsync(IReadOnlyCollection<Guid> workItemIds, string? message, WorkflowActor actor, CancellationToken ct)
    {
        if (!MaySend(actor))
        {
            return new ManualBatchResult(0, 0, 0, "只有财政局人员可以催办。", Forbidden: true);
        }

        message = message?.Trim();
        var ids = workItemIds.Distinct().ToList();
        var problem = MessageProblem(message)
            ?? (ids.Count == 0 ? "请勾选要催办的事项。" : ids.Count > MaxBatch ? $"一次最多催办 {MaxBatch} 项，已勾选 {ids.Count} 项。" : null);
        if (problem is not null)
        {
            return new ManualBatchResult(0, 0, 0, problem);
        }

        var now = clock.GetUtcNow();
        var items = await db.WorkItems.IgnoreQueryFilters().Where(w => ids.Contains(w.Id) && w.Status == WorkItemStatus.Open).ToListAsync(ct);
        var holders = await ReminderRecipients.LoadAsync(db, items, [], now, ct);
        var requests = new List<NotificationRequest>();
        var reminded = 0;
        foreach (var item in items)
        {
            if (holders.Assignees(item) is { Count: > 0 } recipients)
            {
                requests.AddRange(Record(item, recipients, message!, actor, now));
                reminded++;
            }
        }

        if (reminded == 0)
        {
            return new ManualBatchResult(0, 0, ids.Count, "所选事项均已办理或没有可催办的人员，未发送催办。");
        }

        var rows = await writer.BuildAsync(db, requests, now, ct, oneMailEach: MailSummary.Reminders);
        db.Notifications.AddRange(rows.Notifications);
        db.Outbox.AddRange(rows.Outbox);
        await db.SaveChangesAsync(ct);
        return new ManualBatchResult(reminded, requests.Select(r => r.RecipientUserId).Distinct().Count(), ids.Count - reminded, null);
    }

    private static string? MessageProblem(string? message) =>
        string.IsNullOrEmpty(message) ? "请填写催办说明。"
        : message.Length > MaxMessageLength ? $"催办说明不能超过 {MaxMessageLength} 个字。"
        : null;

    /// <summary>The ledger lines of one task's 催办 (with sender and message) and the notices to write for it.</summary>
    private IEnumerable<NotificationRequest> Record(WorkItem item, IReadOnlyList<Guid> recipients, string message, WorkflowActor actor, DateTimeOffset now)
    {
        var stage = $"manual-{Guid.CreateVersion7(now):N}";
        var facts = new NotificationFacts(item.Title)
        {
            CaseId = item.InstanceId,
            StateLabel = item.StateLabel,
            ActorName = actor.DisplayName,
            Comment = message,
            Due = item.DueAt is { } due ? ChineseFormat.Date(schedule.DueDay(due)) : null,
        };
        foreach (var user in recipients)
        {
            db.ReminderLedger.Add(new ReminderLedgerEntry
            {
                WorkItemId = item.Id,
                Stage = stage,
                Day = schedule.Today(now),
                RecipientUserId = user,
                CreatedAt = now,
                SentBy = actor.UserId,
                Message = message,
            });
        }

        return recipients.Select(u => new NotificationRequest(u, NotificationEvent.ManualReminder, facts));
    }
}

/// <summary>How a 批量催办 went: tasks reminded, people reached, tasks skipped (done meanwhile, or nobody to remind).</summary>
internal sealed record ManualBatchResult(int Reminded, int Recipients, int Skipped, string? Error, bool Forbidden = false);
