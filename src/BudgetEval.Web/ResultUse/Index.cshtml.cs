using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.ResultUse;

/// <summary>结果应用: a year's scores, grades, rectification rates and suggested budget notes, the publication marks and the lead's approval.</summary>
[Authorize(Roles = Roles.Bureau)]
internal sealed class IndexModel(ResultsReport report, ResultsService service, AppDbContext db, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public int? Year { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Unit { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Published { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<int> Years { get; private set; } = [];

    public ResultsView? View { get; private set; }

    public BudgetNoteRules Rules { get; private set; } = BudgetNoteRules.Defaults();

    public int Pages => View is null ? 0 : Math.Max(1, (View.Total + ResultsReport.PageSize - 1) / ResultsReport.PageSize);

    /// <summary>For a year not yet approved: all its lines and those without a result, named beside the lead's 审定.</summary>
    public (int Lines, int WithoutResult)? Pending { get; private set; }

    /// <summary>The lead's last 撤销审定 of a year now unapproved (when, who, why), from the audit log: the reason is for the officer who prepares the year again.</summary>
    public Audit.AuditEntry? Reopened { get; private set; }

    /// <summary>The reason is kept only in the audit log (which the officer cannot open), so the page reads the year's latest approval entry from it.</summary>
    private async Task<Audit.AuditEntry?> LastReopeningAsync(int year, CancellationToken ct)
    {
        var target = $"{year}年度评价结果";
        var last = await db.AuditEntries.AsNoTracking().Where(a => a.Action == Audit.AuditActions.ResultsApproval && a.Target == target)
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id).FirstOrDefaultAsync(ct);
        return last?.Detail?.StartsWith(ResultsService.ReopenPrefix, StringComparison.Ordinal) == true ? last : null;
    }

    public bool CanEdit => ResultsService.MayEdit(WorkflowActor.From(User));

    public bool CanApprove => ResultsService.MayApprove(WorkflowActor.From(User));

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        Years = await report.YearsAsync(ct);
        if (Resolve() is not { } year)
        {
            return await ReloadAsync(ct);
        }

        var bytes = await ResultsExport.BuildAsync(report, db, year, Filter, Published, HttpContext, clock, ct);
        return File(bytes, SelfEvaluations.Export.FormWorkbook.ContentType, ResultsExport.FileName(year, Published));
    }

    // The role is checked before anything in the form is read: a caller who may not act gets 403, not a validation message.
    public async Task<IActionResult> OnPostMarkAsync(string? subjectKind, Guid subjectId, bool publish, CancellationToken ct) =>
        !CanEdit ? Forbid403()
        : await AfterAsync(Year is { } y ? await service.MarkAsync(y, subjectKind ?? string.Empty, subjectId, publish, WorkflowActor.From(User), ct) : null,
            publish ? "已列入公开清单。" : "已移出公开清单。", ct);

    public async Task<IActionResult> OnPostApproveAsync(CancellationToken ct) =>
        !CanApprove ? Forbid403() : await AfterAsync(Year is { } y ? await service.ApproveAsync(y, WorkflowActor.From(User), ct) : null, $"{Year}年度评价结果已审定。", ct);

    public async Task<IActionResult> OnPostReopenAsync(string? reason, CancellationToken ct) =>
        !CanApprove ? Forbid403() : await AfterAsync(Year is { } y ? await service.ReopenAsync(y, reason, WorkflowActor.From(User), ct) : null, $"已撤销{Year}年度结果的审定。", ct);

    private StatusCodeResult Forbid403() => StatusCode(StatusCodes.Status403Forbidden);

    private ResultFilter Filter => ResultEndpoints.Filter(Unit, Kind, Published);

    private async Task<IActionResult> AfterAsync(ResultsOutcome? outcome, string done, CancellationToken ct)
    {
        if (outcome is null || Year is not { } year || ResultEndpoints.YearError(year) is not null)
        {
            ModelState.AddModelError(nameof(Year), "请选择有效的年度。");
            return await ReloadAsync(ct);
        }

        if (outcome.Status == FireStatus.Ok)
        {
            TempData["Flash"] = done;
            // Only the filters in use: the address stays the one the user would type (no published=False&p=1).
            return RedirectToPage(new { year, unit = Unit, kind = Kind, published = Published ? "true" : null, p = PageNumber > 1 ? PageNumber : (int?)null });
        }

        outcome.ShowOn(this);
        return await ReloadAsync(ct);
    }

    private async Task<IActionResult> ReloadAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>The asked year, or the newest year with results; null (with an error) for a year out of range.</summary>
    private int? Resolve()
    {
        var year = Year ?? (Years.Count > 0 ? Years[0] : clock.GetUtcNow().Year - 1);
        if (ResultEndpoints.YearError(year) is { } error)
        {
            ModelState.AddModelError(nameof(Year), error);
            return null;
        }

        return Year = year;
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Years = await report.YearsAsync(ct);
        Rules = await ResultRules.LoadAsync(db, ct);
        if (Resolve() is { } year)
        {
            PageNumber = Math.Max(1, PageNumber);
            View = await report.ViewAsync(year, Filter, (PageNumber - 1) * ResultsReport.PageSize, ResultsReport.PageSize, ct);
            if (View.Approval is null)
            {
                // Counted for the one who approves only: a second pass over a province's year on every officer's view is not worth it.
                Pending = CanApprove ? await report.ResultCountsAsync(year, ct) : null;
                Reopened = await LastReopeningAsync(year, ct);
            }
        }
    }
}
