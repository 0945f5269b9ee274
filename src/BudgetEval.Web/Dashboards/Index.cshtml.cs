using BudgetEval.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Dashboards;

/// <summary>数据看板 of the bureau: GET filters (年度, 单位, 问题类别, 问题来源), charts with their tables, the Excel export.</summary>
[Authorize(Roles = DashboardEndpoints.BureauRoles)]
internal sealed class IndexModel(BureauFigures figures, AppDbContext db, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Year { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Unit { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Category { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Source { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")] // "page" is the Razor Pages route value
    public string? PageNumber { get; set; }

    public DashboardFilter Filter { get; private set; } = DashboardFilter.None;

    public BureauDashboard? Data { get; private set; }

    public IReadOnlyList<string> Categories { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (await ParseAsync(ct))
        {
            Data = await figures.LoadAsync(Filter, BureauFigures.ChartUnits, ct);
        }
    }

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        if (!await ParseAsync(ct))
        {
            return Page();
        }

        var data = await figures.LoadAsync(Filter, BureauFigures.ExportUnits, ct);
        return File(await DashboardExport.BureauAsync(db, data, Filter, HttpContext, clock, ct), DashboardExport.ContentType, "数据看板.xlsx");
    }

    private async Task<bool> ParseAsync(CancellationToken ct)
    {
        Categories = await db.FindingCategories.AsNoTracking().OrderBy(c => c.SortOrder).ThenBy(c => c.Name).Select(c => c.Name).Take(500).ToListAsync(ct);
        var (filter, errors) = DashboardFilter.Parse(Year, Unit, Category, Source, PageNumber);
        Filter = filter;
        foreach (var message in errors.SelectMany(e => e.Value))
        {
            ModelState.AddModelError(string.Empty, message);
        }

        return errors.Count == 0;
    }
}
