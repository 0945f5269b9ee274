using System.Globalization;
using System.Text;
using BudgetEval.Web.Audit;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Admin.Audit;

/// <summary>The audit log for the administrator: read and export only; there is no way to change it.</summary>
internal sealed class IndexModel(AppDbContext db, ChinaClock china, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    [BindProperty(SupportsGet = true, Name = "user")]
    public string? UserQuery { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    /// <summary>The titles of the cases the page's 事项流转 entries name (their target is the case id).</summary>
    public IReadOnlyDictionary<string, string> CaseTitles { get; private set; } = new Dictionary<string, string>();

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    public IPage Pager { get; private set; } = Paged<object>.Empty;

    /// <summary>Filters that cannot be applied (a date that is no date, 至 before 自): said, and nothing listed.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Newest first, 50 a page: a province's log grows by millions of lines a year.</summary>
    public async Task OnGetAsync(CancellationToken ct)
    {
        foreach (var (key, label) in new[] { (nameof(From), "自"), (nameof(To), "至") })
        {
            if (ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0)
            {
                Errors.Add(AdminForms.Field(label, $"“{entry.AttemptedValue}”不是有效的日期。"));
            }
        }

        if (From is { } from && To is { } to && to < from)
        {
            Errors.Add(AdminForms.Field("至", $"不能早于“自”的日期（{ChineseFormat.Date(from)}）。"));
        }

        if (Errors.Count > 0)
        {
            // An empty list would read as "nothing happened"; the message says why nothing is listed.
            return;
        }

        var page = await Filtered().OrderByDescending(a => a.Id).ToPageAsync(PageNumber, ct);
        (Entries, Pager) = (page.Items, page);

        // One query for the page's cases; the audit log names every organisation's cases, so no data scope applies.
        var caseIds = Entries.Where(a => a.Action == AuditActions.CaseTransition).Select(a => Guid.TryParse(a.Target, out var g) ? g : (Guid?)null)
            .OfType<Guid>().Distinct().ToList();
        CaseTitles = caseIds.Count == 0 ? CaseTitles : await db.WorkflowInstances.IgnoreQueryFilters().AsNoTracking().Where(i => caseIds.Contains(i.Id))
            .ToDictionaryAsync(i => i.Id.ToString(), i => i.Title, ct);

        // 问题更正 entries name the finding by its number (readable in the CSV too): link them to the finding page.
        var numbers = Entries.Where(a => a.Action == AuditActions.FindingCorrected && a.Target is not null).Select(a => a.Target!.Split(' ')[0]).Distinct().ToList();
        FindingIds = numbers.Count == 0 ? FindingIds : await db.Findings.IgnoreQueryFilters().AsNoTracking().Where(f => numbers.Contains(f.Number))
            .ToDictionaryAsync(f => f.Number, f => f.Id, ct);
    }

    /// <summary>The findings the page's 问题更正 entries name, by number.</summary>
    public IReadOnlyDictionary<string, Guid> FindingIds { get; private set; } = new Dictionary<string, Guid>();

    public Guid? FindingOf(AuditEntry a) =>
        a.Action == AuditActions.FindingCorrected && a.Target is not null && FindingIds.TryGetValue(a.Target.Split(' ')[0], out var id) ? id : null;

    /// <summary>The log is read-only here: any form post is refused, whatever handler it names.</summary>
    public IActionResult OnPost() => StatusCode(StatusCodes.Status405MethodNotAllowed);

    /// <summary>
    /// CSV for Excel (UTF-8 with BOM), every matching entry, written to the response as it is read: a year of a
    /// province's log does not fit in memory. The export is audited (with its count) before the first line goes
    /// out; the lines are those up to the newest entry at that moment, so the count is exact.
    /// </summary>
    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        var matching = Filtered();
        var last = await matching.MaxAsync(a => (long?)a.Id, ct) ?? 0;
        var rows = matching.Where(a => a.Id <= last);
        var count = await rows.CountAsync(ct);
        AuditTrail.Add(db, HttpContext, clock.GetUtcNow(), AuditActions.Export, "审计日志", $"{count} 条");
        await db.SaveChangesAsync(ct);

        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment")
        {
            FileNameStar = $"审计日志-{china.Today(clock):yyyyMMdd}.csv",
        }.ToString();
        await Response.Body.WriteAsync(Encoding.UTF8.GetPreamble(), ct);
        await using var csv = new StreamWriter(Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 64 * 1024);
        await csv.WriteAsync("时间,用户,操作,对象,说明,IP,对象编号\n");

        // 事项流转 entries name their case by id: the title comes with each line from a join in the same read
        // (one streamed query; a lookup per line would be a round trip per line), the id stays in 对象编号.
        var withTitles =
            from a in rows
            join i in db.WorkflowInstances.IgnoreQueryFilters() on new { a.Action, Target = a.Target! } equals new { Action = AuditActions.CaseTransition, Target = i.Id.ToString() } into cases
            from i in cases.DefaultIfEmpty()
            orderby a.Id
            select new { Entry = a, CaseTitle = i == null ? null : i.Title };
        await foreach (var row in withTitles.AsAsyncEnumerable().WithCancellation(ct))
        {
            var a = row.Entry;
            await csv.WriteAsync(string.Join(',', new[]
            {
                china.ToLocal(a.At).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                a.ActorName, AuditActions.Label(a.Action), row.CaseTitle ?? a.Target, a.Detail, a.IpAddress, row.CaseTitle is null ? null : a.Target,
            }.Select(Csv)) + "\n");
        }

        return new EmptyResult();
    }

    private IQueryable<AuditEntry> Filtered()
    {
        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrEmpty(Action))
        {
            query = query.Where(a => a.Action == Action);
        }

        if (!string.IsNullOrWhiteSpace(UserQuery))
        {
            var q = UserQuery.Trim();
            query = query.Where(a => a.ActorName != null && a.ActorName.Contains(q));
        }

        if (From is { } from)
        {
            var start = LocalMidnight(from);
            query = query.Where(a => a.At >= start);
        }

        if (To is { } to)
        {
            var end = LocalMidnight(to.AddDays(1));
            query = query.Where(a => a.At < end);
        }

        return query;
    }

    private DateTimeOffset LocalMidnight(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, china.Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    // Quote every field; a leading = + - @ is defused so Excel does not run it as a formula.
    private static string Csv(string? value) =>
        "\"" + CsvCells.Defuse(value ?? string.Empty).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
