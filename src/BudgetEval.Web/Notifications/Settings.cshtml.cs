using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BudgetEval.Web.Notifications;

/// <summary>通知设置: immediate mail or a daily digest, and whether to get non-essential mail at all. Rules in <see cref="NotificationSettings"/>.</summary>
internal sealed class SettingsModel(AppDbContext db, TimeProvider clock) : PageModel
{
    /// <summary>Null when nothing valid was posted (no choice, an unknown name or number): refused, not taken as 即时发送.</summary>
    [BindProperty]
    public EmailMode? EmailMode { get; set; }

    [BindProperty]
    public bool NonEssentialEmail { get; set; } = true;

    public string? Email { get; private set; }

    /// <summary>Why the posted 邮件发送方式 was refused, shown beside the field.</summary>
    public string? EmailModeError { get; private set; }

    private Guid Me => User.UserId() ?? throw new InvalidOperationException("signed in");

    public async Task OnGetAsync(CancellationToken ct)
    {
        var settings = await NotificationSettings.LoadAsync(db, Me, ct);
        Email = settings.Email;
        EmailMode = settings.EmailMode;
        NonEssentialEmail = settings.NonEssentialEmail;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // A value the binder could not read ("Weekly", "99") leaves its own English-free error; ours names the choices.
        var mode = ModelState.TryGetValue(nameof(EmailMode), out var entry) && entry.Errors.Count > 0 ? null : EmailMode;
        var errors = NotificationSettings.Validate(mode, NonEssentialEmail);
        if (errors.Count > 0)
        {
            EmailModeError = string.Join(" ", errors.Select(e => e.Message));
            EmailMode = null; // the page shows no choice as made: the user picks one again
            Email = (await NotificationSettings.LoadAsync(db, Me, ct)).Email;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        await NotificationSettings.SaveAsync(db, Me, mode!.Value, NonEssentialEmail, clock.GetUtcNow(), ct);
        TempData["Flash"] = "通知设置已保存。";
        return RedirectToPage();
    }
}
