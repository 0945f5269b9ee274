using BudgetEval.Web.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Workflows;

/// <summary>待办: open tasks for me (mine, or my role's in my organisation), with filters and counts.</summary>
internal sealed class InboxModel(InboxQueries queries, InboxCounter counter, TimeProvider clock, Infrastructure.Data.AppDbContext db) : PageModel
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

    /// <summary>The cases' unit names, shown beside a title that does not name its unit (a project's self-evaluation).</summary>
    public IReadOnlyDictionary<Guid, string> UnitNames { get; private set; } = new Dictionary<Guid, string>();

    /// <summary>The unit to show beside an item's title; null when the title names it already.</summary>
    public string? UnitBeside(WorkItem item) =>
        UnitNames.GetValueOrDefault(item.CaseOrganisationId) is { } name && !item.Title.Contains(name, StringComparison.Ordinal) ? name : null;

    public int Total { get; private set; }

    public int OverdueCount { get; private set; }

    public int DueSoon { get; private set; }

    public IReadOnlyList<(string State, string Label, int Count)> ByState { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    /// <summary>When the counts were counted, if they are not live (the bureau's; see <see cref="InboxCounter"/>).</summary>
    public DateTimeOffset? CountedAt { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        var counted = await counter.ForAsync(User, ct);
        (ByState, Total, OverdueCount, DueSoon) = counted.Value;
        CountedAt = counted.At;

        var state = State;
        var q = string.IsNullOrWhiteSpace(Q) ? null : Q.Trim();
        var now = Now;
        IQueryable<WorkItem> Filter(IQueryable<WorkItem> items)
        {
            if (!string.IsNullOrEmpty(state))
            {
                items = items.Where(w => w.State == state);
            }

            if (q is not null)
            {
                items = items.Where(w => w.Title.Contains(q));
            }

            return Overdue ? items.Where(w => w.DueAt < now) : items;
        }

        // The page's ids first (from the indexes alone), then those rows. Ascending due dates put the undated
        // last (PostgreSQL's default for NULL).
        var page = await queries.OpenPageAsync(WorkflowActor.From(User), Filter, PageNumber, ct);
        (Items, Pager) = (await queries.ItemsAsync(page.Items, ct), page);
        LatestComments = await queries.LatestCommentsAsync(Items.Select(w => w.InstanceId), ct);
        UnitNames = await Organisations.OrganisationNames.ForAsync(db, Items.Select(w => (Guid?)w.CaseOrganisationId), ct);
    }
}
