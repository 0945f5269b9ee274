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
        if (string.IsNullOrEmpty(message))
        {
            return new ManualReminderResult(false, 0, "请填写催办说明。");
        }

        if (message.Length > MaxMessageLength)
        {
            return new ManualReminderResult(false, 0, $"催办说明不能超过 {MaxMessageLength} 个字。");
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

        await writer.AddAsync(db, recipients.Select(u => new NotificationRequest(u, NotificationEvent.ManualReminder, facts)).ToList(), now, ct);
        await db.SaveChangesAsync(ct);
        return new ManualReminderResult(true, recipients.Count, null);
    }
}
