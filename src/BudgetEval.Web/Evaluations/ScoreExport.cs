using System.Globalization;
using BudgetEval.Web.Audit;
using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.SelfEvaluations.Export;
using BudgetEval.Web.SelfEvaluations.Import;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Evaluations;

internal sealed record ExportedFile(byte[] Content, string ContentType, string Name);

/// <summary>
/// The score table as .xlsx (the form the import takes back) or UTF-8 .csv, for the API and the page
/// alike, ending with the 总分 row; every export leaves an audit line. Null when the caller may not see the report.
/// </summary>
internal static class ScoreExport
{
    /// <summary>分值 and 得分: every number of these columns with two decimals, as the report's table shows them.</summary>
    private static readonly IReadOnlySet<int> ScoreColumns = new HashSet<int> { 3, 4 };

    public static async Task<ExportedFile?> FileAsync(AppDbContext db, DataScopeAccessor scope, HttpContext http, TimeProvider clock, Guid id, string format, CancellationToken ct)
    {
        if (await db.Evaluations.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct) is not { } e || !EvaluationService.MaySeeReport(e, scope.Current))
        {
            return null;
        }

        await AuditTrail.ExportedAsync(db, http, clock, e.Title, $"评价指标评分表（{format.ToUpperInvariant()}）", ct);

        // The 总分 row as in the report's 附表 (89.80, 良), so the file shows what was scored; the import stops at
        // it. While rows are unscored there is no total or grade yet, only the weights.
        var sheet = EvaluationSubject.Sheet(e);
        var complete = sheet.Incomplete.Count == 0;
        var table = ScoreFile.Table(e.Rows).Append(
        [
            "总分", null, null, sheet.WeightTotal.ToString("0.##", CultureInfo.InvariantCulture),
            complete ? sheet.Total.ToString("0.00", CultureInfo.InvariantCulture) : null, complete ? $"等级：{sheet.Grade}" : null, null, null,
        ]);
        return format == "xlsx"
            ? new ExportedFile(FormWorkbook.Table("评分表", table, [10, 14, 22, 8, 8, 40, 30, 40], ScoreColumns), FormWorkbook.ContentType, $"{e.Title}-评分表.xlsx")
            : new ExportedFile(System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(CsvText.Write(table))).ToArray(),
                "text/csv; charset=utf-8", $"{e.Title}-评分表.csv");
    }
}
