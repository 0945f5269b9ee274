using BudgetEval.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace BudgetEval.Web.Dashboards;

/// <summary>数据看板 of the bureau: GET filters (年度, 单位, 问题类别, 问题来源), charts with their tables, the Excel export.</summary>
[Authorize(Roles = DashboardEndpoints.BureauRoles)]
internal sealed class IndexModel(BureauFigures figures, AppDbContext db, TimeProvider clock) : DashboardPage(db)
{
    [BindProperty(SupportsGet = true)]
    public string? Unit { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")] // "page" is the Razor Pages route value
    public string? PageNumber { get; set; }

    public BureauDashboard? Data { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (await ParseAsync(Unit, PageNumber, ct))
        {
            Data = await figures.LoadAsync(Filter, forExport: false, ct);
        }
    }

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        if (!await ParseAsync(Unit, PageNumber, ct))
        {
            return Page();
        }

        var data = await figures.LoadAsync(Filter, forExport: true, ct);
        var (content, name) = await DashboardExport.BureauAsync(Db, data, Filter, HttpContext, clock, ct);
        return File(content, DashboardExport.ContentType, name);
    }
}
