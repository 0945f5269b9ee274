using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace BudgetEval.Web.Dashboards;

/// <summary>本单位数据看板: the unit's own tasks, findings and scores; no unit filter (it is always the caller's own).</summary>
[Authorize(Roles = DashboardEndpoints.UnitRoles)]
internal sealed class UnitModel(UnitFigures figures, AppDbContext db, TimeProvider clock) : DashboardPage(db)
{
    public UnitDashboard? Data { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (await ParseAsync(null, null, ct))
        {
            Data = await figures.LoadAsync(WorkflowActor.From(User), Filter, ct);
        }
    }

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        if (!await ParseAsync(null, null, ct))
        {
            return Page();
        }

        var data = await figures.LoadAsync(WorkflowActor.From(User), Filter, ct);
        var (content, name) = await DashboardExport.UnitAsync(Db, data, Filter, HttpContext, clock, ct);
        return File(content, DashboardExport.ContentType, name);
    }
}
