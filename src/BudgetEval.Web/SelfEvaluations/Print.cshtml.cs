using BudgetEval.Web.Audit;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.SelfEvaluations.Export;
using BudgetEval.Web.SelfEvaluations.Scoring;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BudgetEval.Web.SelfEvaluations;

/// <summary>The print view (A4, official table look), its PDF and, for the signed-in browser user, the Excel and Word exports.</summary>
internal sealed class PrintModel(AppDbContext db, PdfRenderer pdf, IWebHostEnvironment env, TimeProvider clock, Shared.ChinaClock china) : PageModel
{
    /// <summary>The print stylesheet, set when rendering for Chromium: a temporary file cannot load /css/print.css.</summary>
    public string? InlineStyles { get; private set; }

    public LoadedForm Form { get; private set; } = null!;

    public ScoreSheet Sheet { get; private set; } = null!;

    /// <summary>上年及以前发现问题的整改情况: the earlier findings and the unit's statement on each, as submitted once submitted.</summary>
    public Rectifications.FollowUpList FollowUp { get; private set; } = new([], null, false);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await SelfEvaluationForm.LoadAsync(db, id, ct) is not { } form)
        {
            return NotFound();
        }

        (Form, Sheet) = (form, form.Sheet());
        FollowUp = await Rectifications.FollowUp.ShownAsync(db, form.Record, china, ct);
        if (Request.Path.Value?.EndsWith(".pdf", StringComparison.Ordinal) == true)
        {
            // Reached through /self-evaluations/{id}/print.pdf (a route convention): same page, same scope check, as a PDF.
            InlineStyles = await System.IO.File.ReadAllTextAsync(Path.Combine(env.WebRootPath, "css", "print.css"), ct);
            await AuditTrail.ExportedAsync(db, HttpContext, clock, form.Record.Title, "自评表（PDF）", ct);
            return new PdfPageResult(pdf, $"{form.Record.Title}.pdf");
        }

        return Page();
    }

    /// <summary>The 自评表 and 自评报告 as .docx, with the print view's figures, for a unit that finishes its report in Word.</summary>
    public async Task<IActionResult> OnGetDocxAsync(Guid id, CancellationToken ct)
    {
        if (await SelfEvaluationForm.LoadAsync(db, id, ct) is not { } form)
        {
            return NotFound();
        }

        await AuditTrail.ExportedAsync(db, HttpContext, clock, form.Record.Title, FormDocument.AuditDetail, ct);
        return File(await FormDocument.BuildAsync(db, form, china, ct), Shared.WordDocument.ContentType, $"{form.Record.Title}.docx");
    }

    public async Task<IActionResult> OnGetXlsxAsync(Guid id, CancellationToken ct)
    {
        if (await SelfEvaluationForm.LoadAsync(db, id, ct) is not { } form)
        {
            return NotFound();
        }

        await AuditTrail.ExportedAsync(db, HttpContext, clock, form.Record.Title, "自评表（Excel）", ct);
        return File(await FormWorkbook.BuildAsync(db, form, china, ct), FormWorkbook.ContentType, $"{form.Record.Title}.xlsx");
    }
}
