using BudgetEval.Web.Audit;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BudgetEval.Web.Rectifications.Report;

/// <summary>
/// 整改情况报告 in the official look (A4), with ?handler=docx (Word) and ?handler=pdf (Chromium's PDF of this page).
/// Same selection and data scope as GET /api/findings/rectification-report.docx.
/// </summary>
internal sealed class PrintModel(AppDbContext db, BureauLookup bureau, TimeProvider clock, ChinaClock china, SelfEvaluations.PdfRenderer pdf, IWebHostEnvironment env)
    : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Unit { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? FiscalYear { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Source { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? SourceDocument { get; set; }

    /// <summary>The print stylesheet inlined when rendering for Chromium, which reads a temporary file.</summary>
    public string? InlineStyles { get; private set; }

    public RectificationReport Report { get; private set; } = null!;

    /// <summary>Why no report was made (400): shown on this page, in Chinese, with the way back to the register.</summary>
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ?? Page();

    public async Task<IActionResult> OnGetDocxAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } refused)
        {
            return refused;
        }

        await AuditTrail.ExportedAsync(db, HttpContext, clock, Report.Title, RectificationReportDocument.AuditDetail, ct);
        return File(RectificationReportDocument.Build(Report), WordDocument.ContentType, Report.FileName);
    }

    public async Task<IActionResult> OnGetPdfAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } refused)
        {
            return refused;
        }

        InlineStyles = await System.IO.File.ReadAllTextAsync(Path.Combine(env.WebRootPath, "css", "print.css"), ct);
        await AuditTrail.ExportedAsync(db, HttpContext, clock, Report.Title, "整改情况报告（PDF）", ct);
        return new SelfEvaluations.PdfPageResult(pdf, $"{Report.Title}.pdf");
    }

    /// <summary>Null when the report is there; otherwise the answer: 404 for nothing visible, 400 naming the field.</summary>
    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        // ?fiscalYear=abc binds as no year: name what was typed rather than ask for a year that was given.
        if (ModelState.TryGetValue(nameof(FiscalYear), out var year) && year.Errors.Count > 0)
        {
            return Refused($"「年度」“{year.AttemptedValue}”不是有效的年份，应填写如 2023。");
        }

        var (report, errors) = await RectificationReport.LoadAsync(db, User, new(Unit, FiscalYear, Source, SourceDocument), bureau, clock, china, ct);
        if (errors.Count > 0)
        {
            return Refused(string.Join(" ", errors.SelectMany(e => e.Value)));
        }

        if (report is null)
        {
            return NotFound();
        }

        Report = report;
        return null;
    }

    // A page, not plain text: the preview opens in its own tab, and a bare line of text there leaves no way back.
    private PageResult Refused(string problem)
    {
        Problem = problem;
        var page = Page();
        page.StatusCode = StatusCodes.Status400BadRequest;
        return page;
    }
}
