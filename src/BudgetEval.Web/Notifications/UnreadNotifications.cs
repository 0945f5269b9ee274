using System.Security.Claims;
using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Notifications;

/// <summary>The bell's number: one indexed count per page render (recipient, read_at).</summary>
internal sealed class UnreadNotifications(AppDbContext db)
{
    public Task<int> CountAsync(ClaimsPrincipal user) => user.UserId() is { } id ? Unread(db, id) : Task.FromResult(0);

    // Compiled once: every page's layout runs it, and EF's per-query work (walking and hashing the expression tree to
    // find its plan) cost more of the node's CPU than the count itself.
    private static readonly Func<AppDbContext, Guid, Task<int>> Unread = EF.CompileAsyncQuery(
        (AppDbContext db, Guid id) => db.Notifications.Count(n => n.RecipientUserId == id && n.ReadAt == null));
}
