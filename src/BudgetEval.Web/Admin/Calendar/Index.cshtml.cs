using System.Text;
using BudgetEval.Web.Calendar;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Admin.Calendar;

/// <summary>工作日历: one year's holidays and 调休 days, imported and exported as CSV.</summary>
internal sealed class IndexModel(AppDbContext db, IWorkingCalendar calendar, ChinaClock china, TimeProvider clock) : PageModel
{
    private const long MaxUploadBytes = 256 * 1024;

    [BindProperty(SupportsGet = true)]
    public int? Year { get; set; }

    /// <summary>The year asked for, or this year for none or one outside the calendar's range (?year=0 has no dates).</summary>
    public int ShownYear => Year is { } y && Shared.DateRange.IsYear(y) ? y : china.Today(clock).Year;

    public IReadOnlyList<CalendarDay> Days { get; private set; } = [];

    public IReadOnlyList<int> Years { get; private set; } = [];

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public string? CsvText { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        var (from, to) = Range(ShownYear);
        var days = await db.CalendarDays.AsNoTracking().Where(d => d.Date >= from && d.Date <= to).ToListAsync(ct);

        // The BOM lets Excel open the Chinese names correctly; our own parser skips it.
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(CalendarCsv.Write(days))).ToArray();
        return File(bytes, "text/csv; charset=utf-8", $"{ShownYear}年工作日历.csv"); // named like the other exports, in Chinese
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, string? csv, CancellationToken ct)
    {
        string text;
        if (file is { Length: > 0 })
        {
            if (file.Length > MaxUploadBytes)
            {
                Errors = ["文件过大（不超过 256 KB）。"];
                await LoadAsync(ct);
                return Page();
            }

            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);

            // Read as UTF-8 before this change, a GBK file's names were saved garbled: decode it, or refuse it.
            if (SelfEvaluations.Import.CsvText.Decode(buffer.ToArray(), gbk => gbk.Contains(',', StringComparison.Ordinal)) is not { } decoded)
            {
                Errors = ["文件编码无法识别：请保存为 UTF-8（或 GBK）编码的 CSV 后重新导入。"];
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                await LoadAsync(ct);
                return Page();
            }

            text = decoded;
        }
        else
        {
            text = csv ?? string.Empty;
        }

        var parsed = CalendarCsv.Parse(text, ShownYear);
        if (parsed.Errors.Count > 0 || parsed.Days.Count == 0)
        {
            Errors = parsed.Errors.Count > 0 ? parsed.Errors : ["没有可导入的行。"];
            CsvText = text;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            await LoadAsync(ct);
            return Page();
        }

        // The file is the year: replace it whole, in one transaction, so a half-imported year never exists.
        var (from, to) = Range(ShownYear);
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.CalendarDays.Where(d => d.Date >= from && d.Date <= to).ExecuteDeleteAsync(ct);
            db.CalendarDays.AddRange(parsed.Days);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        });

        (calendar as HolidayCalendar)?.Invalidate();
        TempData["Flash"] = $"已导入 {ShownYear} 年工作日历，共 {parsed.Days.Count} 天。";
        return RedirectToPage(new { year = ShownYear });
    }

    /// <summary>
    /// From November on (the State Council publishes next year's arrangement in the autumn), the coming year
    /// when it has no entries yet: deadlines that run into it would count 春节 and 元旦 as working days.
    /// </summary>
    public int? MissingNextYear { get; private set; }

    private async Task LoadAsync(CancellationToken ct)
    {
        var today = china.Today(clock);
        if (today.Month >= 11)
        {
            var (nextFrom, nextTo) = Range(today.Year + 1);
            MissingNextYear = await db.CalendarDays.AnyAsync(d => d.Date >= nextFrom && d.Date <= nextTo, ct) ? null : today.Year + 1;
        }

        var (from, to) = Range(ShownYear);
        Days = await db.CalendarDays.AsNoTracking().Where(d => d.Date >= from && d.Date <= to).OrderBy(d => d.Date).ToListAsync(ct);
        var years = await db.CalendarDays.Select(d => d.Date.Year).Distinct().ToListAsync(ct);
        Years = years.Append(ShownYear).Append(ShownYear + 1).Distinct().Order().ToList();
    }

    private static (DateOnly From, DateOnly To) Range(int year) => (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));

    public static string Weekday(DateOnly d) => "日一二三四五六"[(int)d.DayOfWeek].ToString();
}
