using BudgetEval.Web.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace BudgetEval.Web.Workflows;

/// <summary>
/// The filters of 待办 (环节, 事项, 只看逾期). A case opened from 待办 carries them as one <c>list</c> parameter, so
/// 审核下一份 on the case page continues with the same queue rather than a reset list.
/// </summary>
internal sealed record InboxFilter(string? State, string? Q, bool Overdue)
{
    // Filter texts longer than this are no real 环节 or 事项 search: they are dropped rather than carried in every link.
    private const int MaxLength = 200;

    public static InboxFilter None { get; } = new(null, null, false);

    public bool IsEmpty => string.IsNullOrEmpty(State) && string.IsNullOrEmpty(Q) && !Overdue;

    /// <summary>The query string of these filters (no leading '?'); empty when none is set.</summary>
    public string ToQuery()
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(State))
        {
            parts.Add("state=" + Uri.EscapeDataString(State));
        }

        if (!string.IsNullOrEmpty(Q))
        {
            parts.Add("q=" + Uri.EscapeDataString(Q));
        }

        if (Overdue)
        {
            parts.Add("overdue=true");
        }

        return string.Join('&', parts);
    }

    /// <summary>
    /// The filters carried in a case link's <c>list</c> parameter. Only the three known keys are read back, so the
    /// parameter can never smuggle anything else into the links built from it.
    /// </summary>
    public static InboxFilter Parse(string? list)
    {
        if (string.IsNullOrWhiteSpace(list) || list.Length > 3 * MaxLength)
        {
            return None;
        }

        var values = QueryHelpers.ParseQuery(list.StartsWith('?') ? list : "?" + list);
        string? Text(string key) => values.TryGetValue(key, out var v) && v.ToString().Trim() is { Length: > 0 and <= MaxLength } t ? t : null;
        return new(Text("state"), Text("q"), string.Equals(Text("overdue"), "true", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The filtered queue. 事项 matches the title or the case's unit (full or short name): a plan's 部门整体 titles name the
    /// unit, but a hand-made or a project's title does not, and the officer looks for 「教育局」 either way.
    /// </summary>
    public IQueryable<WorkItem> Apply(IQueryable<WorkItem> items, DateTimeOffset now, Infrastructure.Data.AppDbContext db)
    {
        var (state, q) = (State, string.IsNullOrWhiteSpace(Q) ? null : Q.Trim());
        if (!string.IsNullOrEmpty(state))
        {
            items = items.Where(w => w.State == state);
        }

        if (q is not null)
        {
            var units = Organisations.OrganisationNames.NamedLike(db.Organisations, q).Select(o => o.Id); // a subquery, never loaded
            items = items.Where(w => w.Title.Contains(q) || units.Contains(w.CaseOrganisationId));
        }

        return Overdue ? items.Where(w => w.DueAt < now) : items;
    }

    /// <summary>A case's link from 待办: it carries these filters for 审核下一份 (none set: the plain case link).</summary>
    public string CaseLink(Guid caseId) => IsEmpty ? $"/cases/{caseId}" : $"/cases/{caseId}?list={Uri.EscapeDataString(ToQuery())}";

    /// <summary>审核下一份 from a case: the next open item of this queue after that case's.</summary>
    public string NextLink(Guid caseId) => $"/inbox/next?after={caseId}" + (IsEmpty ? string.Empty : "&" + ToQuery());

    /// <summary>待办 with these filters.</summary>
    public string InboxLink => IsEmpty ? "/inbox" : "/inbox?" + ToQuery();
}

/// <summary>待办: open tasks for me (mine, or my role's in my organisation), with filters and counts.</summary>
internal sealed class InboxModel(InboxQueries queries, InboxCounter counter, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Overdue { get; set; }

    /// <summary>The filters as set on this page, carried into each case's link.</summary>
    public InboxFilter Filter => new(string.IsNullOrEmpty(State) ? null : State, string.IsNullOrWhiteSpace(Q) ? null : Q.Trim(), Overdue);

    public IReadOnlyList<InboxRow> Items { get; private set; } = [];

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    public IPage Pager { get; private set; } = Paged<object>.Empty;

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

        // The page's ids first (from the indexes alone), then those rows. Ascending due dates put the undated
        // last (PostgreSQL's default for NULL).
        var page = await queries.OpenPageAsync(WorkflowActor.From(User), Filter, Now, PageNumber, ct);
        (Items, Pager) = (await queries.RowsAsync(page.Items, ct), page);
    }
}
