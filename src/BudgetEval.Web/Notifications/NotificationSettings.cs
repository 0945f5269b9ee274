using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Shared;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Notifications;

/// <summary>A user's 通知设置 as the page and GET/PUT /api/notifications/settings show it; <c>Email</c> is where mail goes (null: none registered).</summary>
internal sealed record NotificationSettingsView(EmailMode EmailMode, bool NonEssentialEmail, string? Email);

/// <summary>
/// The rules of 通知设置, shared by the page and the API: what a user's settings are (no row: the defaults),
/// what may be saved, and the save itself. The field names are the API's; the page shows the same messages.
/// </summary>
internal static class NotificationSettings
{
    public const string EmailModeField = "emailMode";

    public const string NonEssentialEmailField = "nonEssentialEmail";

    public const string EmailModeInvalid = "「邮件发送方式」：请选择“即时发送”（Immediate）或“每日汇总”（DailyDigest）。";

    public const string NonEssentialEmailMissing = "「接收一般通知邮件」：必填，应为 true 或 false。";

    public static async Task<NotificationSettingsView> LoadAsync(AppDbContext db, Guid userId, CancellationToken ct)
    {
        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefaultAsync(ct);
        var row = await db.NotificationPreferences.AsNoTracking().SingleOrDefaultAsync(p => p.UserId == userId, ct);
        return row is null
            ? new NotificationSettingsView(EmailMode.Immediate, NonEssentialEmail: true, email)
            : new NotificationSettingsView(row.EmailMode, row.NonEssentialEmail, email);
    }

    /// <summary>An undefined mode (a number, or nothing chosen) is refused, never quietly turned into 即时发送.</summary>
    public static List<FieldError> Validate(EmailMode? emailMode, bool? nonEssentialEmail)
    {
        var errors = new List<FieldError>();
        if (emailMode is not { } mode || !Enum.IsDefined(mode))
        {
            errors.Add(new FieldError(EmailModeField, EmailModeInvalid));
        }

        if (nonEssentialEmail is null)
        {
            errors.Add(new FieldError(NonEssentialEmailField, NonEssentialEmailMissing));
        }

        return errors;
    }

    /// <summary>Saves settings that passed <see cref="Validate"/>: creates the user's row on first save.</summary>
    public static async Task SaveAsync(AppDbContext db, Guid userId, EmailMode emailMode, bool nonEssentialEmail, DateTimeOffset now, CancellationToken ct)
    {
        if (!Enum.IsDefined(emailMode))
        {
            throw new ArgumentOutOfRangeException(nameof(emailMode), emailMode, "validate first");
        }

        for (var attempt = 0; ; attempt++)
        {
            var row = await db.NotificationPreferences.SingleOrDefaultAsync(p => p.UserId == userId, ct);
            if (row is null)
            {
                row = new NotificationPreference { UserId = userId };
                db.NotificationPreferences.Add(row);
            }

            row.EmailMode = emailMode;
            row.NonEssentialEmail = nonEssentialEmail;
            row.UpdatedAt = now;
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // The same user's first save from another tab or client created the row a moment earlier: update that one.
                db.ChangeTracker.Clear();
            }
        }
    }
}
