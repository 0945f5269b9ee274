using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.SelfEvaluations;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Plans;

/// <summary>评价工作计划 list for the bureau: what each plan covers and how far its cases are.</summary>
[Authorize(Roles = Roles.Bureau)]
internal sealed class IndexModel(AppDbContext db, WorkflowRegistry registry) : PageModel
{
    internal sealed record Row(Plan Plan, IReadOnlyList<(string Label, int Count)> Cases);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public bool CanEdit { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        CanEdit = PlanService.Denied(WorkflowActor.From(User)) is null;
        var plans = await db.Plans.AsNoTracking().OrderByDescending(p => p.FiscalYear).ThenByDescending(p => p.CreatedAt).ToListAsync(ct);
        var counts = await db.SelfEvaluations.AsNoTracking().Where(s => s.PlanId != null)
            .GroupBy(s => new { s.PlanId, s.Status }).Select(g => new { g.Key.PlanId, g.Key.Status, Count = g.Count() }).ToListAsync(ct);
        Rows = plans.Select(p => new Row(p, counts.Where(c => c.PlanId == p.Id)
            .Select(c => (FormEndpoints.StatusLabel(registry, c.Status), c.Count)).OrderBy(c => c.Item1, StringComparer.Ordinal).ToList())).ToList();
    }
}
