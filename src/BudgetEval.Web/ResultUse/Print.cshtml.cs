using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BudgetEval.Web.ResultUse;

/// <summary>The results as the annex of the bureau's report to the district government (A4, landscape); also as PDF.</summary>
[Authorize(Roles = Roles.Bureau)]
internal sealed class PrintModel(ResultsReport report, SelfEvaluations.PdfRenderer pdf, IWebHostEnvironment env, TimeProvider clock) : PageModel
{
    public string? InlineStyles { get; private set; }

    public ResultsView View { get; private set; } = null!;

    public DateTimeOffset PrintedAt { get; private set; }

    public async Task<IActionResult> OnGetAsync(int year, CancellationToken ct)
    {
        if (ResultEndpoints.YearError(year) is not null)
        {
            return NotFound();
        }

        View = await report.ViewAsync(year, new ResultFilter(), 0, null, ct);
        PrintedAt = clock.GetUtcNow();
        if (Request.Path.Value?.EndsWith(".pdf", StringComparison.Ordinal) == true)
        {
            InlineStyles = await System.IO.File.ReadAllTextAsync(Path.Combine(env.WebRootPath, "css", "print.css"), ct);
            return new SelfEvaluations.PdfPageResult(pdf, $"{year}年度预算绩效评价结果汇总表.pdf");
        }

        return Page();
    }
}
