using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Workflows.Definitions;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Workflows;

/// <summary>Everything needed to show one case to one user.</summary>
internal sealed record CaseView(
    WorkflowInstance Instance,
    WorkflowDefinition Definition,
    IReadOnlyList<WorkflowHistoryEntry> History,
    IReadOnlyList<WorkItem> OpenItems,
    IReadOnlyList<ActionDefinition> AllowedActions);

/// <summary>The reads behind 待办, 已办 and the case page; the data-scope filter applies to all of them.</summary>
internal sealed class InboxQueries(AppDbContext db, WorkflowRegistry registry, WorkflowEngine engine)
{
    /// <summary>Open items assigned to me, or to my role in my organisation and not claimed by someone else.</summary>
    public IQueryable<WorkItem> OpenFor(WorkflowActor actor) => OpenBranchesFor(actor).Aggregate((a, b) => a.Concat(b));

    /// <summary>
    /// The ids of one page of my open items (after <paramref name="filter"/>), by due date (undated last), then
    /// arrival. Each branch of <see cref="OpenBranchesFor"/> gives its first rows from its own index in that
    /// order (LIMIT inside each branch), and only those are merged: the bureau's queue holds a province's tens
    /// of thousands of items, and sorting all of them for every page grew with the province.
    /// </summary>
    public Task<Paged<Guid>> OpenPageAsync(WorkflowActor actor, Func<IQueryable<WorkItem>, IQueryable<WorkItem>> filter, int? page, CancellationToken ct)
    {
        var upTo = (Paging.Clamp(page) * Paging.DefaultPageSize) + 1; // enough of each branch for this page and "has next"
        var firsts = OpenBranchesFor(actor).Select(branch => InboxOrder(filter(branch)).Take(upTo)).Aggregate((a, b) => a.Concat(b));
        return InboxOrder(firsts).Select(w => w.Id).ToPageAsync(page, ct);
    }

    /// <summary>
    /// 待办's order, the one definition (审核下一份 walks it too): due date with the undated last (PostgreSQL sorts NULL
    /// last ascending, as IX_work_items_open_inbox holds it), then arrival, then id.
    /// </summary>
    public static IQueryable<WorkItem> InboxOrder(IQueryable<WorkItem> items) => items.OrderBy(w => w.DueAt).ThenBy(w => w.CreatedAt).ThenBy(w => w.Id);

    /// <summary>The items that come after <paramref name="from"/> in <see cref="InboxOrder"/>.</summary>
    public static IQueryable<WorkItem> AfterInInboxOrder(IQueryable<WorkItem> items, WorkItem from)
    {
        var (created, id) = (from.CreatedAt, from.Id);
        return from.DueAt is { } due
            ? items.Where(w => w.DueAt == null || w.DueAt > due
                || (w.DueAt == due && (w.CreatedAt > created || (w.CreatedAt == created && w.Id.CompareTo(id) > 0))))
            : items.Where(w => w.DueAt == null && (w.CreatedAt > created || (w.CreatedAt == created && w.Id.CompareTo(id) > 0)));
    }

    /// <summary>
    /// Disjoint parts of my open items: assigned to me; and per role, my organisation's queue not claimed by
    /// someone else. Joined with UNION ALL rather than one OR (and one branch per role rather than
    /// "role IN (…)"), each is read from its own index alone, the role queues from IX_work_items_open_inbox.
    /// </summary>
    private IEnumerable<IQueryable<WorkItem>> OpenBranchesFor(WorkflowActor actor)
    {
        var org = actor.OrganisationId;
        var open = db.WorkItems.AsNoTracking().Where(w => w.Status == WorkItemStatus.Open);
        yield return open.Where(w => w.AssigneeUserId == actor.UserId);
        foreach (var role in actor.Roles.Order(StringComparer.Ordinal))
        {
            yield return open.Where(w => w.AssigneeUserId == null && w.AssigneeOrganisationId == org && w.AssigneeRole == role
                && (w.ClaimedBy == null || w.ClaimedBy == actor.UserId));
        }
    }

    /// <summary>
    /// The newest comment on each case (e.g. the bureau's reasons for returning it), so 待办 shows why an
    /// item came back without opening it.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, WorkflowHistoryEntry>> LatestCommentsAsync(IEnumerable<Guid> caseIds, CancellationToken ct)
    {
        var ids = caseIds.Distinct().ToList();
        var latest = await db.WorkflowHistory.AsNoTracking()
            .Where(h => ids.Contains(h.InstanceId) && h.Comment != null)
            .GroupBy(h => h.InstanceId)
            .Select(g => g.OrderByDescending(h => h.Seq).First())
            .ToListAsync(ct);
        return latest.ToDictionary(h => h.InstanceId);
    }

    /// <summary>The given work items, in the order of the ids (a page chosen by id first).</summary>
    public async Task<IReadOnlyList<WorkItem>> ItemsAsync(IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        var rows = await db.WorkItems.AsNoTracking().Where(w => ids.Contains(w.Id)).ToDictionaryAsync(w => w.Id, ct);
        return ids.Where(rows.ContainsKey).Select(id => rows[id]).ToList();
    }

    public IQueryable<WorkItem> DoneBy(WorkflowActor actor) =>
        db.WorkItems.AsNoTracking().Where(w => w.CompletedBy == actor.UserId && w.Status == WorkItemStatus.Done);

    public async Task<CaseView?> CaseAsync(Guid caseId, WorkflowActor actor, CancellationToken ct)
    {
        var instance = await db.WorkflowInstances.AsNoTracking().SingleOrDefaultAsync(i => i.Id == caseId, ct);
        if (instance is null)
        {
            return null;
        }

        var def = registry.Get(instance.DefinitionId, instance.DefinitionVersion);
        var history = await db.WorkflowHistory.AsNoTracking().Where(h => h.InstanceId == caseId).OrderBy(h => h.Seq).ToListAsync(ct);
        var open = await db.WorkItems.AsNoTracking().Where(w => w.InstanceId == caseId && w.Status == WorkItemStatus.Open).OrderBy(w => w.CreatedAt).ToListAsync(ct);
        return new CaseView(instance, def, history, open, engine.AllowedActions(instance, open.FirstOrDefault(), actor));
    }
}
