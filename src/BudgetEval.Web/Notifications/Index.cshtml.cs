using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Notifications;

/// <summary>站内消息: the signed-in user's notifications, newest first; mark one or all as read.</summary>
internal sealed class IndexModel(AppDbContext db, TimeProvider clock) : PageModel
{
    public const int PageSize = 100;

    [BindProperty(SupportsGet = true)]
    public bool Unread { get; set; }

    public IReadOnlyList<Notification> Items { get; private set; } = [];

    public int UnreadCount { get; private set; }

    /// <summary>How many notifications the list would hold without the page limit (daily overdue reminders add up).</summary>
    public int Total { get; private set; }

    /// <summary>
    /// The shown notices whose case the reader may no longer open (a firm's, once the evaluation is accepted or given to
    /// another firm): they stay readable, with <see cref="GoneNote"/> in place of 查看事项, which would only lead to a 404.
    /// </summary>
    public IReadOnlySet<Guid> Gone { get; private set; } = new HashSet<Guid>();

    /// <summary>Why a notice's case cannot be opened, in the reader's terms: a firm's engagement has ended; anyone else's case is out of their scope.</summary>
    public string GoneNote => User.OrganisationKind() == Organisations.OrganisationKind.EvaluationFirm ? FirmGoneNote : OtherGoneNote;

    public const string FirmGoneNote = "该评价已结束（已验收或已改由其他机构评价），贵机构已无查看权限。";

    public const string OtherGoneNote = "该事项已不在您的查看范围内，无法打开。";

    private Guid Me => User.UserId() ?? throw new InvalidOperationException("signed in");

    public async Task OnGetAsync(CancellationToken ct)
    {
        var mine = db.Notifications.AsNoTracking().Where(n => n.RecipientUserId == Me);
        UnreadCount = await mine.CountAsync(n => n.ReadAt == null, ct);
        var shown = Unread ? mine.Where(n => n.ReadAt == null) : mine;
        Items = await shown.OrderByDescending(n => n.CreatedAt).Take(PageSize).ToListAsync(ct);
        Total = Items.Count < PageSize ? Items.Count : await shown.CountAsync(ct);

        Gone = await NotificationLinks.GoneAsync(db, Items.Select(n => (n.Id, n.Link)), ct);
    }

    public async Task<IActionResult> OnPostReadAsync(Guid id, CancellationToken ct)
    {
        await db.Notifications.Where(n => n.Id == id && n.RecipientUserId == Me && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, clock.GetUtcNow()), ct);
        return RedirectToPage(new { unread = Unread });
    }

    /// <summary>Opening a notification marks it read and goes to its case.</summary>
    public async Task<IActionResult> OnPostOpenAsync(Guid id, CancellationToken ct)
    {
        var link = await db.Notifications.Where(n => n.Id == id && n.RecipientUserId == Me).Select(n => n.Link).SingleOrDefaultAsync(ct);
        await db.Notifications.Where(n => n.Id == id && n.RecipientUserId == Me && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, clock.GetUtcNow()), ct);

        // A notice outlives the reader's access (a firm's, once its report is accepted): say so instead of a 404 page
        // (the list shows the note instead of the button; this is for a list loaded before the access ended).
        if (NotificationLinks.CaseOf(link) is { } caseId && !await db.WorkflowInstances.AnyAsync(i => i.Id == caseId, ct))
        {
            TempData["Flash"] = GoneNote;
            return RedirectToPage();
        }

        return link is not null && link.StartsWith('/') && !link.StartsWith("//", StringComparison.Ordinal) ? LocalRedirect(link) : RedirectToPage();
    }

    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken ct)
    {
        var n = await db.Notifications.Where(x => x.RecipientUserId == Me && x.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ReadAt, clock.GetUtcNow()), ct);
        TempData["Flash"] = $"已将 {n} 条通知标为已读。";
        return RedirectToPage();
    }
}
