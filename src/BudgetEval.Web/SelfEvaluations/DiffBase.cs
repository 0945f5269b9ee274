using BudgetEval.Web.Workflows;
using BudgetEval.Web.Workflows.Definitions;

namespace BudgetEval.Web.SelfEvaluations;

/// <summary>
/// Which submitted version a reviewer's 版本差异 starts from: the last one the reviewer's own step decided on. The
/// bureau compares with what it last decided in 财政审核 (a version the unit head returned never reached it); the
/// unit head with what it last decided in 单位审核 (every submission passes there, so the previous one).
/// </summary>
internal static class DiffBase
{
    /// <summary>
    /// The newest version older than <paramref name="currentVersion"/> that was current when a state acted in by
    /// <paramref name="reviewer"/> was left by one of its actions; null when that step has decided on none (no diff).
    /// Read from the history, as <see cref="SnapshotVersion"/> numbers the versions: one per action that freezes one.
    /// </summary>
    public static int? For(WorkflowDefinition definition, IEnumerable<WorkflowHistoryEntry> history, Func<ActorRule, bool> reviewer, int currentVersion)
    {
        var version = 0;
        int? decided = null;
        foreach (var entry in history.OrderBy(h => h.Seq))
        {
            // Claims, hand-overs and 调整状态 are no action of the state: they neither decide nor freeze.
            if (entry.FromState is not { } from || !definition.HasState(from) || definition.State(from) is not { } state
                || state.Action(entry.Action) is not { } action)
            {
                continue;
            }

            if (state.Actor is { } actor && reviewer(actor) && version > 0 && version < currentVersion)
            {
                decided = version;
            }

            if (action.Then.Contains(nameof(SnapshotVersion), StringComparer.Ordinal))
            {
                version++;
            }
        }

        return decided;
    }

    /// <summary>The bureau's steps (财政审核), for a bureau reviewer.</summary>
    public static bool Bureau(ActorRule actor) => actor.Scope == ActorScope.Bureau;

    /// <summary>The unit head's step (单位审核).</summary>
    public static bool UnitHead(ActorRule actor) => actor.Role == Users.Roles.UnitHead;
}
