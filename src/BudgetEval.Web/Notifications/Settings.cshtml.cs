using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Notifications;

/// <summary>通知设置: immediate mail or a daily digest, and whether to get non-essential mail at all.</summary>
internal sealed class SettingsModel(AppDbContext db, TimeProvider clock) : PageModel
{
    [BindProperty]
    public EmailMode EmailMode { get; set; } = EmailMode.Immediate;

    [BindProperty]
    public bool NonEssentialEmail { get; set; } = true;

    public string? Email { get; private set; }

    private Guid Me => User.UserId() ?? throw new InvalidOperationException("signed in");

    public async Task OnGetAsync(CancellationToken ct)
    {
        Email = await db.Users.Where(u => u.Id == Me).Select(u => u.Email).SingleOrDefaultAsync(ct);
        if (await db.NotificationPreferences.AsNoTracking().SingleOrDefaultAsync(p => p.UserId == Me, ct) is { } p)
        {
            EmailMode = p.EmailMode;
            NonEssentialEmail = p.NonEssentialEmail;
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!Enum.IsDefined(EmailMode))
        {
            EmailMode = EmailMode.Immediate;
        }

        var row = await db.NotificationPreferences.SingleOrDefaultAsync(p => p.UserId == Me, ct);
        if (row is null)
        {
            row = new NotificationPreference { UserId = Me };
            db.NotificationPreferences.Add(row);
        }

        row.EmailMode = EmailMode;
        row.NonEssentialEmail = NonEssentialEmail;
        row.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = "通知设置已保存。";
        return RedirectToPage();
    }
}
