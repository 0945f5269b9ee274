using BudgetEval.Web.Audit;
using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.SelfEvaluations.Export;
using BudgetEval.Web.Shared;

namespace BudgetEval.Web.Dashboards;

/// <summary>
/// The dashboards as .xlsx: one sheet per chart with the same rows as its table (same filters), plus the
/// lists; every export leaves an audit line, like the 整改台账.
/// </summary>
internal static class DashboardExport
{
    public const string ContentType = FormWorkbook.ContentType;

    public static async Task<(byte[] Content, string FileName)> BureauAsync(AppDbContext db, BureauDashboard d, DashboardFilter filter, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        // A unit chosen by id (the API, a link) is named in the summary and the file name, not shown as its id.
        if (filter.UnitId is { } unitId)
        {
            filter = filter with { UnitText = (await Organisations.OrganisationNames.ForAsync(db, [unitId], ct)).GetValueOrDefault(unitId) ?? "（未知单位）" };
        }

        var sheets = d.Charts.Select(Sheet).ToList();
        sheets.Insert(0, ("概况", Summary(filter,
        [
            ("问题总数", d.FindingsTotal.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("整改率（%）", d.RectificationRate?.ToString(ChartSeries.Rate, System.Globalization.CultureInfo.InvariantCulture) ?? "—"),
            ("整改率口径", BureauFigures.RateFormula),
            ("重复发生问题数", d.RecurringFindings.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("逾期未完成问题数", d.Overdue.Total.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ]), [24, 60]));
        var overdue = new List<IEnumerable<string?>> { new[] { "编号", "单位", "问题", "类别", "来源", "整改期限", "状态", "逾期天数" } };
        overdue.AddRange(d.Overdue.Items.Select(o => new[] { o.Number, o.Unit, o.Title, o.Category, o.Source, ChineseFormat.Date(o.Deadline), o.Status, o.DaysOverdue.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        sheets.Add(("逾期未完成的问题", overdue, [16, 28, 36, 12, 10, 16, 10, 10]));
        var oneDecimal = OneDecimal(d.Charts);
        oneDecimal["概况"] = new HashSet<int> { 1 }; // 整改率（%）; the other figures there are counts
        return (await SaveAsync(db, http, clock, "数据看板（财政）", sheets, oneDecimal, ct), FileName(filter.UnitText, filter.Year));
    }

    public static async Task<(byte[] Content, string FileName)> UnitAsync(AppDbContext db, UnitDashboard d, DashboardFilter filter, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var sheets = d.Charts.Select(Sheet).ToList();
        var tasks = new List<IEnumerable<string?>> { new[] { "事项", "环节", "期限", "是否逾期" } };
        tasks.AddRange(d.Tasks.Select(t => new[] { t.Title, t.Step, t.DueAt is { } due ? ChineseFormat.Date(http.RequestServices.GetRequiredService<Workflows.DueDates>().DueDay(due)) : null, t.Overdue ? "逾期" : null }));
        sheets.Add(("待办事项", tasks, [40, 20, 20, 10]));
        var findings = new List<IEnumerable<string?>> { new[] { "编号", "问题", "类别", "来源", "整改期限", "状态", "是否逾期" } };
        findings.AddRange(d.Findings.Select(f => new[] { f.Number, f.Title, f.Category, f.Source, ChineseFormat.Date(f.Deadline), f.Status, Rectifications.DeadlineBadge.Text(f.Mark) }));
        sheets.Add(("未完成整改的问题", findings, [16, 40, 12, 10, 16, 10, 22]));
        sheets.Insert(0, ("概况", Summary(filter with { UnitText = http.User.OrganisationName() }, []), [24, 60]));
        return (await SaveAsync(db, http, clock, "数据看板（单位）", sheets, OneDecimal(d.Charts), ct), FileName(http.User.OrganisationName(), filter.Year));
    }

    /// <summary>长沙市望城区教育局2022年度数据看板.xlsx: the unit and year the figures are for, when chosen.</summary>
    public static string FileName(string? unit, int? year) =>
        $"{unit}{(year is { } y ? $"{y}年度" : string.Empty)}数据看板.xlsx";

    private static (string, IEnumerable<IEnumerable<string?>>, double[]) Sheet(Chart chart) =>
        (chart.Title.Length > 31 ? chart.Title[..31] : chart.Title, chart.Table(), [40, .. chart.Series.Select(_ => 14.0)]);

    private static List<IEnumerable<string?>> Summary(DashboardFilter filter, IEnumerable<(string, string)> figures)
    {
        var rows = new List<IEnumerable<string?>>
        {
            new[] { "项目", "内容" },
            new[] { "年度", filter.Year?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "全部" },
            new[] { "单位", filter.UnitText ?? "全部" },
            new[] { "问题类别", filter.Category ?? "全部" },
            new[] { "问题来源", filter.Source is { } s ? Findings.FindingLabels.Source(s) : "全部" },
        };
        rows.AddRange(figures.Select(f => new[] { f.Item1, f.Item2 }));
        return rows;
    }

    /// <summary>Per chart sheet, the columns of rates the page shows with one decimal (ChartSeries.Rate): 22.2, not 22.20.</summary>
    private static Dictionary<string, IReadOnlySet<int>> OneDecimal(IEnumerable<Chart> charts) =>
        charts.Select(c => (Name: Sheet(c).Item1, Columns: c.Series.Select((s, i) => (s, i)).Where(x => x.s.NumberFormat == ChartSeries.Rate).Select(x => x.i + 1).ToHashSet()))
            .Where(x => x.Columns.Count > 0).DistinctBy(x => x.Name).ToDictionary(x => x.Name, x => (IReadOnlySet<int>)x.Columns);

    private static async Task<byte[]> SaveAsync(AppDbContext db, HttpContext http, TimeProvider clock, string what,
        List<(string, IEnumerable<IEnumerable<string?>>, double[])> sheets, IReadOnlyDictionary<string, IReadOnlySet<int>> oneDecimal, CancellationToken ct)
    {
        AuditTrail.Add(db, http, clock.GetUtcNow(), AuditActions.Export, what, $"{sheets.Count} 个工作表");
        await db.SaveChangesAsync(ct);
        return FormWorkbook.Tables(sheets, oneDecimal);
    }
}
