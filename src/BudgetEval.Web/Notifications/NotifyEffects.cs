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
    /// <remarks><paramref name="evt"/> picks a template of its own (e.g. 整改通知); by default it follows from the action.</remarks>
    public static async Task NotifyAsync(FireContext context, NotificationWriter writer, DueDates dueDates, IQueryable<AppUser> recipients, CancellationToken ct,
        NotificationEvent? evt = null, bool linkToCase = true, (string Role, NotificationEvent Others)? split = null, string? basis = null)
    {
        // The engine sets the new task's due date after the effects run; compute the same value for the text.
        var due = context.To.Kind == StateKind.Task ? dueDates.DueAt(context.To.Due, await context.Engine.DeadlineForAsync(context.Instance, context.To, ct), context.Now) : null;
        var facts = new NotificationFacts(context.Instance.Title)
        {
            CaseId = linkToCase ? context.Instance.Id : null,
            StateLabel = context.To.Label,
            ActionLabel = context.Action.Label,
            ActorName = context.Actor.DisplayName,
            Comment = context.Comment,
            Due = due is { } d ? ChineseFormat.Date(dueDates.DueDay(d)) : null,
            DuePassed = due is { } past && dueDates.DueDay(past) < context.Today,
            Basis = basis,
        };
        if (evt is null && context.Action.Id == "requestExtension"
            && await Rectifications.RectificationCases.LoadAsync(context, ct) is { RequestedDeadline: { } asked } finding)
        {
            evt = NotificationEvent.ExtensionRequested;
            facts = facts with { Asked = ChineseFormat.Date(asked), Current = ChineseFormat.Date(finding.Deadline) };
        }

        // Plain locals in the query: EF reads a captured variable directly, but evaluates a longer path (context.Actor.UserId)
        // by building and running a delegate on every call.
        var actorId = context.Actor.UserId;
        await writer.AddToAsync(context.Db, recipients.Where(u => u.Id != actorId), evt ?? EventOf(context), facts, context.Now, ct, split);
    }

    /// <summary>
    /// A return asks for rework; the answer to an extension request says which it is; reaching an end state is a
    /// decision; anything else hands over a task.
    /// </summary>
    public static NotificationEvent EventOf(FireContext context) =>
        context.Action.Id.Contains("return", StringComparison.Ordinal) ? NotificationEvent.Returned
        : context.Action.Id == "grantExtension" ? NotificationEvent.ExtensionGranted
        : context.Action.Id == "refuseExtension" ? NotificationEvent.ExtensionRefused
        : context.To.Kind == StateKind.End ? NotificationEvent.Decision
        : NotificationEvent.TaskAssigned;

    /// <summary>The case's unit (its fillers and head), looked up as the system.</summary>
    public static IQueryable<AppUser> OfUnit(FireContext context)
    {
        var organisationId = context.Instance.OrganisationId;
        return context.Db.Users.IgnoreQueryFilters().Where(u => u.OrganisationId == organisationId);
    }

    /// <summary>Users with a role, looked up as the system (a unit's request must still reach the bureau).</summary>
    public static IQueryable<AppUser> WithRole(FireContext context, string role)
    {
        var (users, userRoles, roles) = (context.Db.Users, context.Db.UserRoles, context.Db.Roles);
        return users.IgnoreQueryFilters().Where(u => userRoles.Any(ur => ur.UserId == u.Id && roles.Any(r => r.Id == ur.RoleId && r.Name == role)));
    }

    /// <summary>The bureau's users with a role.</summary>
    public static IQueryable<AppUser> OfBureau(FireContext context, string role) =>
        WithRole(context, role).Where(u => u.Organisation!.Kind == OrganisationKind.FinanceBureau);
}

/// <summary>
/// Tells the case's unit (its fillers and head) what happened. When the next task is the unit's, only those
/// with its role are asked to act (待办, 退回修改); the others are told the outcome (办理结果), so a unit head
/// is not asked to resubmit what only a filler can.
/// </summary>
internal sealed class NotifyUnit(NotificationWriter writer, DueDates dueDates) : IEffect
{
    public string Name => nameof(NotifyUnit);

    public Task ApplyAsync(FireContext context, CancellationToken ct) =>
        FireNotifications.NotifyAsync(context, writer, dueDates, FireNotifications.OfUnit(context), ct,
            split: context.To is { Kind: StateKind.Task, Actor: { Scope: ActorScope.Unit, Role: var role } } ? (role, NotificationEvent.Decision) : null);
}

/// <summary>
/// Tells the bureau. When the next task is the bureau's, those with its role are asked to act (e.g. the
/// 财政局领导 to approve a selection); otherwise the performance officers are told the outcome (办理结果), so
/// nobody gets a 待办 mail for a task that waits in someone else's inbox.
/// </summary>
internal sealed class NotifyBureau(NotificationWriter writer, DueDates dueDates) : IEffect
{
    public string Name => nameof(NotifyBureau);

    public Task ApplyAsync(FireContext context, CancellationToken ct) =>
        context.To is { Kind: StateKind.Task, Actor: { Scope: ActorScope.Bureau, Role: var role } }
            ? FireNotifications.NotifyAsync(context, writer, dueDates, FireNotifications.OfBureau(context, role), ct)
            : FireNotifications.NotifyAsync(context, writer, dueDates, FireNotifications.OfBureau(context, Roles.FinanceOfficer), ct, NotificationEvent.Decision);
}
