using BudgetEval.Web.Audit;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BudgetEval.Web.ResultUse;

/// <summary>The results as the annex of the bureau's report to the district government (A4, landscape); also as PDF.</summary>
[Authorize(Roles = Roles.Bureau)]
internal sealed class PrintModel(ResultsReport report, Infrastructure.Data.AppDbContext db, SelfEvaluations.PdfRenderer pdf, IWebHostEnvironment env, TimeProvider clock) : PageModel
{
    /// <summary>The most lines printed to PDF on the server (about 100 pages); a district's year has a few hundred.</summary>
    public const int PdfMaxLines = 5000;

    public string? InlineStyles { get; private set; }

    public ResultsView View { get; private set; } = null!;

    public DateTimeOffset PrintedAt { get; private set; }

    public async Task<IActionResult> OnGetAsync(int year, CancellationToken ct)
    {
        if (ResultEndpoints.YearError(year) is not null)
        {
            return NotFound();
        }

        var asPdf = Request.Path.Value?.EndsWith(".pdf", StringComparison.Ordinal) == true;
        if (asPdf && await report.CountAsync(year, new ResultFilter(), ct) is var total and > PdfMaxLines)
        {
            // Chromium would work for minutes on thousands of pages and then time out; say so at once.
            return new ContentResult
            {
                StatusCode = StatusCodes.Status422UnprocessableEntity,
                ContentType = "text/plain; charset=utf-8",
                Content = $"{year}年度结果共 {total} 项，超过 {PdfMaxLines} 项的汇总表不生成 PDF。请打开“打印结果汇总表”用浏览器打印，或在结果应用页面导出 Excel。",
            };
        }

        View = await report.ViewAsync(year, new ResultFilter(), 0, null, ct);
        PrintedAt = clock.GetUtcNow();
        if (asPdf)
        {
            InlineStyles = await System.IO.File.ReadAllTextAsync(Path.Combine(env.WebRootPath, "css", "print.css"), ct);
            await AuditTrail.ExportedAsync(db, HttpContext, clock, $"{year}年度结果汇总表", "结果汇总表（PDF）", ct);
            return new SelfEvaluations.PdfPageResult(pdf, $"{year}年度预算绩效评价结果汇总表.pdf");
        }

        return Page();
    }
}
