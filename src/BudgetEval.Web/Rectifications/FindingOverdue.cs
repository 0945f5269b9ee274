using System.Linq.Expressions;
using BudgetEval.Web.Findings;

namespace BudgetEval.Web.Rectifications;

/// <summary>How a finding's deadline stands today, for the mark beside it.</summary>
internal enum DeadlineMark
{
    /// <summary>Closed, or the deadline has not passed.</summary>
    None,

    /// <summary>逾期.</summary>
    Overdue,

    /// <summary>The deadline passed while the bureau verifies a result the unit reported by then: not the unit's delay.</summary>
    ReportedOnTime,
}

/// <summary>A finding's organisation, status and 逾期 as one row of a grouped count (<see cref="FindingOverdue.Marked"/>).</summary>
internal sealed class FindingOverdueRow
{
    public Guid OrganisationId { get; init; }

    public FindingStatus Status { get; init; }

    public bool Overdue { get; init; }
}

/// <summary>
/// 逾期 of a finding, the one rule of the dashboards, the unit's list, the follow-up page, the exports and the API: not
/// closed (未整改, 整改中, 部分整改), its deadline — extended, or moved by 部分整改 — is before today (China time), and it is
/// not waiting for the bureau's verification of a result the unit reported by that deadline (the bureau's delay is not
/// the unit's). <see cref="Finding.ResultReportedOn"/> is set only while the case is in 财政核验, so a result sent back
/// (未通过, 部分整改) past its deadline is 逾期 again.
/// </summary>
internal static class FindingOverdue
{
    /// <summary>Not closed: waiting for the plan, being carried out or verified, or partly done.</summary>
    public static readonly FindingStatus[] OpenStatuses = [FindingStatus.Open, FindingStatus.InProgress, FindingStatus.Partial];

    /// <summary>Said instead of 逾期 while the bureau verifies a result reported on time.</summary>
    public const string ReportedOnTimeLabel = "已按期报送，待财政核验";

    public static bool IsOpen(FindingStatus status) => OpenStatuses.Contains(status);

    public static DeadlineMark Mark(FindingStatus status, DateOnly deadline, DateOnly? resultReportedOn, DateOnly today) =>
        !IsOpen(status) || deadline >= today ? DeadlineMark.None
        : resultReportedOn <= deadline ? DeadlineMark.ReportedOnTime
        : DeadlineMark.Overdue;

    public static DeadlineMark Mark(Finding f, DateOnly today) => Mark(f.Status, f.Deadline, f.ResultReportedOn, today);

    public static bool IsOverdue(FindingStatus status, DateOnly deadline, DateOnly? resultReportedOn, DateOnly today) =>
        Mark(status, deadline, resultReportedOn, today) == DeadlineMark.Overdue;

    public static bool IsOverdue(Finding f, DateOnly today) => Mark(f, today) == DeadlineMark.Overdue;

    /// <summary>
    /// A plan that will finish after the deadline makes the finding 逾期 by its own schedule: said to the unit (and the
    /// bureau) while it can still ask for an extension. Null when the plan fits, or the finding is no longer open.
    /// </summary>
    public static string? PlanAfterDeadline(Finding f) =>
        IsOpen(f.Status) && f.PlanDate is { } planned && planned > f.Deadline
            ? $"计划完成日期（{Shared.ChineseFormat.Date(planned)}）晚于整改期限（{Shared.ChineseFormat.Date(f.Deadline)}），按此计划将逾期；请调整计划或在期限前申请延期。"
            : null;

    /// <summary>The same rule for a query (translated to SQL).</summary>
    public static Expression<Func<Finding, bool>> On(DateOnly today) =>
        f => OpenStatuses.Contains(f.Status) && f.Deadline < today && !(f.ResultReportedOn != null && f.ResultReportedOn <= f.Deadline);

    /// <summary>
    /// Each finding as (unit, status, 逾期) for a GROUP BY that counts 逾期 beside other figures: the 逾期 column is
    /// <see cref="On"/>'s own expression, so a grouped count cannot drift from the list.
    /// </summary>
    public static Expression<Func<Finding, FindingOverdueRow>> Marked(DateOnly today)
    {
        var rule = On(today);
        var f = rule.Parameters[0];
        var row = typeof(FindingOverdueRow);
        return Expression.Lambda<Func<Finding, FindingOverdueRow>>(
            Expression.MemberInit(Expression.New(row),
                Expression.Bind(row.GetProperty(nameof(FindingOverdueRow.OrganisationId))!, Expression.Property(f, nameof(Finding.OrganisationId))),
                Expression.Bind(row.GetProperty(nameof(FindingOverdueRow.Status))!, Expression.Property(f, nameof(Finding.Status))),
                Expression.Bind(row.GetProperty(nameof(FindingOverdueRow.Overdue))!, rule.Body)),
            f);
    }
}
