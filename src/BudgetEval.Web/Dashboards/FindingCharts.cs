using BudgetEval.Web.Findings;
using BudgetEval.Web.Rectifications;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Dashboards;

internal sealed record FindingCounts(int Total, int Open, int Overdue, int Partial, int Rectified, int Cannot);

/// <summary>The rectification funnel, shared by the bureau dashboard and a unit's own.</summary>
internal static class FindingCharts
{
    public const string Total = "问题总数";
    public const string Open = "未完成整改";
    public const string Overdue = "逾期未完成";
    public const string Partial = "部分整改";
    public const string Closed = "已整改";
    public const string Cannot = "无法整改";

    /// <summary>One GROUP BY over status and 逾期, the latter <see cref="FindingOverdue"/>'s own expression (<see cref="FindingOverdue.Marked"/>).</summary>
    public static async Task<(Chart Chart, FindingCounts Counts)> FunnelAsync(IQueryable<Finding> findings, DateOnly today, CancellationToken ct)
    {
        var rows = await findings.Select(FindingOverdue.Marked(today)).GroupBy(m => new { m.Status, m.Overdue })
            .Select(g => new { g.Key.Status, g.Key.Overdue, Count = g.Count() })
            .ToListAsync(ct);
        int Sum(Func<FindingStatus, bool> status, bool overdueOnly = false) => rows.Where(r => status(r.Status) && (!overdueOnly || r.Overdue)).Sum(r => r.Count);
        var counts = new FindingCounts(
            rows.Sum(r => r.Count),
            Sum(FindingOverdue.IsOpen),
            Sum(FindingOverdue.IsOpen, overdueOnly: true),
            Sum(s => s == FindingStatus.Partial),
            Sum(s => s == FindingStatus.Rectified),
            Sum(s => s == FindingStatus.Unrectifiable));
        var chart = new Chart("funnel", "问题整改漏斗", ChartKind.Funnel, "环节",
            [Total, Open, Overdue, Partial, Closed, Cannot],
            [new ChartSeries("问题数", [counts.Total, counts.Open, counts.Overdue, counts.Partial, counts.Rectified, counts.Cannot])],
            "未完成整改 = 未整改、整改中、部分整改；其中逾期 = 整改期限（含延期、部分整改后的新期限）已过，期限内已报送整改结果、待财政核验的除外。");
        return (chart, counts);
    }
}
