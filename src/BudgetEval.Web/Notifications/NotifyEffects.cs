using BudgetEval.Web.Organisations;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using BudgetEval.Web.Workflows.Definitions;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Notifications;

/// <summary>
/// Notifications as rows of the Fire transaction: in-app messages and their outbox e-mails (see
/// <see cref="NotificationWriter"/>), so nothing is sent for a change that rolled back and nothing is lost
/// if the mail server is down.
/// </summary>
internal static class FireNotifications
{
    public static async Task NotifyAsync(FireContext context, NotificationWriter writer, DueDates dueDates, IQueryable<AppUser> recipients, CancellationToken ct)
    {
        // The engine sets the new task's due date after the effects run; compute the same value for the text.
        var due = context.To.Kind == StateKind.Task ? dueDates.DueAt(context.To.Due, context.Instance.PlanDeadline, context.Now) : null;
        var ids = await recipients.Where(u => u.Id != context.Actor.UserId).Select(u => u.Id).ToListAsync(ct);
        var evt = EventOf(context);
        var facts = new NotificationFacts(context.Instance.Title)
        {
            CaseId = context.Instance.Id,
            StateLabel = context.To.Label,
            ActionLabel = context.Action.Label,
            ActorName = context.Actor.DisplayName,
            Comment = context.Comment,
            Due = due is { } d ? ChineseFormat.Date(dueDates.DueDay(d)) : null,
        };
        await writer.AddAsync(context.Db, ids.Select(id => new NotificationRequest(id, evt, facts)).ToList(), context.Now, ct);
    }

    /// <summary>A return asks for rework; reaching an end state is a decision; anything else hands over a task.</summary>
    public static NotificationEvent EventOf(FireContext context) =>
        context.Action.Id.Contains("return", StringComparison.Ordinal) ? NotificationEvent.Returned
        : context.To.Kind == StateKind.End ? NotificationEvent.Decision
        : NotificationEvent.TaskAssigned;

    /// <summary>Users with a role, looked up as the system (a unit's request must still reach the bureau).</summary>
    public static IQueryable<AppUser> WithRole(FireContext context, string role) =>
        context.Db.Users.IgnoreQueryFilters().Where(u => context.Db.UserRoles.Any(ur => ur.UserId == u.Id && context.Db.Roles.Any(r => r.Id == ur.RoleId && r.Name == role)));
}

/// <summary>Tells the case's unit (its fillers and head) what happened.</summary>
internal sealed class NotifyUnit(NotificationWriter writer, DueDates dueDates) : IEffect
{
    public string Name => nameof(NotifyUnit);

    public Task ApplyAsync(FireContext context, CancellationToken ct) =>
        FireNotifications.NotifyAsync(context, writer, dueDates, context.Db.Users.IgnoreQueryFilters().Where(u => u.OrganisationId == context.Instance.OrganisationId), ct);
}

/// <summary>Tells the bureau's performance officers that something awaits them.</summary>
internal sealed class NotifyBureau(NotificationWriter writer, DueDates dueDates) : IEffect
{
    public string Name => nameof(NotifyBureau);

    public Task ApplyAsync(FireContext context, CancellationToken ct) =>
        FireNotifications.NotifyAsync(context, writer, dueDates, FireNotifications.WithRole(context, Roles.FinanceOfficer)
            .Where(u => u.Organisation!.Kind == OrganisationKind.FinanceBureau), ct);
}
