using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.SelfEvaluations;

/// <summary>
/// The filters and orders of the self-evaluation list, shared by <c>GET /api/self-evaluations</c> and the 绩效自评 page:
/// fiscal year, unit (an id, or part of its full or short name), status (a state of the review flow, by id or by its
/// Chinese label), 类型, 逾期 and 排序. The data-scope filter still applies underneath.
/// </summary>
internal static class SelfEvaluationFilter
{
    /// <summary>The states a self-evaluation can be in, in the order of the flow (every version's, newest label first).</summary>
    public static IReadOnlyList<(string Id, string Label)> States(WorkflowRegistry registry) =>
        registry.All.Where(d => d.Id == SelfEvaluationService.WorkflowId).OrderByDescending(d => d.Version)
            .SelectMany(d => d.States).DistinctBy(s => s.Id).Select(s => (s.Id, s.Label)).ToList();

    /// <summary>类型: the kinds of self-evaluation by their form value, with the label the page shows.</summary>
    public static readonly IReadOnlyList<(string Id, string Label)> Kinds =
        [(nameof(Plans.EvaluationKind.DepartmentWide), "部门整体"), (nameof(Plans.EvaluationKind.Project), "项目")];

    /// <summary>逾期: submitted after the deadline (逾期提交), or an open task past its due date (已逾期), as the list marks them.</summary>
    public static readonly IReadOnlyList<(string Id, string Label)> LateChoices = [(LateSubmission, "逾期提交"), (OverdueTask, "已逾期（待办超期）")];

    public const string LateSubmission = "late";
    public const string OverdueTask = "overdue";

    /// <summary>排序: newest record first (the default, also with no value), or the longest waiting submission first.</summary>
    public static readonly IReadOnlyList<(string Id, string Label)> Sorts = [(SortCreated, "新建时间（最新在前）"), (SortSubmitted, "提交时间（最早在前）")];

    public const string SortCreated = "created";
    public const string SortSubmitted = "submitted";

    /// <summary>
    /// The list's filters (<paramref name="now"/> decides what is overdue), in the order <paramref name="sort"/> asks
    /// for; each wrong value is named under its parameter and the query is then not to be read.
    /// </summary>
    public static (IQueryable<SelfEvaluation> Query, Dictionary<string, string[]> Errors) Apply(AppDbContext db, WorkflowRegistry registry,
        int? fiscalYear, string? unit, string? status, string? kind, string? late, string? sort, DateTimeOffset now)
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

        if (!string.IsNullOrWhiteSpace(kind))
        {
            if (Enum.TryParse<Plans.EvaluationKind>(kind.Trim(), ignoreCase: true, out var k) && Enum.IsDefined(k) && !int.TryParse(kind, out _))
            {
                query = query.Where(s => s.Kind == k);
            }
            else
            {
                errors["kind"] = [$"类型应为 {string.Join("、", Kinds.Select(x => $"{x.Id}（{x.Label}）"))}。"];
            }
        }

        switch (late?.Trim())
        {
            case null or "":
                break;
            case LateSubmission:
                query = query.Where(s => s.IsLate);
                break;
            case OverdueTask:
                var overdue = db.WorkItems.Where(w => w.Status == WorkItemStatus.Open && w.DueAt < now).Select(w => w.InstanceId);
                query = query.Where(s => s.CaseId != null && overdue.Contains(s.CaseId.Value));
                break;
            default:
                errors["late"] = [$"逾期应为 {string.Join("、", LateChoices.Select(x => $"{x.Id}（{x.Label}）"))}。"];
                break;
        }

        switch (sort?.Trim())
        {
            case null or "" or SortCreated:
                query = query.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id);
                break;
            case SortSubmitted:
                // By the latest submission, the never submitted last (PostgreSQL sorts NULL last ascending).
                query = query.OrderBy(s => db.SelfEvaluationVersions.Where(v => v.SelfEvaluationId == s.Id).Max(v => (DateTimeOffset?)v.SubmittedAt)).ThenBy(s => s.Id);
                break;
            default:
                errors["sort"] = [$"排序应为 {string.Join("、", Sorts.Select(x => $"{x.Id}（{x.Label}）"))}。"];
                break;
        }

        return (query, errors);
    }
}
