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

/// <summary>One row of 待办: the item, its case's unit, 逾期提交, and the case's newest comment.</summary>
internal sealed record InboxRow(WorkItem Item, string? Unit, bool Late, InboxComment? Comment)
{
    /// <summary>The unit to show beside the title (a project's self-evaluation does not name it); null when the title names it already.</summary>
    public string? UnitBeside => Unit is { } name && !Item.Title.Contains(name, StringComparison.Ordinal) ? name : null;
}

/// <summary>A case's newest comment as 待办 quotes it.</summary>
internal sealed record InboxComment(string Comment, string ActorName, string ActionLabel);

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
    /// The given work items in the order of the ids (a page chosen by id first), each with what 待办 shows beside it:
    /// the case's unit, whether it was submitted late (逾期提交), and the case's newest comment (e.g. the bureau's
    /// reasons for returning it, so the item says why it came back without opening it). One statement: the page
    /// is the busiest of the bureau's, and four reads by id cost it a round trip and a plan each.
    /// </summary>
    /// <remarks>
    /// The ids come from the caller's scoped queue (<see cref="OpenPageAsync"/>), so this read by id needs no scope
    /// filter; without it a firm's row can carry the evaluated unit's name, as <c>OrganisationNames.ForAsync</c> gives.
    /// </remarks>
    public async Task<IReadOnlyList<InboxRow>> RowsAsync(IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        // The comment's three columns are three scalar subqueries, each one step back along (InstanceId, Seq): asked
        // for as one object, EF numbers every commented history row of the database to join the newest (ROW_NUMBER).
        var comments = db.WorkflowHistory.Where(h => h.Comment != null).OrderByDescending(h => h.Seq);
        var rows = await db.WorkItems.AsNoTracking().IgnoreQueryFilters().Where(w => ids.Contains(w.Id))
            .Select(w => new
            {
                Item = w,
                Unit = db.Organisations.Where(o => o.Id == w.CaseOrganisationId).Select(o => o.Name).FirstOrDefault(),
                Late = db.WorkflowInstances.Any(i => i.Id == w.InstanceId && i.IsLate),
                Comment = comments.Where(h => h.InstanceId == w.InstanceId).Select(h => h.Comment).FirstOrDefault(),
                Actor = comments.Where(h => h.InstanceId == w.InstanceId).Select(h => h.ActorName).FirstOrDefault(),
                Action = comments.Where(h => h.InstanceId == w.InstanceId).Select(h => h.ActionLabel).FirstOrDefault(),
            })
            .ToDictionaryAsync(r => r.Item.Id, ct);
        return ids.Where(rows.ContainsKey).Select(id => rows[id])
            .Select(r => new InboxRow(r.Item, r.Unit, r.Late, r.Comment is { } c ? new InboxComment(c, r.Actor ?? string.Empty, r.Action ?? string.Empty) : null))
            .ToList();
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
