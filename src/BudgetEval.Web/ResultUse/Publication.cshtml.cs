using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BudgetEval.Web.ResultUse;

/// <summary>公开清单: the results the bureau marked for public release, what goes to the government website once approved.</summary>
[Authorize(Roles = Roles.Bureau)]
internal sealed class PublicationModel(ResultsReport report, AppDbContext db, TimeProvider clock) : PageModel
{
    public ResultsView View { get; private set; } = null!;

    /// <summary>Only the 绩效管理员 marks lines: the lead is not told to click a button they do not have.</summary>
    public bool CanEdit => ResultsService.MayEdit(Workflows.WorkflowActor.From(User));

    public async Task<IActionResult> OnGetAsync(int year, CancellationToken ct)
    {
        if (ResultEndpoints.YearError(year) is not null)
        {
            return NotFound();
        }

        View = await report.ViewAsync(year, new ResultFilter(PublishedOnly: true), 0, null, ct);
        return Page();
    }

    public async Task<IActionResult> OnGetExportAsync(int year, CancellationToken ct)
    {
        if (ResultEndpoints.YearError(year) is not null)
        {
            return NotFound();
        }

        return File(await ResultsExport.BuildAsync(report, db, year, new ResultFilter(PublishedOnly: true), true, HttpContext, clock, ct),
            SelfEvaluations.Export.FormWorkbook.ContentType, ResultsExport.FileName(year, true));
    }
}
