using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.Shared;
using Microsoft.EntityFrameworkCore;
using JsonConverter = System.Text.Json.Serialization.JsonConverterAttribute;

namespace BudgetEval.Web.Notifications;

/// <summary>The in-app notifications for API clients: the same list, count and mark-read as /notifications.</summary>
internal static class NotificationEndpoints
{
    /// <summary><c>linkOpens</c>: false when the caller can no longer open the case <c>link</c> names (a firm's, after acceptance: it answers 404).</summary>
    internal sealed record NotificationDto(Guid Id, string? Event, string Title, string Body, string? Link, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt, bool LinkOpens);

    internal sealed record NotificationList(int Unread, IReadOnlyList<NotificationDto> Items);

    /// <summary><c>marked</c>: how many notifications were unread and are now read.</summary>
    internal sealed record MarkedRead(int Marked);

    /// <summary>
    /// 通知设置. <c>emailMode</c>: Immediate (即时发送) or DailyDigest (每日汇总); <c>nonEssentialEmail</c>: mail for
    /// events other than reminders and escalations (always mailed at once); <c>email</c>: where mail goes, null if none is registered.
    /// </summary>
    internal sealed record NotificationSettingsDto(
        [property: JsonConverter(typeof(StrictEnumConverter<EmailMode>))] EmailMode EmailMode, bool NonEssentialEmail, string? Email);

    /// <summary>Both fields must be sent; an emailMode other than the two names (a number included) is refused, not taken as Immediate.</summary>
    internal sealed record NotificationSettingsRequest(
        [property: JsonConverter(typeof(StrictEnumConverter<EmailMode>))] EmailMode? EmailMode, bool? NonEssentialEmail);

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
                .Select(n => new NotificationDto(n.Id, n.Event, n.Title, n.Body, n.Link, n.CreatedAt, n.ReadAt, true)), http, ct);
            var gone = await NotificationLinks.GoneAsync(db, items.Select(n => (n.Id, n.Link)), ct);
            return TypedResults.Ok(new NotificationList(count, [.. items.Select(n => gone.Contains(n.Id) ? n with { LinkOpens = false } : n)]));
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

        // "/settings" is a literal segment: it never meets "/{id:guid}/read" (a GUID, then "read").
        api.MapGet("/settings", async (HttpContext http, AppDbContext db, CancellationToken ct) =>
            TypedResults.Ok(SettingsDto(await NotificationSettings.LoadAsync(db, Me(http), ct))))
            .WithSummary("通知设置（本人）：邮件发送方式、是否接收一般通知邮件、接收邮箱")
            .Produces<NotificationSettingsDto>();

        // The page's rules (NotificationSettings): both fields required, an unknown emailMode refused and nothing saved.
        api.MapPut("/settings", async (NotificationSettingsRequest request, HttpContext http, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        {
            var errors = NotificationSettings.Validate(request.EmailMode, request.NonEssentialEmail);
            if (errors.Count > 0)
            {
                return ApiProblems.Validation(errors.ByField());
            }

            var me = Me(http);
            await NotificationSettings.SaveAsync(db, me, request.EmailMode!.Value, request.NonEssentialEmail!.Value, clock.GetUtcNow(), ct);
            return TypedResults.Ok(SettingsDto(await NotificationSettings.LoadAsync(db, me, ct)));
        })
            .WithSummary("保存通知设置（本人）：emailMode（Immediate 即时发送 / DailyDigest 每日汇总）与 nonEssentialEmail 均须提供；答复保存后的设置")
            .Produces<NotificationSettingsDto>();

        api.MapPost("/read-all", async (HttpContext http, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        {
            var me = http.User.UserId();
            var marked = await db.Notifications.Where(n => n.RecipientUserId == me && n.ReadAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, clock.GetUtcNow()), ct);
            return TypedResults.Ok(new MarkedRead(marked));
        });
    }

    private static Guid Me(HttpContext http) => http.User.UserId() ?? throw new InvalidOperationException("signed in");

    private static NotificationSettingsDto SettingsDto(NotificationSettingsView v) => new(v.EmailMode, v.NonEssentialEmail, v.Email);
}
