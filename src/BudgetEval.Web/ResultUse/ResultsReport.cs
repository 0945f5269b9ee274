using System.Globalization;
using BudgetEval.Web.Evaluations;
using BudgetEval.Web.Findings;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Plans;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.ResultUse;

/// <summary>A unit's findings in the follow-up window and its rectification rate (整改率).</summary>
internal sealed record UnitRectification(int Total, int Rectified, int Unrectifiable, int Open, int Overdue)
{
    public static readonly UnitRectification None = new(0, 0, 0, 0, 0);

    /// <summary>已整改 ÷ (问题总数 − 经认可的无法整改); null when nothing was to be rectified.</summary>
    public decimal? Rate => Total - Unrectifiable is > 0 and var due ? Money.RoundRate((decimal)Rectified / due) : null;

    /// <summary>One decimal, as the dashboard shows the same figure (22.2%).</summary>
    public string RateText => Rate is { } r ? Math.Round(r * 100m, 1, MidpointRounding.AwayFromZero).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%" : "—";
}

/// <summary>
/// One line of the results (结果应用) for a fiscal year: a unit's 部门整体 or one project, with the accepted
/// self-evaluation's score and grade, the completed external evaluation's, the unit's rectification record
/// and the suggested budget note. <c>HasResult</c>: the self-evaluation was accepted or the evaluation completed,
/// so there is something to publish (rows frozen before it existed read false: an approved year is locked anyway).
/// </summary>
internal sealed record ResultRow(
    string SubjectKind,
    Guid SubjectId,
    Guid OrganisationId,
    string UnitName,
    EvaluationKind Kind,
    string? ProjectName,
    Guid? SelfEvaluationId,
    string? SelfStatusLabel,
    bool SelfLate,
    decimal? SelfScore,
    string? SelfGrade,
    Guid? EvaluationId,
    string? EvaluationStatusLabel,
    string? ReportNumber,
    decimal? EvaluationScore,
    string? EvaluationGrade,
    UnitRectification Rectification,
    string BudgetNote,
    bool Published,
    bool HasResult = false,
    string? SelfStatus = null,
    string? EvaluationStatus = null)
{
    public const string SelfEvaluationSubject = "SelfEvaluation";

    public const string EvaluationSubject = "Evaluation";

    /// <summary>The grade the note is based on: the external evaluation's when there is one, else the accepted self-evaluation's.</summary>
    public string? FinalGrade => EvaluationGrade ?? SelfGrade;

    public string Subject => ProjectName is { Length: > 0 } p ? $"项目支出：{p}" : "部门整体支出";
}

/// <summary>What the results page filters on, in a live line and in a frozen one.</summary>
internal interface IResultLine
{
    string UnitName { get; }

    string Kind { get; }

    bool Published { get; }
}

/// <summary>The filters of the results page; all optional.</summary>
internal sealed record ResultFilter(string? Unit = null, EvaluationKind? Kind = null, bool PublishedOnly = false)
{
    /// <summary>The unit filter trimmed; null when blank.</summary>
    public string? UnitText => string.IsNullOrWhiteSpace(Unit) ? null : Unit.Trim();

    /// <summary>The kind as the database stores it.</summary>
    public string? KindName => Kind?.ToString();
}

/// <summary>
/// Builds the results of a year from the register. Scores are read, never recomputed: a self-evaluation's
/// is the one frozen in the version the bureau accepted; an evaluation's comes from its scored table once
/// completed. The rows are paged in SQL, so a province-sized year reads one page at a time.
/// </summary>
internal sealed class ResultsReport(AppDbContext db, Workflows.WorkflowRegistry registry, Shared.ChinaClock china, TimeProvider clock)
{
    /// <summary>Findings of the evaluated year and the two before it count towards the rate (the follow-up window).</summary>
    public const int WindowYears = 3;

    public const int PageSize = 50;

    /// <summary>
    /// One joined line as SQL returns it. Scores are added afterwards for the page's lines only (the accepted
    /// version's JSON, an evaluation's table): read for every line of a province's year, they made each page take a second.
    /// </summary>
    internal sealed record Line(Guid? SelfId, Guid? EvaluationId, Guid OrganisationId, string UnitName, string Kind, string Project,
        string? SelfStatus, bool SelfLate, string? EvaluationStatus, string? ReportNumber, bool Published) : IResultLine;

    /// <summary>The score and grade frozen in the version the bureau accepted.</summary>
    internal sealed record FrozenScore(Guid Id, decimal? Score, string? Grade);

    /// <summary>A page of the year's rows (take null: all of them, for the printed annex; the export streams them with AllAsync) and how many there are.</summary>
    public async Task<(IReadOnlyList<ResultRow> Rows, int Total)> BuildAsync(int year, ResultFilter filter, int skip, int? take, CancellationToken ct)
    {
        var query = Filtered(Lines(year), filter);
        var total = await query.CountAsync(ct);
        var lines = await Slice(Ordered(query), skip, take).ToListAsync(ct);
        return (await CompleteAsync(year, lines, ct), total);
    }

    private static IQueryable<T> Slice<T>(IQueryable<T> ordered, int skip, int? take) =>
        take is { } t ? ordered.Skip(skip).Take(t) : ordered.Skip(skip);

    private static IQueryable<Line> Ordered(IQueryable<Line> lines) =>
        lines.OrderBy(l => l.UnitName).ThenBy(l => l.Kind).ThenBy(l => l.Project).ThenBy(l => l.SelfId);

    /// <summary>The page's filters, the same for the live lines and an approved year's frozen ones.</summary>
    private static IQueryable<T> Filtered<T>(IQueryable<T> lines, ResultFilter filter)
        where T : IResultLine
    {
        if (filter.UnitText is { } unit)
        {
            var pattern = UnitPattern(unit);
            lines = lines.Where(l => EF.Functions.ILike(l.UnitName, pattern));
        }

        if (filter.KindName is { } kind)
        {
            lines = lines.Where(l => l.Kind == kind);
        }

        return filter.PublishedOnly ? lines.Where(l => l.Published) : lines;
    }

    /// <summary>"Contains", as an ILIKE pattern with the wildcards of the text escaped.</summary>
    private static string UnitPattern(string unit) =>
        "%" + unit.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";

    /// <summary>Lines completed this many at a time when a year is frozen, so a province's year is never all in memory.</summary>
    internal const int FreezeChunk = 5000;

    /// <summary>
    /// Freezes the year's rows as they stand now into <see cref="ResultApprovalRow"/>, in the order the page shows
    /// them, with COPY on the context's connection: the caller's transaction (which holds the approval) covers
    /// them. Returns how many lines were frozen.
    /// </summary>
    public async Task<int> FreezeAsync(int year, CancellationToken ct)
    {
        var connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
        var seq = 0;
        await foreach (var rows in LiveChunksAsync(year, new ResultFilter(), ct))
        {
            await using var copy = await connection.BeginBinaryImportAsync(
                """COPY budgeteval.result_approval_rows ("FiscalYear", "Seq", "UnitName", "Kind", "Published", "RowJson") FROM STDIN (FORMAT BINARY)""", ct);
            foreach (var row in rows)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(year, NpgsqlTypes.NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(++seq, NpgsqlTypes.NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(row.UnitName, NpgsqlTypes.NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(row.Kind.ToString(), NpgsqlTypes.NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(row.Published, NpgsqlTypes.NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(System.Text.Json.JsonSerializer.Serialize(row, FrozenJson), NpgsqlTypes.NpgsqlDbType.Jsonb, ct);
            }

            await copy.CompleteAsync(ct);
        }

        return seq;
    }

    /// <summary>
    /// Every row of the year the filter selects, in the page's order, read a chunk at a time: what the export
    /// writes (a province's year is 120,000 lines, and held whole it took most of a gigabyte). An approved
    /// year's frozen rows are streamed as they are read.
    /// </summary>
    public async IAsyncEnumerable<ResultRow> AllAsync(int year, ResultFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        if (await IsApprovedAsync(year, ct))
        {
            await foreach (var json in FrozenRows(year, filter).OrderBy(r => r.Seq).Select(r => r.RowJson).AsAsyncEnumerable().WithCancellation(ct))
            {
                yield return Thaw(json);
            }

            yield break;
        }

        await foreach (var rows in LiveChunksAsync(year, filter, ct))
        {
            foreach (var row in rows)
            {
                yield return row;
            }
        }
    }

    /// <summary>The live rows the filter selects, in order, completed <see cref="FreezeChunk"/> at a time.</summary>
    private async IAsyncEnumerable<IReadOnlyList<ResultRow>> LiveChunksAsync(int year, ResultFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var lines = await Ordered(Filtered(Lines(year), filter)).ToListAsync(ct);
        foreach (var chunk in lines.Chunk(FreezeChunk))
        {
            yield return await CompleteAsync(year, chunk, ct);
        }
    }

    /// <summary>How many lines the filter selects (frozen ones once the year is approved), without reading them.</summary>
    public async Task<int> CountAsync(int year, ResultFilter filter, CancellationToken ct) =>
        await IsApprovedAsync(year, ct) ? await FrozenRows(year, filter).CountAsync(ct) : await Filtered(Lines(year), filter).CountAsync(ct);

    private Task<bool> IsApprovedAsync(int year, CancellationToken ct) => db.Set<ResultApproval>().AsNoTracking().AnyAsync(a => a.FiscalYear == year, ct);

    private IQueryable<ResultApprovalRow> FrozenRows(int year, ResultFilter filter) =>
        Filtered(db.Set<ResultApprovalRow>().AsNoTracking().Where(r => r.FiscalYear == year), filter);

    private static ResultRow Thaw(string json) => System.Text.Json.JsonSerializer.Deserialize<ResultRow>(json, FrozenJson)!;

    /// <summary>
    /// Self-evaluations and evaluations of the year, matched on unit, kind and project (an evaluation of a
    /// target without a self-evaluation is a line of its own). Raw SQL because the accepted score sits in the
    /// frozen version's JSON; EF composes the filters, order and paging around it.
    /// </summary>
    private IQueryable<Line> Lines(int year) => db.Database.SqlQuery<Line>($"""
        WITH se AS (
            SELECT s."Id", s."OrganisationId", s."Kind", coalesce(s."ProjectName", '') AS project, s."Status", s."IsLate"
            FROM budgeteval.self_evaluations s
            WHERE s."FiscalYear" = {year}),
        ev AS (
            SELECT e."Id", e."OrganisationId", e."Kind", coalesce(e."ProjectName", '') AS project, e."Status", e."ReportNumber"
            FROM budgeteval.evaluations e
            WHERE e."FiscalYear" = {year} AND e."Status" <> 'dropped')
        SELECT se."Id" AS "SelfId", ev."Id" AS "EvaluationId", o."Id" AS "OrganisationId", o."Name" AS "UnitName",
               coalesce(se."Kind", ev."Kind") AS "Kind", coalesce(se.project, ev.project) AS "Project",
               se."Status" AS "SelfStatus", coalesce(se."IsLate", false) AS "SelfLate",
               ev."Status" AS "EvaluationStatus", ev."ReportNumber" AS "ReportNumber",
               p."Id" IS NOT NULL AS "Published"
        FROM se FULL OUTER JOIN ev ON ev."OrganisationId" = se."OrganisationId" AND ev."Kind" = se."Kind" AND ev.project = se.project
        JOIN budgeteval.organisations o ON o."Id" = coalesce(se."OrganisationId", ev."OrganisationId")
        LEFT JOIN budgeteval.result_publications p
               ON p."SubjectKind" = CASE WHEN se."Id" IS NULL THEN 'Evaluation' ELSE 'SelfEvaluation' END AND p."SubjectId" = coalesce(se."Id", ev."Id")
        """);

    private async Task<IReadOnlyList<ResultRow>> CompleteAsync(int year, IReadOnlyList<Line> lines, CancellationToken ct)
    {
        var evaluationIds = lines.Where(l => l.EvaluationStatus == Completed && l.EvaluationId is not null).Select(l => l.EvaluationId!.Value).ToList();
        var sheets = (await db.Evaluations.AsNoTracking().Where(e => evaluationIds.Contains(e.Id)).ToListAsync(ct))
            .ToDictionary(e => e.Id, Evaluations.EvaluationSubject.Sheet);
        var rectification = await RectificationAsync(year, lines.Select(l => l.OrganisationId).Distinct().ToList(), ct);
        var accepted = lines.Where(l => l.SelfStatus == Accepted && l.SelfId is not null).Select(l => l.SelfId!.Value).ToArray();
        var frozen = accepted.Length == 0 ? new Dictionary<Guid, FrozenScore>() : await db.Database.SqlQuery<FrozenScore>($"""
            SELECT s."Id", (v."ContentJson" ->> 'totalScore')::numeric AS "Score", v."ContentJson" ->> 'grade' AS "Grade"
            FROM budgeteval.self_evaluations s
            JOIN budgeteval.self_evaluation_versions v ON v."SelfEvaluationId" = s."Id" AND v."VersionNo" = s."LastReviewedVersion"
            WHERE s."Id" = ANY({accepted})
            """).ToDictionaryAsync(f => f.Id, ct);
        var rules = await ResultRules.LoadAsync(db, ct);
        var selfStates = registry.Latest(SelfEvaluations.SelfEvaluationService.WorkflowId).States.ToDictionary(s => s.Id, s => s.Label);
        var evaluationStates = registry.Latest(EvaluationService.WorkflowId).States.ToDictionary(s => s.Id, s => s.Label);
        string? Label(IReadOnlyDictionary<string, string> states, string? state) => state is null ? null : states.GetValueOrDefault(state, state);
        return lines.Select(l =>
        {
            var sheet = l.EvaluationId is { } id ? sheets.GetValueOrDefault(id) : null;
            var rect = rectification.GetValueOrDefault(l.OrganisationId, UnitRectification.None);
            var self = l.SelfId is { } selfId ? frozen.GetValueOrDefault(selfId) : null;
            var grade = sheet?.Grade ?? self?.Grade;
            return new ResultRow(
                l.SelfId is null ? ResultRow.EvaluationSubject : ResultRow.SelfEvaluationSubject,
                l.SelfId ?? l.EvaluationId!.Value, l.OrganisationId, l.UnitName, Enum.Parse<EvaluationKind>(l.Kind), l.Project is { Length: > 0 } p ? p : null,
                l.SelfId, Label(selfStates, l.SelfStatus), l.SelfLate, self?.Score is { } s ? Money.Round(s) : null, self?.Grade,
                l.EvaluationId, Label(evaluationStates, l.EvaluationStatus), l.ReportNumber, sheet?.Total, sheet?.Grade,
                rect, rules.Suggest(grade, rect.Rate), l.Published, l.SelfStatus == Accepted || l.EvaluationStatus == Completed, l.SelfStatus, l.EvaluationStatus);
        }).ToList();
    }

    /// <summary>Per unit: its findings of the window, counted in the database, and how many are overdue today.</summary>
    public async Task<IReadOnlyDictionary<Guid, UnitRectification>> RectificationAsync(int year, IReadOnlyList<Guid> organisations, CancellationToken ct)
    {
        var today = china.Today(clock);
        var counts = await db.Findings.AsNoTracking()
            .Where(f => organisations.Contains(f.OrganisationId) && f.FiscalYear > year - WindowYears && f.FiscalYear <= year)
            .Select(Rectifications.FindingOverdue.Marked(today)) // the dashboards' 逾期 rule, inside this grouped count
            .GroupBy(m => m.OrganisationId)
            .Select(g => new
            {
                g.Key,
                Total = g.Count(),
                Rectified = g.Count(m => m.Status == FindingStatus.Rectified),
                Unrectifiable = g.Count(m => m.Status == FindingStatus.Unrectifiable),
                Overdue = g.Count(m => m.Overdue),
            }).ToListAsync(ct);
        return counts.ToDictionary(c => c.Key, c => new UnitRectification(c.Total, c.Rectified, c.Unrectifiable, c.Total - c.Rectified - c.Unrectifiable, c.Overdue));
    }

    /// <summary>
    /// A year's live lines, and how many of them have no result yet (neither an accepted self-evaluation nor a
    /// completed evaluation): what the lead should know before approving the year, since those lines are frozen as 未定.
    /// </summary>
    public async Task<(int Lines, int WithoutResult)> ResultCountsAsync(int year, CancellationToken ct)
    {
        // One pass over the year's lines (a province's year has 120,000).
        var counts = await Lines(year).GroupBy(l => 1)
            .Select(g => new { Lines = g.Count(), WithoutResult = g.Count(l => l.SelfStatus != Accepted && l.EvaluationStatus != Completed) })
            .SingleOrDefaultAsync(ct);
        return counts is null ? (0, 0) : (counts.Lines, counts.WithoutResult);
    }

    public const string Completed = "completed";

    /// <summary>The self-evaluation state whose frozen version is the result (the review flow's end).</summary>
    public const string Accepted = "accepted";

    /// <summary>
    /// What the pages and the API show: the frozen rows of an approved year (filtered and paged in memory;
    /// one year's snapshot), otherwise the live rows.
    /// </summary>
    public async Task<ResultsView> ViewAsync(int year, ResultFilter filter, int skip, int? take, CancellationToken ct)
    {
        var approval = await db.Set<ResultApproval>().AsNoTracking().SingleOrDefaultAsync(a => a.FiscalYear == year, ct);
        if (approval is null)
        {
            var (rows, total) = await BuildAsync(year, filter, skip, take, ct);
            return new(year, rows, total, null);
        }

        var frozen = FrozenRows(year, filter);
        var count = await frozen.CountAsync(ct);
        var json = await Slice(frozen.OrderBy(r => r.Seq), skip, take).Select(r => r.RowJson).ToListAsync(ct);
        return new(year, json.Select(Thaw).ToList(), count, approval);
    }

    /// <summary>
    /// The years that have anything to show, newest first. The self-evaluations' years are read by hopping from
    /// one year to the next in the FiscalYear index: DISTINCT read the whole index (1.2 million entries and
    /// 70 ms on a province's three years) on every view of the page. Bureau pages only, so no data scope applies.
    /// </summary>
    public async Task<IReadOnlyList<int>> YearsAsync(CancellationToken ct) =>
        (await db.Database.SqlQuery<int>($"""
            WITH RECURSIVE y("Value") AS (
                SELECT min("FiscalYear") FROM budgeteval.self_evaluations
                UNION ALL
                SELECT (SELECT min(s."FiscalYear") FROM budgeteval.self_evaluations s WHERE s."FiscalYear" > y."Value")
                FROM y WHERE y."Value" IS NOT NULL)
            SELECT "Value" FROM y WHERE "Value" IS NOT NULL
            """).ToListAsync(ct))
            .Union(await db.Evaluations.Select(e => e.FiscalYear).Distinct().ToListAsync(ct))
            .OrderDescending().ToList();

    private static readonly System.Text.Json.JsonSerializerOptions FrozenJson = new(System.Text.Json.JsonSerializerDefaults.Web);
}

/// <summary>A year's results as shown: rows (one page or all), how many match, and the approval if any.</summary>
internal sealed record ResultsView(int Year, IReadOnlyList<ResultRow> Rows, int Total, ResultApproval? Approval);
