using System.Globalization;
using BudgetEval.Web.Audit;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.SelfEvaluations.Export;
using BudgetEval.Web.Shared;

namespace BudgetEval.Web.Oversight;

/// <summary>逾期督办清单 as .xlsx: the list the officer works down by phone, the same columns as the page.</summary>
internal static class OverdueExport
{
    public const string ContentType = FormWorkbook.ContentType;

    public static readonly string[] Header = ["事项", "单位", "流程", "环节", "办理方", "办理人", "办理期限", "逾期（工作日）", "最近提醒"];

    public static readonly string TooMany = string.Create(CultureInfo.InvariantCulture,
        $"符合条件的逾期事项超过 {OverdueTasks.MaxExportRows:N0} 项，请按流程、办理方或单位筛选后分批导出。");

    public static async Task<(byte[] Content, string FileName)> BuildAsync(AppDbContext db, IReadOnlyList<OverdueTask> rows, HttpContext http, TimeProvider clock, DateOnly today, CancellationToken ct)
    {
        var table = rows.Select(t => new[]
        {
            t.Title, t.Unit, t.Flow, t.StateLabel, t.WaitingOn.Label(), t.Holder, ChineseFormat.Date(t.DueDay),
            t.OverdueWorkingDays.ToString(CultureInfo.InvariantCulture), Reminded(t),
        }).Prepend<IEnumerable<string?>>(Header);
        await AuditTrail.ExportedAsync(db, http, clock, "逾期督办清单", $"{rows.Count} 项", ct);
        return (FormWorkbook.Table("逾期督办", table, [44, 28, 14, 16, 12, 36, 16, 12, 22]), $"逾期督办清单（{ChineseFormat.Date(today)}）.xlsx");
    }

    /// <summary>e.g. 2026年11月23日 逾期提醒, or 未提醒.</summary>
    public static string Reminded(OverdueTask t) => t.LastReminded is { } d ? $"{ChineseFormat.Date(d)} {t.LastReminder}" : "未提醒";
}
