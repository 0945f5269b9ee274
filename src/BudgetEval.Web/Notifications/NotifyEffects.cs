using BudgetEval.Web.Organisations;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Notifications;

/// <summary>
/// Writes in-app notifications as rows of the Fire transaction. This is the seam for e-mail: the outbox
/// (a later issue) adds its rows here too, and a job delivers them, so nothing is sent for a change
/// that rolled back and nothing is lost if the mail server is down.
/// </summary>
internal static class NotificationWriter
{
    public static async Task NotifyAsync(FireContext context, IQueryable<AppUser> recipients, CancellationToken ct)
    {
        var ids = await recipients.Where(u => u.Id != context.Actor.UserId).Select(u => u.Id).ToListAsync(ct);
        var title = $"{context.Definition.Title}：{context.Instance.Title}（{context.Action.Label}）";
        var body = $"{context.Actor.DisplayName} 执行了「{context.Action.Label}」，当前状态：{context.To.Label}。"
            + (context.Comment is { } c ? $" 意见：{c}" : string.Empty);
        foreach (var id in ids)
        {
            context.Db.Notifications.Add(new Notification
            {
                Id = Guid.CreateVersion7(context.Now),
                RecipientUserId = id,
                Title = title,
                Body = body,
                Link = $"/cases/{context.Instance.Id}",
                CreatedAt = context.Now,
            });
        }
    }

    /// <summary>Users with a role, looked up as the system (a unit's request must still reach the bureau).</summary>
    public static IQueryable<AppUser> WithRole(FireContext context, string role) =>
        context.Db.Users.IgnoreQueryFilters().Where(u => context.Db.UserRoles.Any(ur => ur.UserId == u.Id && context.Db.Roles.Any(r => r.Id == ur.RoleId && r.Name == role)));
}

/// <summary>Tells the case's unit (its fillers and head) what happened.</summary>
internal sealed class NotifyUnit : IEffect
{
    public string Name => nameof(NotifyUnit);

    public Task ApplyAsync(FireContext context, CancellationToken ct) =>
        NotificationWriter.NotifyAsync(context, context.Db.Users.IgnoreQueryFilters().Where(u => u.OrganisationId == context.Instance.OrganisationId), ct);
}

/// <summary>Tells the bureau's performance officers that something awaits them.</summary>
internal sealed class NotifyBureau : IEffect
{
    public string Name => nameof(NotifyBureau);

    public Task ApplyAsync(FireContext context, CancellationToken ct) =>
        NotificationWriter.NotifyAsync(context, NotificationWriter.WithRole(context, Roles.FinanceOfficer)
            .Where(u => u.Organisation!.Kind == OrganisationKind.FinanceBureau), ct);
}
