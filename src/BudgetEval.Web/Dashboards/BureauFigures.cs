using BudgetEval.Web.Findings;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Plans;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Dashboards;

/// <summary>One overdue finding in the bureau's list (oldest deadline first).</summary>
internal sealed record OverdueFinding(Guid Id, string Number, string Title, string Unit, string Category, string Source, DateOnly Deadline, string Status, int DaysOverdue);

internal sealed record OverduePage(int Total, int Page, int PageSize, IReadOnlyList<OverdueFinding> Items)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

internal sealed record BureauDashboard(IReadOnlyList<Chart> Charts, int FindingsTotal, int RecurringFindings, decimal? RectificationRate, int UnitsWithFindings, OverduePage Overdue)
{
    /// <summary>When the figures were computed (they may be reused for <see cref="DashboardOptions.CacheSeconds"/>).</summary>
    public DateTimeOffset ComputedAt { get; init; }

    public Chart this[string key] => Charts.Single(c => c.Key == key);
}

/// <summary>
/// The bureau dashboard's figures. Every number is a GROUP BY or a count in PostgreSQL (about a dozen
/// queries, none loading case rows), and every list is bounded, so the page costs the same for 12 units or
/// 30,000. The bureau sees every organisation, so the query filters never hide a row here.
/// </summary>
internal sealed class BureauFigures(AppDbContext db, WorkflowRegistry registry, TimeProvider clock, ChinaClock china,
    FigureReader<DashboardFilter, BureauDashboard> reader, Microsoft.Extensions.Options.IOptions<DashboardOptions> options)
{
    /// <summary>Units listed in the by-unit rate chart (lowest rate first); the export takes up to <see cref="ExportRows"/>.</summary>
    public const int ChartUnits = 20;

    /// <summary>The export's bound for the by-unit rates and the overdue list (still a bounded read).</summary>
    public const int ExportRows = 50_000;

    public static readonly string[] Grades = ["优", "良", "中", "差"];

    public const string Ungraded = "未评分";

    /// <summary>The end state of workflows/external-evaluation.v1.yaml with an accepted report (the other end, dropped, has none).</summary>
    public const string CompletedEvaluation = "completed";

    /// <summary>An evaluation's total in SQL: the sum of its scored rows (jsonb), as the score table adds them.</summary>
    public const string EvaluationTotalSql = """(SELECT COALESCE(sum((r->>'score')::numeric), 0) FROM jsonb_array_elements(e."RowsJson") r)""";

    public const string RateFormula = "整改率 = 已整改问题数 ÷（问题总数 − 无法整改问题数）× 100%";

    /// <summary>The page's figures, or for the export every unit's rate and every overdue finding (up to <see cref="ExportRows"/>).</summary>
    public async Task<BureauDashboard> LoadAsync(DashboardFilter filter, bool forExport, CancellationToken ct)
    {
        if (forExport)
        {
            return await ComputeAsync(filter, forExport, ct) with { ComputedAt = clock.GetUtcNow() }; // a file someone keeps: always fresh
        }

        // The last figures at once; older than the setting, they are recounted in the background (FigureReader).
        var (figures, at) = await reader.GetAsync(filter, TimeSpan.FromSeconds(options.Value.CacheSeconds),
            (services, c) => SingleWorker.RunAsync(services.GetRequiredService<AppDbContext>(),
                t => services.GetRequiredService<BureauFigures>().ComputeAsync(filter, false, t), c));
        return figures with { ComputedAt = at };
    }

    private async Task<BureauDashboard> ComputeAsync(DashboardFilter filter, bool forExport, CancellationToken ct)
    {
        var today = china.Today(clock);
        var charts = new List<Chart>
        {
            await ProgressAsync(filter, ct),
            await SelfEvaluationGradesAsync(filter, ct),
            await EvaluationGradesAsync(filter, ct),
            await EvaluationStatusAsync(filter, ct),
        };
        var findings = filter.Findings(db);
        var (funnel, counts) = await FindingCharts.FunnelAsync(findings, today, ct);
        charts.Add(funnel);
        var (byUnit, units) = await RateByUnitAsync(findings, forExport ? ExportRows : ChartUnits, ct);
        charts.Add(byUnit);
        charts.Add(await RateByCategoryAsync(findings, ct));

        var recurring = await findings.CountAsync(f => db.Findings.Any(p => p.OrganisationId == f.OrganisationId && p.Category == f.Category && p.FiscalYear == f.FiscalYear - 1), ct);
        return new(charts, counts.Total, recurring, Rate(counts.Rectified, counts.Total - counts.Cannot), units, await OverdueAsync(findings, forExport ? 1 : filter.Page, forExport ? ExportRows : DashboardFilter.PageSize, today, ct));
    }

    public static decimal? Rate(int rectified, int applicable) =>
        applicable <= 0 ? null : Math.Round(100m * rectified / applicable, 1, MidpointRounding.AwayFromZero);

    private async Task<Chart> ProgressAsync(DashboardFilter filter, CancellationToken ct)
    {
        var buckets = ProgressBuckets.Of(registry);
        var ends = ProgressBuckets.EndStates(registry, ProgressBuckets.DefinitionId);
        var now = clock.GetUtcNow();
        var selfEvaluations = filter.ByYearAndUnit(db, db.SelfEvaluations.AsNoTracking(), s => s.FiscalYear, s => s.OrganisationId);
        var rows = await (
                from s in selfEvaluations
                join i in db.WorkflowInstances on s.CaseId equals (Guid?)i.Id into cases
                from i in cases.DefaultIfEmpty()
                group new { Overdue = i != null && i.DueAt < now && !ends.Contains(s.Status) } by new { s.PlanId, s.Status } into g
                select new { g.Key.PlanId, g.Key.Status, Count = g.Count(), Overdue = g.Sum(x => x.Overdue ? 1 : 0) })
            .ToListAsync(ct);

        var planIds = rows.Select(r => r.PlanId).OfType<Guid>().Distinct().ToList();
        var plans = await db.Plans.AsNoTracking().Where(p => planIds.Contains(p.Id))
            .Select(p => new { p.Id, p.FiscalYear, p.Title }).ToListAsync(ct);
        var order = plans.OrderByDescending(p => p.FiscalYear).ThenBy(p => p.Title, StringComparer.Ordinal)
            .Select(p => ((Guid?)p.Id, p.Title)).ToList();
        if (rows.Any(r => r.PlanId is null))
        {
            order.Add((null, "未关联计划的自评"));
        }

        var series = ProgressBuckets.All.Select(b => new ChartSeries(b.Label,
            order.Select(p => (decimal?)rows.Where(r => r.PlanId == p.Item1 && buckets.GetValueOrDefault(r.Status, ProgressBucket.NotSubmitted) == b.Bucket).Sum(r => r.Count)).ToList(),
            Color: b.Color)).ToList();
        series.Add(new ChartSeries("逾期", order.Select(p => (decimal?)rows.Where(r => r.PlanId == p.Item1).Sum(r => r.Overdue)).ToList(), Plot: false));
        return new Chart("progress", "自评进度（按评价计划）", ChartKind.StackedBar, "评价计划", order.Select(p => p.Item2).ToList(), series,
            "逾期：尚未办结且已过当前环节期限（草稿为计划截止日，审核为办理时限）的自评，跨各状态计数。");
    }

    private async Task<Chart> SelfEvaluationGradesAsync(DashboardFilter filter, CancellationToken ct)
    {
        // The grade is frozen in the submitted version's content (computed with the plan's own boundaries);
        // jsonb is read in SQL, so the raw query applies the year/unit conditions itself.
        var accepted = ProgressBuckets.EndStates(registry, ProgressBuckets.DefinitionId).ToArray();
        var (where, parameters) = filter.SqlWhere("s");
        parameters.Add(new("accepted", accepted));
        var sql = $"""
            SELECT s."FiscalYear" AS "Year", COALESCE(v."ContentJson"->>'grade', '{Ungraded}') AS "Grade", count(*)::int AS "Count"
            FROM {AppDbContext.Schema}.self_evaluations s
            JOIN {AppDbContext.Schema}.self_evaluation_versions v ON v."SelfEvaluationId" = s."Id" AND v."VersionNo" = s."CurrentVersion"
            WHERE s."Status" = ANY(@accepted){where}
            GROUP BY 1, 2
            """;
        var rows = await db.Database.SqlQueryRaw<YearGradeCount>(sql, parameters.ToArray()).ToListAsync(ct);
        return GradeChart("selfGrades", "自评等级分布（已通过审核）", rows);
    }

    private async Task<Chart> EvaluationGradesAsync(DashboardFilter filter, CancellationToken ct)
    {
        // An evaluation's total is the sum of its scored rows (jsonb); graded with the boundaries the
        // evaluation pages use (ScoringRules.Default).
        var grades = ScoringRules.Default.Grades;
        var (where, parameters) = filter.SqlWhere("e");
        parameters.Add(new("excellent", grades.Excellent));
        parameters.Add(new("good", grades.Good));
        parameters.Add(new("pass", grades.Pass));
        parameters.Add(new("done", CompletedEvaluation));
        var sql = $"""
            SELECT t."Year", CASE WHEN t.total >= @excellent THEN '优' WHEN t.total >= @good THEN '良' WHEN t.total >= @pass THEN '中' ELSE '差' END AS "Grade", count(*)::int AS "Count"
            FROM (SELECT e."FiscalYear" AS "Year",
                         {EvaluationTotalSql} AS total
                  FROM {AppDbContext.Schema}.evaluations e
                  WHERE e."Status" = @done{where}) t
            GROUP BY 1, 2
            """;
        var rows = await db.Database.SqlQueryRaw<YearGradeCount>(sql, parameters.ToArray()).ToListAsync(ct);
        return GradeChart("evaluationGrades", "重点评价等级分布（已完成）", rows);
    }

    private static Chart GradeChart(string key, string title, IReadOnlyList<YearGradeCount> rows)
    {
        var years = rows.Select(r => r.Year).Distinct().Order().ToList();
        var grades = Grades.Concat(rows.Any(r => r.Grade == Ungraded) ? [Ungraded] : Array.Empty<string>()).ToList();
        var colors = new Dictionary<string, string> { ["优"] = ChartPalette.Green, ["良"] = ChartPalette.Blue, ["中"] = ChartPalette.Orange, ["差"] = ChartPalette.Red, [Ungraded] = ChartPalette.Grey };
        var series = grades.Select(g => new ChartSeries(g, years.Select(y => (decimal?)rows.Where(r => r.Year == y && r.Grade == g).Sum(r => r.Count)).ToList(), Color: colors[g])).ToList();
        return new Chart(key, title, ChartKind.StackedBar, "年度", years.Select(y => y + "年度").ToList(), series,
            grades.Contains(Ungraded) ? "未评分：早期手工登记、没有指标表的自评。" : null);
    }

    private async Task<Chart> EvaluationStatusAsync(DashboardFilter filter, CancellationToken ct)
    {
        var evaluations = filter.ByYearAndUnit(db, db.Evaluations.AsNoTracking(), e => e.FiscalYear, e => e.OrganisationId);
        var counts = await evaluations.GroupBy(e => e.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var states = registry.Latest("external-evaluation").States;
        return new Chart("evaluationStatus", "重点评价进展（按环节）", ChartKind.Bar, "环节",
            states.Select(s => s.Label).ToList(),
            [new ChartSeries("评价数", states.Select(s => (decimal?)counts.GetValueOrDefault(s.Id)).ToList())]);
    }

    private async Task<(Chart Chart, int Units)> RateByUnitAsync(IQueryable<Finding> findings, int limit, CancellationToken ct)
    {
        var grouped = findings.GroupBy(f => f.OrganisationId).Select(g => new
        {
            Id = g.Key,
            Total = g.Count(),
            Rectified = g.Count(f => f.Status == FindingStatus.Rectified),
            Cannot = g.Count(f => f.Status == FindingStatus.Unrectifiable),
        });
        var units = await grouped.CountAsync(ct);
        var rows = await grouped
            .OrderBy(x => x.Total == x.Cannot ? 2m : (decimal)x.Rectified / (x.Total - x.Cannot))
            .ThenByDescending(x => x.Total).ThenBy(x => x.Id)
            .Take(limit).ToListAsync(ct);
        var names = await OrganisationNames.ForAsync(db, rows.Select(r => (Guid?)r.Id), ct);
        return (new Chart("rateByUnit", "整改率（按单位，由低到高）", ChartKind.Bar, "单位", rows.Select(r => names.GetValueOrDefault(r.Id, "—")).ToList(),
            [
                new("整改率（%）", rows.Select(r => Rate(r.Rectified, r.Total - r.Cannot)).ToList(), NumberFormat: ChartSeries.Rate),
                new("问题总数", rows.Select(r => (decimal?)r.Total).ToList(), Plot: false),
                new("已整改", rows.Select(r => (decimal?)r.Rectified).ToList(), Plot: false),
                new("无法整改", rows.Select(r => (decimal?)r.Cannot).ToList(), Plot: false),
            ],
            units > rows.Count ? $"共 {units} 个单位有问题，此处列出整改率最低的 {rows.Count} 个；完整数据见 Excel 导出。" : null), units);
    }

    private static async Task<Chart> RateByCategoryAsync(IQueryable<Finding> findings, CancellationToken ct)
    {
        var rows = await findings.GroupBy(f => f.Category).Select(g => new
        {
            Category = g.Key,
            Total = g.Count(),
            Rectified = g.Count(f => f.Status == FindingStatus.Rectified),
            Cannot = g.Count(f => f.Status == FindingStatus.Unrectifiable),
        }).OrderBy(x => x.Category).Take(200).ToListAsync(ct);
        return new Chart("rateByCategory", "整改率（按问题类别）", ChartKind.Bar, "问题类别", rows.Select(r => r.Category).ToList(),
        [
            new("整改率（%）", rows.Select(r => Rate(r.Rectified, r.Total - r.Cannot)).ToList(), NumberFormat: ChartSeries.Rate),
            new("问题总数", rows.Select(r => (decimal?)r.Total).ToList(), Plot: false),
            new("已整改", rows.Select(r => (decimal?)r.Rectified).ToList(), Plot: false),
            new("无法整改", rows.Select(r => (decimal?)r.Cannot).ToList(), Plot: false),
        ]);
    }

    private async Task<OverduePage> OverdueAsync(IQueryable<Finding> findings, int page, int pageSize, DateOnly today, CancellationToken ct)
    {
        var overdue = findings.Where(Rectifications.FindingOverdue.On(today));
        var total = await overdue.CountAsync(ct);
        var rows = await overdue.OrderBy(f => f.Deadline).ThenBy(f => f.Number)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(f => new { f.Id, f.Number, f.Title, f.OrganisationId, f.Category, f.Source, f.Deadline, f.Status })
            .ToListAsync(ct);
        var names = await OrganisationNames.ForAsync(db, rows.Select(r => (Guid?)r.OrganisationId), ct);
        return new OverduePage(total, page, pageSize, rows.Select(r => new OverdueFinding(r.Id, r.Number, r.Title,
            names.GetValueOrDefault(r.OrganisationId, "—"), r.Category, FindingLabels.Source(r.Source), r.Deadline, FindingLabels.Status(r.Status),
            today.DayNumber - r.Deadline.DayNumber)).ToList());
    }
}

/// <summary>A row of the grade queries (raw SQL over jsonb); the column aliases match the property names.</summary>
internal sealed class YearGradeCount
{
    public int Year { get; set; }

    public string Grade { get; set; } = string.Empty;

    public int Count { get; set; }
}
