using BudgetEval.Web.Workflows;
using BudgetEval.Web.Workflows.Definitions;

namespace BudgetEval.Web.Dashboards;

internal enum ProgressBucket
{
    NotSubmitted,
    UnitReview,
    BureauReview,
    Returned,
    Accepted,
}

/// <summary>
/// Maps the states of workflows/self-evaluation-review.*.yaml onto the dashboard's progress buckets, from
/// the definitions rather than a list of state names, so a new version with other states still lands:
/// the initial state is 未提交 (also after the unit head sends it back: the bureau has not seen it); an end
/// state is 已通过; a state the bureau acts in is 财政审核中; a unit state that a bureau action with a
/// required comment leads to (the bureau's 退回修改) is 退回修改; any other unit state (the head's
/// sign-off) is 单位审核中. 逾期 is not a bucket but a count across them: a case not in an end state whose
/// current due date (the plan deadline while a draft, the review turnaround after) has passed.
/// </summary>
internal static class ProgressBuckets
{
    public const string DefinitionId = "self-evaluation-review";

    public static readonly IReadOnlyList<(ProgressBucket Bucket, string Label, string Color)> All =
    [
        (ProgressBucket.NotSubmitted, "未提交", ChartPalette.Grey),
        (ProgressBucket.UnitReview, "单位审核中", ChartPalette.Blue),
        (ProgressBucket.BureauReview, "财政审核中", ChartPalette.Navy),
        (ProgressBucket.Returned, "退回修改", ChartPalette.Orange),
        (ProgressBucket.Accepted, "已通过", ChartPalette.Green),
    ];

    /// <summary>State id → bucket over every loaded version of the review workflow (the newest version wins a clash).</summary>
    public static IReadOnlyDictionary<string, ProgressBucket> Of(WorkflowRegistry registry)
    {
        var map = new Dictionary<string, ProgressBucket>(StringComparer.Ordinal);
        foreach (var definition in registry.All.Where(d => d.Id == DefinitionId).OrderBy(d => d.Version))
        {
            var bureauReturns = definition.States
                .Where(s => s.Actor?.Scope == ActorScope.Bureau)
                .SelectMany(s => s.Actions.Where(a => a.CommentRequired).Select(a => a.Target))
                .ToHashSet(StringComparer.Ordinal);
            foreach (var state in definition.States)
            {
                map[state.Id] = state.Id == definition.Initial ? ProgressBucket.NotSubmitted
                    : state.Kind == StateKind.End ? ProgressBucket.Accepted
                    : state.Actor?.Scope == ActorScope.Bureau ? ProgressBucket.BureauReview
                    : bureauReturns.Contains(state.Id) ? ProgressBucket.Returned
                    : ProgressBucket.UnitReview;
            }
        }

        return map;
    }

    /// <summary>State ids of end states (their due dates no longer count as 逾期).</summary>
    public static IReadOnlyList<string> EndStates(WorkflowRegistry registry, string definitionId) =>
        registry.All.Where(d => d.Id == definitionId).SelectMany(d => d.States).Where(s => s.Kind == StateKind.End).Select(s => s.Id).Distinct().ToList();
}
