using System.Security.Claims;
using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Notifications;

/// <summary>The bell's number: one indexed count per page render (recipient, read_at).</summary>
internal sealed class UnreadNotifications(AppDbContext db)
{
    public Task<int> CountAsync(ClaimsPrincipal user) =>
        user.UserId() is { } id ? db.Notifications.CountAsync(n => n.RecipientUserId == id && n.ReadAt == null) : Task.FromResult(0);
}
