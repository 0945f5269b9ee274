using BudgetEval.Web.Infrastructure.Data;
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
    public IQueryable<WorkItem> OpenFor(WorkflowActor actor)
    {
        var roles = actor.Roles.ToList();
        var org = actor.OrganisationId;
        // Two disjoint halves joined with UNION ALL rather than one OR: each half is then read from its
        // own index alone (the role half from IX_work_items_open_inbox), which at province scale is the
        // difference between reading 100,000 heap rows per page view and reading none.
        var personal = db.WorkItems.AsNoTracking().Where(w => w.Status == WorkItemStatus.Open && w.AssigneeUserId == actor.UserId);
        var byRole = db.WorkItems.AsNoTracking().Where(w => w.Status == WorkItemStatus.Open && w.AssigneeUserId == null
            && w.AssigneeOrganisationId == org && roles.Contains(w.AssigneeRole!) && (w.ClaimedBy == null || w.ClaimedBy == actor.UserId));
        return personal.Concat(byRole);
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
