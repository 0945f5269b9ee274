using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BudgetEval.Web.Evaluations.ReplacedFirms;

/// <summary>
/// 原评价机构评分: what each replaced firm had scored and written when the bureau replaced it, read-only, linked from the
/// evaluation page's 更换评价机构记录. Whoever sees the evaluation's score table sees it; anyone else gets 404.
/// </summary>
[Authorize]
internal sealed class ReplacedFirmsModel(AppDbContext db, DataScopeAccessor scope) : PageModel
{
    public Evaluation Evaluation { get; private set; } = null!;

    public IReadOnlyList<ReplacedFirmRecord> Records { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await ReplacedFirmRecords.VisibleAsync(db, scope.Current, id, ct) is not { } visible)
        {
            return NotFound();
        }

        (Evaluation, Records) = visible;
        return Page();
    }
}
