using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.Shared;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Notifications;

/// <summary>The in-app notifications for API clients: the same list, count and mark-read as /notifications.</summary>
internal static class NotificationEndpoints
{
    internal sealed record NotificationDto(Guid Id, string? Event, string Title, string Body, string? Link, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

    internal sealed record NotificationList(int Unread, IReadOnlyList<NotificationDto> Items);

    /// <summary><c>marked</c>: how many notifications were unread and are now read.</summary>
    internal sealed record MarkedRead(int Marked);

    public static void MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/notifications").RequireAuthorization(ApiAuth.Policy).WithTags("Notifications");

        // Newest first, a page at a time; ?unread=true for unread only. Only ever the caller's own.
        api.MapGet("/", async (bool? unread, HttpContext http, AppDbContext db, CancellationToken ct) =>
        {
            if (!ApiPage.TryFrom(http.Request, out var page, out var problem))
            {
                return problem;
            }

            var me = http.User.UserId();
            var mine = db.Notifications.AsNoTracking().Where(n => n.RecipientUserId == me);
            var count = await mine.CountAsync(n => n.ReadAt == null, ct);
            var items = await page.ReadAsync((unread == true ? mine.Where(n => n.ReadAt == null) : mine)
                .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
                .Select(n => new NotificationDto(n.Id, n.Event, n.Title, n.Body, n.Link, n.CreatedAt, n.ReadAt)), http, ct);
            return TypedResults.Ok(new NotificationList(count, items));
        }).Produces<NotificationList>();

        // Someone else's notification is simply not found.
        api.MapPost("/{id:guid}/read", async (Guid id, HttpContext http, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        {
            var me = http.User.UserId();
            if (!await db.Notifications.AnyAsync(n => n.Id == id && n.RecipientUserId == me, ct))
            {
                return Infrastructure.Web.ApiProblems.NotFound();
            }

            await db.Notifications.Where(n => n.Id == id && n.ReadAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, clock.GetUtcNow()), ct);
            return Results.NoContent();
        }).Produces(StatusCodes.Status204NoContent);

        api.MapPost("/read-all", async (HttpContext http, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        {
            var me = http.User.UserId();
            var marked = await db.Notifications.Where(n => n.RecipientUserId == me && n.ReadAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, clock.GetUtcNow()), ct);
            return TypedResults.Ok(new MarkedRead(marked));
        });
    }
}
