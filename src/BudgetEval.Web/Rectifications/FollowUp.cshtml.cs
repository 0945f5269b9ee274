using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.SelfEvaluations;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Rectifications;

/// <summary>
/// 上年及以前发现问题的整改情况 of one self-evaluation: the earlier findings and the unit's statement for each —
/// live while the unit edits, as submitted once it has left the unit.
/// </summary>
internal sealed class FollowUpModel(AppDbContext db, TimeProvider clock, ChinaClock china) : PageModel
{
    public SelfEvaluation SelfEvaluation { get; private set; } = null!;

    public FollowUpList List { get; private set; } = new([], null, false);

    public IReadOnlyList<FollowUpItem> Items => List.Items;

    public DateOnly Today { get; private set; }

    public ChinaClock China => china;

    public bool Editable => FollowUp.IsWithUnit(SelfEvaluation) && User.IsInRole(Users.Roles.UnitFiller);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, Dictionary<Guid, string?> statements, CancellationToken ct)
    {
        var result = await FollowUp.SaveAsync(db, id, statements ?? [], WorkflowActor.From(User), clock.GetUtcNow(), ct);
        if (result.Succeeded)
        {
            TempData["Flash"] = "整改情况说明已保存。";
            return RedirectToPage(new { id });
        }

        if (result.Status == FireStatus.NotFound || !await LoadAsync(id, ct))
        {
            return NotFound();
        }

        return this.Refused(result);
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await db.SelfEvaluations.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct) is not { } se)
        {
            return false;
        }

        SelfEvaluation = se;
        List = await FollowUp.ShownAsync(db, se, china, ct);
        Today = china.Today(clock);
        return true;
    }
}
