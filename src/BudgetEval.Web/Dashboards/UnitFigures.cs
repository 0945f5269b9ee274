using BudgetEval.Web.Findings;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Rectifications;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Dashboards;

internal sealed record UnitTask(Guid CaseId, string Title, string Step, DateTimeOffset? DueAt, bool Overdue);

internal sealed record UnitFinding(Guid Id, string Number, string Title, string Category, string Source, DateOnly Deadline, string Status,
    [property: System.Text.Json.Serialization.JsonIgnore] DeadlineMark Mark)
{
    /// <summary>逾期 by <see cref="FindingOverdue"/>'s rule: false while the bureau verifies a result reported on time.</summary>
    public bool Overdue => Mark == DeadlineMark.Overdue;
}

internal sealed record UnitDashboard(IReadOnlyList<Chart> Charts, int TaskTotal, IReadOnlyList<UnitTask> Tasks, int FindingTotal, IReadOnlyList<UnitFinding> Findings)
{
    public Chart this[string key] => Charts.Single(c => c.Key == key);
}

/// <summary>
/// A budget unit's own dashboard: its open tasks, its findings by due date and its scores over the years.
/// Always for the caller's own organisation (the unit filter of the bureau does not exist here), and the
/// DbContext's data scope applies on top.
/// </summary>
internal sealed class UnitFigures(AppDbContext db, InboxQueries inbox, WorkflowRegistry registry, TimeProvider clock, ChinaClock china)
{
    public const int ListSize = 50;

    public async Task<UnitDashboard> LoadAsync(WorkflowActor actor, DashboardFilter filter, CancellationToken ct)
    {
        var own = actor.OrganisationId ?? Guid.Empty; // unit roles always belong to an organisation
        var now = clock.GetUtcNow();
        var today = china.Today(clock);
        var tasks = inbox.OpenFor(actor);
        var taskTotal = await tasks.CountAsync(ct);
        var taskRows = await tasks.OrderBy(w => w.DueAt == null).ThenBy(w => w.DueAt).Take(ListSize)
            .Select(w => new UnitTask(w.InstanceId, w.Title, w.StateLabel, w.DueAt, w.DueAt < now)).ToListAsync(ct);

        var mine = filter with { UnitId = own, UnitText = null };
        var findings = mine.Findings(db);
        var open = findings.Where(f => FindingOverdue.OpenStatuses.Contains(f.Status));
        var findingTotal = await open.CountAsync(ct);
        var findingRows = (await open.OrderBy(f => f.Deadline).ThenBy(f => f.Number).Take(ListSize)
                .Select(f => new { f.Id, f.Number, f.Title, f.Category, f.Source, f.Deadline, f.Status, f.ResultReportedOn }).ToListAsync(ct))
            .Select(f => new UnitFinding(f.Id, f.Number, f.Title, f.Category, FindingLabels.Source(f.Source), f.Deadline, FindingLabels.Status(f.Status),
                FindingOverdue.Mark(f.Status, f.Deadline, f.ResultReportedOn, today)))
            .ToList();
        var (funnel, _) = await FindingCharts.FunnelAsync(findings, today, ct);
        return new(new[] { await ScoresAsync(own, ct), funnel }, taskTotal, taskRows, findingTotal, findingRows);
    }

    /// <summary>
    /// 部门整体支出 scores per fiscal year: the accepted self-evaluation's total (frozen in its version) and the
    /// completed external evaluation's total (sum of its scored rows). Averaged if a year has more than one.
    /// </summary>
    private async Task<Chart> ScoresAsync(Guid own, CancellationToken ct)
    {
        var accepted = ProgressBuckets.EndStates(registry, ProgressBuckets.DefinitionId).ToArray();
        var sql = $"""
            SELECT s."FiscalYear" AS "Year", '自评' AS "Kind", round(avg((v."ContentJson"->>'totalScore')::numeric), 2) AS "Score"
            FROM {AppDbContext.Schema}.self_evaluations s
            JOIN {AppDbContext.Schema}.self_evaluation_versions v ON v."SelfEvaluationId" = s."Id" AND v."VersionNo" = s."CurrentVersion"
            WHERE s."OrganisationId" = @own AND s."Status" = ANY(@accepted) AND s."Kind" = 'DepartmentWide' AND v."ContentJson"->>'totalScore' IS NOT NULL
            GROUP BY 1
            UNION ALL
            SELECT e."FiscalYear", '重点评价', round(avg({BureauFigures.EvaluationTotalSql}), 2)
            FROM {AppDbContext.Schema}.evaluations e
            WHERE e."OrganisationId" = @own AND e."Status" = @completed AND e."Kind" = 'DepartmentWide'
            GROUP BY 1
            """;
        var rows = await db.Database.SqlQueryRaw<YearScore>(sql, new Npgsql.NpgsqlParameter("own", own), new Npgsql.NpgsqlParameter("accepted", accepted),
            new Npgsql.NpgsqlParameter("completed", BureauFigures.CompletedEvaluation)).ToListAsync(ct);
        var years = rows.Select(r => r.Year).Distinct().Order().ToList();
        return new Chart("scores", "历年得分（部门整体支出）", ChartKind.Line, "年度", years.Select(y => y + "年度").ToList(),
        [
            new("自评得分", years.Select(y => rows.FirstOrDefault(r => r.Year == y && r.Kind == "自评")?.Score).ToList(), Color: ChartPalette.Navy, NumberFormat: ChartSeries.Score),
            new("重点评价得分", years.Select(y => rows.FirstOrDefault(r => r.Year == y && r.Kind == "重点评价")?.Score).ToList(), Color: ChartPalette.Orange, NumberFormat: ChartSeries.Score),
        ],
        "自评得分取财政审核通过的版本；重点评价得分取验收通过的评价报告。");
    }
}

/// <summary>A row of the score query (raw SQL over jsonb).</summary>
internal sealed class YearScore
{
    public int Year { get; set; }

    public string Kind { get; set; } = string.Empty;

    public decimal? Score { get; set; }
}
