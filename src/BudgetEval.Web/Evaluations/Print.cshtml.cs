using BudgetEval.Web.Audit;
using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Evaluations;

/// <summary>The report in the official look (A4), with the indicator table as its annex; same visibility as the report itself.</summary>
internal sealed class PrintModel(AppDbContext db, DataScopeAccessor scope, SelfEvaluations.PdfRenderer pdf, IWebHostEnvironment env, TimeProvider clock) : PageModel
{
    /// <summary>The print stylesheet inlined when rendering for Chromium, which reads a temporary file.</summary>
    public string? InlineStyles { get; private set; }

    public Evaluation Evaluation { get; private set; } = null!;

    public string UnitName { get; private set; } = string.Empty;

    public string? FirmName { get; private set; }

    public EvaluationScoreSheet Sheet { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        if (Request.Path.Value?.EndsWith(".pdf", StringComparison.Ordinal) == true)
        {
            // /evaluations/{id}/print.pdf: the same page and visibility check, printed by headless Chromium.
            InlineStyles = await System.IO.File.ReadAllTextAsync(Path.Combine(env.WebRootPath, "css", "print.css"), ct);
            await AuditTrail.ExportedAsync(db, HttpContext, clock, Evaluation.Title, "评价报告（PDF）", ct);
            return new SelfEvaluations.PdfPageResult(pdf, $"{Evaluation.Title}.pdf");
        }

        return Page();
    }

    /// <summary>The report as .docx (?handler=docx), with the same visibility check.</summary>
    public async Task<IActionResult> OnGetDocxAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        await AuditTrail.ExportedAsync(db, HttpContext, clock, Evaluation.Title, ReportDocument.AuditDetail, ct);
        return File(ReportDocument.Build(Evaluation, UnitName, FirmName, Sheet), Shared.WordDocument.ContentType, $"{Evaluation.Title}.docx");
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await db.Evaluations.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct) is not { } e || !EvaluationService.MaySeeReport(e, scope.Current))
        {
            return false;
        }

        Evaluation = e;
        var names = await OrganisationNames.ForAsync(db, [e.OrganisationId, e.FirmId], ct);
        (UnitName, FirmName) = (names[e.OrganisationId], e.FirmId is { } f ? names[f] : null);
        Sheet = EvaluationSubject.Sheet(e);
        return true;
    }
}
