using System.Globalization;
using BudgetEval.Web.Audit;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.SelfEvaluations.Export;

namespace BudgetEval.Web.ResultUse;

/// <summary>The year's results (or its publication list) as an .xlsx, one row per line; every export leaves an audit line.</summary>
internal static class ResultsExport
{
    public static readonly string[] Header =
    [
        "单位", "评价对象", "自评状态", "自评得分", "自评等级", "重点评价状态", "报告文号", "评价得分", "评价等级", "综合等级",
        "问题数", "已整改", "无法整改", "未整改", "逾期", "整改率", "结果应用建议", "拟公开",
    ];

    /// <summary>
    /// The lines the filter selects, written into the workbook as they are read (a province's year is 120,000
    /// lines); counted first for the audit line.
    /// </summary>
    public static async Task<byte[]> BuildAsync(ResultsReport report, AppDbContext db, int year, ResultFilter filter, bool publication,
        HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var total = await report.CountAsync(year, filter, ct);
        var what = publication ? $"{year}年度结果公开清单" : $"{year}年度评价结果";
        AuditTrail.Add(db, http, clock.GetUtcNow(), AuditActions.Export, what, $"{total} 项");
        await db.SaveChangesAsync(ct);
        return await FormWorkbook.TableAsync(publication ? "公开清单" : "评价结果", Table(report.AllAsync(year, filter, ct)),
            [28, 24, 10, 9, 8, 12, 22, 9, 8, 8, 7, 7, 8, 7, 6, 8, 40, 6]);
    }

    private static async IAsyncEnumerable<IEnumerable<string?>> Table(IAsyncEnumerable<ResultRow> rows)
    {
        string? Number(decimal? value) => value?.ToString("0.00", CultureInfo.InvariantCulture);
        string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
        yield return Header;
        await foreach (var r in rows)
        {
            yield return
            [
                r.UnitName, r.Subject, r.SelfStatusLabel, Number(r.SelfScore), r.SelfGrade, r.EvaluationStatusLabel, r.ReportNumber,
                Number(r.EvaluationScore), r.EvaluationGrade, r.FinalGrade, Count(r.Rectification.Total), Count(r.Rectification.Rectified),
                Count(r.Rectification.Unrectifiable), Count(r.Rectification.Open), Count(r.Rectification.Overdue), r.Rectification.Rate is null ? null : r.Rectification.RateText,
                r.BudgetNote, r.Published ? "是" : null,
            ];
        }
    }

    public static string FileName(int year, bool publication) => publication ? $"{year}年度评价结果公开清单.xlsx" : $"{year}年度评价结果.xlsx";
}
