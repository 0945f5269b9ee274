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

    public async Task OnGetAsync(CancellationToken ct) =>
        Entries = await Filtered().OrderByDescending(a => a.Id).Take(500).ToListAsync(ct);

    /// <summary>The log is read-only here: any form post is refused, whatever handler it names.</summary>
    public IActionResult OnPost() => StatusCode(StatusCodes.Status405MethodNotAllowed);

    /// <summary>CSV for Excel (UTF-8 with BOM), every matching entry; the export is itself audited.</summary>
    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        var rows = await Filtered().OrderBy(a => a.Id).ToListAsync(ct);
        var csv = new StringBuilder("时间,用户,操作,对象,说明,IP\n");
        foreach (var a in rows)
        {
            csv.AppendJoin(',', new[]
            {
                china.ToLocal(a.At).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                a.ActorName, AuditActions.Label(a.Action), a.Target, a.Detail, a.IpAddress,
            }.Select(Csv)).Append('\n');
        }

        AuditTrail.Add(db, HttpContext, clock.GetUtcNow(), AuditActions.Export, "审计日志", $"{rows.Count} 条");
        await db.SaveChangesAsync(ct);
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray();
        return File(bytes, "text/csv; charset=utf-8", $"审计日志-{china.Today(clock):yyyyMMdd}.csv");
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
    private static string Csv(string? value)
    {
        var v = value ?? string.Empty;
        if (v.Length > 0 && "=+-@".Contains(v[0], StringComparison.Ordinal))
        {
            v = "'" + v;
        }

        return "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
