using BudgetEval.Web.Audit;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.SelfEvaluations.Export;
using BudgetEval.Web.Shared;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Findings;

/// <summary>
/// 整改台账: the findings register as an .xlsx, one row per finding with its source, category, deadline,
/// status, dates, measures and verification — what the bureau files and sends on. Same filters and data
/// scope as the register; every export leaves an audit line.
/// </summary>
internal static class FindingLedger
{
    public static readonly string[] Header =
    [
        "编号", "单位", "年度", "来源", "来源文号", "类别", "问题", "具体情况", "整改建议", "整改期限", "状态",
        "整改措施", "责任人", "计划完成日期", "整改结果", "财政核验", "完成日期", "重复发生",
    ];

    /// <summary>The most a ledger holds; a wider selection is refused with a message rather than cut short silently.</summary>
    public const int MaxRows = 50_000;

    public static readonly string TooMany = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"符合条件的问题超过 {MaxRows:N0} 条，请按年度、单位、状态或来源筛选后分批导出。");

    /// <summary>The workbook, or null when the filters select more than <see cref="MaxRows"/> (see <see cref="TooMany"/>).</summary>
    public static async Task<(byte[] Content, string FileName)?> BuildAsync(AppDbContext db, IQueryable<Finding> query, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var rows = await query.OrderBy(f => f.FiscalYear).ThenBy(f => f.Number).Take(MaxRows + 1).ToListAsync(ct);
        if (rows.Count > MaxRows)
        {
            return null;
        }

        var names = await OrganisationNames.ForAsync(db, rows.Select(f => (Guid?)f.OrganisationId), ct);
        var recurring = await RecurringFindings.AmongAsync(db, rows, ct);
        string? Date(DateOnly? d) => d is { } x ? ChineseFormat.Date(x) : null;
        var table = rows.Select(f => new[]
        {
            f.Number, names[f.OrganisationId], f.FiscalYear.ToString(System.Globalization.CultureInfo.InvariantCulture),
            FindingLabels.Source(f.Source), f.SourceDocument, f.Category, f.Title, f.Detail, f.Recommendation,
            Date(f.Deadline), FindingLabels.Status(f.Status), f.PlanMeasures, f.PlanResponsible, Date(f.PlanDate),
            f.ResultText ?? f.RectifiedEvidence, f.Verification, Date(f.FinishedOn ?? f.RectifiedOn), recurring.Contains(f.Id) ? "是" : null,
        }).Prepend<IEnumerable<string?>>(Header);
        AuditTrail.Add(db, http, clock.GetUtcNow(), AuditActions.Export, "整改台账", $"{rows.Count} 条");
        await db.SaveChangesAsync(ct);
        return (FormWorkbook.Table("整改台账", table, [16, 24, 7, 10, 18, 12, 24, 36, 28, 14, 10, 30, 10, 14, 30, 24, 14, 8]),
            FileName(rows.Select(f => names[f.OrganisationId]), rows.Select(f => f.FiscalYear)));
    }

    /// <summary>
    /// 长沙市望城区社会治理服务中心2021年度整改台账.xlsx: the unit and the year when every row shares them (a unit's
    /// own ledger, a filtered one), so ledgers saved side by side in a folder tell themselves apart.
    /// </summary>
    public static string FileName(IEnumerable<string> units, IEnumerable<int> years)
    {
        var unit = units.Distinct().Take(2).ToList() is [var one] ? one : string.Empty;
        var year = years.Distinct().Take(2).ToList() is [var y] ? $"{y}年度" : string.Empty;
        return $"{unit}{year}整改台账.xlsx";
    }
}
