using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.SelfEvaluations;

/// <summary>
/// The filters of the self-evaluation list, shared by <c>GET /api/self-evaluations</c> and the 绩效自评 page:
/// fiscal year, unit (an id, or part of its full or short name) and status (a state of the review flow, by id
/// or by its Chinese label). The data-scope filter still applies underneath.
/// </summary>
internal static class SelfEvaluationFilter
{
    /// <summary>The states a self-evaluation can be in, in the order of the flow (every version's, newest label first).</summary>
    public static IReadOnlyList<(string Id, string Label)> States(WorkflowRegistry registry) =>
        registry.All.Where(d => d.Id == SelfEvaluationService.WorkflowId).OrderByDescending(d => d.Version)
            .SelectMany(d => d.States).DistinctBy(s => s.Id).Select(s => (s.Id, s.Label)).ToList();

    public static (IQueryable<SelfEvaluation> Query, Dictionary<string, string[]> Errors) Apply(AppDbContext db, WorkflowRegistry registry,
        int? fiscalYear, string? unit, string? status)
    {
        var errors = new Dictionary<string, string[]>();
        var query = db.SelfEvaluations.AsNoTracking();
        if (fiscalYear is { } year)
        {
            query = query.Where(s => s.FiscalYear == year);
        }

        if (!string.IsNullOrWhiteSpace(unit))
        {
            var text = unit.Trim();
            var named = db.Organisations.NamedLike(text).Select(o => o.Id); // composed as a subquery, never loaded
            query = Guid.TryParse(text, out var unitId) ? query.Where(s => s.OrganisationId == unitId) : query.Where(s => named.Contains(s.OrganisationId));
        }

        if (!string.IsNullOrWhiteSpace(status))
        {
            var states = States(registry);
            var text = status.Trim();
            if (states.FirstOrDefault(s => s.Id == text || s.Label == text) is { Id: not null } state)
            {
                query = query.Where(s => s.Status == state.Id);
            }
            else
            {
                errors["status"] = [$"状态应为 {string.Join("、", states.Select(s => $"{s.Id}（{s.Label}）"))}。"];
            }
        }

        return (query, errors);
    }
}
