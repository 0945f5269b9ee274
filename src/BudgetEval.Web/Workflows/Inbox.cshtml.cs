using BudgetEval.Web.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Workflows;

/// <summary>待办: open tasks for me (mine, or my role's in my organisation), with filters and counts.</summary>
internal sealed class InboxModel(InboxQueries queries, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Overdue { get; set; }

    public IReadOnlyList<WorkItem> Items { get; private set; } = [];

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    public IPage Pager { get; private set; } = Paged<object>.Empty;


    public IReadOnlyDictionary<Guid, WorkflowHistoryEntry> LatestComments { get; private set; } = new Dictionary<Guid, WorkflowHistoryEntry>();

    public int Total { get; private set; }

    public int OverdueCount { get; private set; }

    public int DueSoon { get; private set; }

    public IReadOnlyList<(string State, string Label, int Count)> ByState { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        var soon = Now.AddDays(3);
        var mine = queries.OpenFor(WorkflowActor.From(User));
        // One pass over my open items for all the counts: the bureau's 待办 holds a whole province's.
        var byState = await mine.GroupBy(w => new { w.State, w.StateLabel })
            .Select(g => new { g.Key.State, g.Key.StateLabel, Count = g.Count(), Overdue = g.Count(w => w.DueAt < Now), Soon = g.Count(w => w.DueAt >= Now && w.DueAt < soon) })
            .ToListAsync(ct);
        ByState = byState.Select(s => (s.State, s.StateLabel, s.Count)).OrderBy(s => s.StateLabel, StringComparer.Ordinal).ToList();
        Total = byState.Sum(s => s.Count);
        OverdueCount = byState.Sum(s => s.Overdue);
        DueSoon = byState.Sum(s => s.Soon);

        var filtered = mine;
        if (!string.IsNullOrEmpty(State))
        {
            filtered = filtered.Where(w => w.State == State);
        }

        if (!string.IsNullOrWhiteSpace(Q))
        {
            var q = Q.Trim();
            filtered = filtered.Where(w => w.Title.Contains(q));
        }

        if (Overdue)
        {
            filtered = filtered.Where(w => w.DueAt < Now);
        }

        // The page's ids first (from the index alone), then those rows: sorting a province's worth of
        // whole rows to show 50 of them read every one from the table. Ascending due dates put the
        // undated last (PostgreSQL's default for NULL).
        var page = await filtered.OrderBy(w => w.DueAt).ThenBy(w => w.CreatedAt).ThenBy(w => w.Id).Select(w => w.Id).ToPageAsync(PageNumber, ct);
        (Items, Pager) = (await queries.ItemsAsync(page.Items, ct), page);
        LatestComments = await queries.LatestCommentsAsync(Items.Select(w => w.InstanceId), ct);
    }
}
