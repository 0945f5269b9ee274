using System.Linq.Expressions;
using BudgetEval.Web.Findings;

namespace BudgetEval.Web.Rectifications;

/// <summary>
/// 逾期 of a finding, the one rule of the dashboards, the unit's list and the follow-up page: not closed
/// (未整改, 整改中, 部分整改) and its deadline — extended, or moved by 部分整改 — is before today (China time).
/// </summary>
internal static class FindingOverdue
{
    /// <summary>Not closed: waiting for the plan, being carried out or verified, or partly done.</summary>
    public static readonly FindingStatus[] OpenStatuses = [FindingStatus.Open, FindingStatus.InProgress, FindingStatus.Partial];

    public static bool IsOpen(FindingStatus status) => OpenStatuses.Contains(status);

    public static bool IsOverdue(FindingStatus status, DateOnly deadline, DateOnly today) => IsOpen(status) && deadline < today;

    /// <summary>
    /// A plan that will finish after the deadline makes the finding 逾期 by its own schedule: said to the unit (and the
    /// bureau) while it can still ask for an extension. Null when the plan fits, or the finding is no longer open.
    /// </summary>
    public static string? PlanAfterDeadline(Finding f) =>
        IsOpen(f.Status) && f.PlanDate is { } planned && planned > f.Deadline
            ? $"计划完成日期（{Shared.ChineseFormat.Date(planned)}）晚于整改期限（{Shared.ChineseFormat.Date(f.Deadline)}），按此计划将逾期；请调整计划或在期限前申请延期。"
            : null;

    /// <summary>The same rule for a query (translated to SQL).</summary>
    public static Expression<Func<Finding, bool>> On(DateOnly today) => f => OpenStatuses.Contains(f.Status) && f.Deadline < today;
}
