using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Dashboards;

/// <summary>本单位数据看板: the unit's own tasks, findings and scores; no unit filter (it is always the caller's own).</summary>
[Authorize(Roles = DashboardEndpoints.UnitRoles)]
internal sealed class UnitModel(UnitFigures figures, AppDbContext db, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Year { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Category { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Source { get; set; }

    public DashboardFilter Filter { get; private set; } = DashboardFilter.None;

    public UnitDashboard? Data { get; private set; }

    public IReadOnlyList<string> Categories { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (await ParseAsync(ct))
        {
            Data = await figures.LoadAsync(WorkflowActor.From(User), Filter, ct);
        }
    }

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        if (!await ParseAsync(ct))
        {
            return Page();
        }

        var data = await figures.LoadAsync(WorkflowActor.From(User), Filter, ct);
        return File(await DashboardExport.UnitAsync(db, data, Filter, HttpContext, clock, ct), DashboardExport.ContentType, "本单位数据看板.xlsx");
    }

    private async Task<bool> ParseAsync(CancellationToken ct)
    {
        Categories = await db.FindingCategories.AsNoTracking().OrderBy(c => c.SortOrder).ThenBy(c => c.Name).Select(c => c.Name).Take(500).ToListAsync(ct);
        var (filter, errors) = DashboardFilter.Parse(Year, null, Category, Source, null);
        Filter = filter;
        foreach (var message in errors.SelectMany(e => e.Value))
        {
            ModelState.AddModelError(string.Empty, message);
        }

        return errors.Count == 0;
    }
}
