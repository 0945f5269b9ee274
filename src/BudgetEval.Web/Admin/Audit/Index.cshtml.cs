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

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    public IPage Pager { get; private set; } = Paged<object>.Empty;

    /// <summary>Newest first, 50 a page: a province's log grows by millions of lines a year.</summary>
    public async Task OnGetAsync(CancellationToken ct)
    {
        var page = await Filtered().OrderByDescending(a => a.Id).ToPageAsync(PageNumber, ct);
        (Entries, Pager) = (page.Items, page);
    }

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
        await csv.WriteAsync("时间,用户,操作,对象,说明,IP\n");
        await foreach (var a in rows.OrderBy(a => a.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            await csv.WriteAsync(string.Join(',', new[]
            {
                china.ToLocal(a.At).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                a.ActorName, AuditActions.Label(a.Action), a.Target, a.Detail, a.IpAddress,
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
