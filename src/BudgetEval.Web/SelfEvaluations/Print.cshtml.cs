using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.SelfEvaluations.Export;
using BudgetEval.Web.SelfEvaluations.Scoring;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BudgetEval.Web.SelfEvaluations;

/// <summary>The print view (A4, official table look) and, for the signed-in browser user, the Excel export and blank template.</summary>
internal sealed class PrintModel(AppDbContext db) : PageModel
{
    public LoadedForm Form { get; private set; } = null!;

    public ScoreSheet Sheet { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await SelfEvaluationForm.LoadAsync(db, id, ct) is not { } form)
        {
            return NotFound();
        }

        (Form, Sheet) = (form, form.Sheet());
        return Page();
    }

    public async Task<IActionResult> OnGetXlsxAsync(Guid id, CancellationToken ct) =>
        await SelfEvaluationForm.LoadAsync(db, id, ct) is { } form
            ? File(FormWorkbook.Build(form), FormWorkbook.ContentType, $"{form.Record.Title}.xlsx")
            : NotFound();
}
