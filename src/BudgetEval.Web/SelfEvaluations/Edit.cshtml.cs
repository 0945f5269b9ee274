using System.ComponentModel.DataAnnotations;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.SelfEvaluations;

/// <summary>The unit edits its self-evaluation while it is 草稿 or 退回修改; the row version guards against lost updates.</summary>
internal sealed class EditModel(AppDbContext db, SelfEvaluationService service) : PageModel
{
    public override Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next) =>
        EditorsOnly.RefuseOthersAsync(this, context, next);

    public SelfEvaluation Record { get; private set; } = null!;

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public string? Summary { get; set; }

    [BindProperty]
    [Display(Name = "全年预算数")] // named so in the message when the typed value is no number
    public decimal? TotalBudget { get; set; }

    [BindProperty]
    public uint ExpectedVersion { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await db.SelfEvaluations.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct) is not { } se)
        {
            return NotFound();
        }

        Record = se;
        (Title, Summary, TotalBudget, ExpectedVersion) = (se.Title, se.Summary, se.TotalBudget, se.RowVersion);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            // 「一百」 in 全年预算数 binds as empty: saving would clear the stored amount. Refused, the typed text kept.
            if (await db.SelfEvaluations.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct) is not { } shown)
            {
                return NotFound();
            }

            Record = shown;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        var result = await service.UpdateAsync(id, new SelfEvaluationInput(Title, null, null, Summary, TotalBudget), ExpectedVersion, WorkflowActor.From(User), ct);
        if (result.Status == FireStatus.NotFound)
        {
            return NotFound();
        }

        if (result.Status == FireStatus.Ok)
        {
            TempData["Flash"] = "已保存。";
            return Redirect($"/cases/{result.Record!.CaseId}");
        }

        foreach (var m in result.Errors.SelectMany(e => e.Value))
        {
            ModelState.AddModelError(string.Empty, m);
        }

        Record = await db.SelfEvaluations.AsNoTracking().SingleAsync(s => s.Id == id, ct);
        Response.StatusCode = result.Status == FireStatus.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
        return Page();
    }
}
