using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BudgetEval.Web.Oversight;

/// <summary>
/// 逾期督办: every late task of the district, whoever holds it. The 待办 shows the officer's own tasks only; the units'
/// and firms' late ones were visible case by case, so chasing them meant opening every list in turn.
/// </summary>
[Authorize(Roles = Roles.Bureau)]
internal sealed class IndexModel(OverdueTasks tasks, AppDbContext db, TimeProvider clock, DueDates dueDates, WorkflowRegistry registry, Reminders.ManualReminders reminders) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Flow { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? WaitingOn { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Unit { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    public IReadOnlyList<(string Id, string Title)> Flows { get; private set; } = [];

    public OverdueCounts Counts { get; private set; } = new(0, 0, 0, 0);

    /// <summary>Late tasks matching the filters (the tiles count the whole district).</summary>
    public int Matching { get; private set; }

    public Paged<OverdueTask> Rows { get; private set; } = Paged<OverdueTask>.Empty;

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public bool Filtered => !string.IsNullOrWhiteSpace(Flow) || !string.IsNullOrWhiteSpace(WaitingOn) || !string.IsNullOrWhiteSpace(Unit);

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        var filter = await LoadAsync(ct, page: false);
        if (filter is null)
        {
            return Page();
        }

        var rows = await tasks.AllAsync(filter, ct);
        if (rows is not { Count: > 0 })
        {
            // Too many for one workbook, or nothing to export: said on the page rather than an empty file.
            var problem = rows is null ? OverdueExport.TooMany : "没有符合条件的逾期事项，无须导出。";
            await LoadAsync(ct);
            Errors = [problem];
            return Page();
        }

        var (content, name) = await OverdueExport.BuildAsync(db, rows, HttpContext, clock, dueDates.Today(clock.GetUtcNow()), ct);
        return File(content, OverdueExport.ContentType, name);
    }

    /// <summary>What was typed as the 催办说明 and ticked, shown again when the 催办 is refused.</summary>
    public string? Message { get; private set; }

    public IReadOnlySet<Guid> Ticked { get; private set; } = new HashSet<Guid>();

    public string? RemindError { get; private set; }

    /// <summary>批量催办: the ticked tasks, one message; back to the same filtered page with the outcome.</summary>
    public async Task<IActionResult> OnPostRemindAsync(List<Guid> items, string? message, CancellationToken ct)
    {
        var result = await reminders.SendManyAsync(items, message, WorkflowActor.From(User), ct);
        if (result.Forbidden)
        {
            return Forbid();
        }

        if (result.Error is { } error && result.Skipped == 0)
        {
            // Nothing was sent: the page again, with the message as typed.
            (RemindError, Message, Ticked) = (error, message, items.ToHashSet());
            await LoadAsync(ct);
            return Page();
        }

        TempData["Flash"] = result.Error ?? $"已催办 {result.Reminded} 项逾期待办（{result.Recipients} 人）"
            + (result.Skipped > 0 ? $"；{result.Skipped} 项已办理或没有可催办的人员，未催办。" : "。");
        return RedirectToPage(new { flow = Flow, waitingOn = WaitingOn, unit = Unit, p = PageNumber });
    }

    /// <summary>The filter as understood, or null (with <see cref="Errors"/>) when a parameter is wrong.</summary>
    private async Task<OverdueFilter?> LoadAsync(CancellationToken ct, bool page = true)
    {
        Flows = OverdueFilter.Flows(registry);
        Counts = await OverdueCounts.CountAsync(db, clock.GetUtcNow(), ct);
        var (filter, errors) = OverdueFilter.Parse(Flow, WaitingOn, Unit, registry);
        if (errors.Count > 0)
        {
            Errors = [.. errors.Values.SelectMany(e => e)];
            return null;
        }

        if (page)
        {
            Matching = await tasks.CountAsync(filter, ct);
            Rows = await tasks.PageAsync(filter, PageNumber, Paging.DefaultPageSize, ct);
        }

        return filter;
    }
}
