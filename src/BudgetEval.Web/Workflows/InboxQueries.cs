using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Workflows.Definitions;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BudgetEval.Web.Workflows;

/// <summary>Everything needed to show one case to one user.</summary>
internal sealed record CaseView(
    WorkflowInstance Instance,
    WorkflowDefinition Definition,
    IReadOnlyList<WorkflowHistoryEntry> History,
    IReadOnlyList<WorkItem> OpenItems,
    IReadOnlyList<ActionDefinition> AllowedActions);

/// <summary>What 待办 shows of a work item.</summary>
internal sealed record InboxItem(
    Guid Id, Guid InstanceId, string Title, string StateLabel, Guid? AssigneeUserId, Guid? ClaimedBy, string? AssigneeRole, DateTimeOffset? DueAt, DateTimeOffset CreatedAt);

/// <summary>One row of 待办: the item, its case's unit, 逾期提交, and the case's newest comment.</summary>
internal sealed record InboxRow(InboxItem Item, string? Unit, bool Late, InboxComment? Comment)
{
    /// <summary>The unit to show beside the title (a project's self-evaluation does not name it); null when the title names it already.</summary>
    public string? UnitBeside => Unit is { } name && !Item.Title.Contains(name, StringComparison.Ordinal) ? name : null;
}

/// <summary>One state's open items of a queue: all of them, 已逾期, and due soon.</summary>
internal sealed record StateCount(string State, string StateLabel, int Count, int Overdue, int Soon);

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
    public async Task<Paged<Guid>> OpenPageAsync(WorkflowActor actor, InboxFilter filter, DateTimeOffset now, int? page, CancellationToken ct)
    {
        var number = Paging.Clamp(page);
        var upTo = (number * Paging.DefaultPageSize) + 1; // enough of each branch for this page and "has next"
        if (filter.IsEmpty && OneRole(actor) is { } role)
        {
            var ids = new List<Guid>(Paging.DefaultPageSize + 1);
            await foreach (var id in OneRolePage(db, actor.UserId, actor.OrganisationId, role, upTo, (number - 1) * Paging.DefaultPageSize, Paging.DefaultPageSize + 1)
                .WithCancellation(ct))
            {
                ids.Add(id);
            }

            return Paging.Page(ids, number);
        }

        var firsts = OpenBranchesFor(actor).Select(branch => InboxOrder(filter.Apply(branch, now, db)).Take(upTo)).Aggregate((a, b) => a.Concat(b));
        return await InboxOrder(firsts).Select(w => w.Id).ToPageAsync(page, ct);
    }

    /// <summary>
    /// My open items counted by state: all, 已逾期 (due before <paramref name="now"/>), and due before <paramref name="soon"/>.
    /// One pass over the items.
    /// </summary>
    public async Task<IReadOnlyList<StateCount>> CountByStateAsync(WorkflowActor actor, DateTimeOffset now, DateTimeOffset soon, CancellationToken ct)
    {
        if (OneRole(actor) is { } role)
        {
            var counts = new List<StateCount>();
            await foreach (var c in OneRoleCounts(db, actor.UserId, actor.OrganisationId, role, now, soon).WithCancellation(ct))
            {
                counts.Add(c);
            }

            return counts;
        }

        return await OpenFor(actor).GroupBy(w => new { w.State, w.StateLabel })
            .Select(g => new StateCount(g.Key.State, g.Key.StateLabel, g.Count(), g.Count(w => w.DueAt < now), g.Count(w => w.DueAt >= now && w.DueAt < soon)))
            .ToListAsync(ct);
    }

    // Nearly every user holds one role. For them 待办's two busiest reads are compiled: EF's per-query work (walking
    // the expression tree for its parameters and hashing it to find the plan) cost the node more CPU than reading
    // the rows. They are OpenBranchesFor with its one role written out; InboxFastPathTests holds them to it.
    private static string? OneRole(WorkflowActor actor) => actor.Roles.Count == 1 ? actor.Roles.First() : null;

    private static readonly Func<AppDbContext, Guid, Guid?, string, int, int, int, IAsyncEnumerable<Guid>> OneRolePage = EF.CompileAsyncQuery(
        (AppDbContext db, Guid user, Guid? org, string role, int upTo, int skip, int take) =>
            db.WorkItems.AsNoTracking().Where(w => w.Status == WorkItemStatus.Open && w.AssigneeUserId == user)
                .OrderBy(w => w.DueAt).ThenBy(w => w.CreatedAt).ThenBy(w => w.Id).Take(upTo)
                .Concat(db.WorkItems.AsNoTracking().Where(w => w.Status == WorkItemStatus.Open && w.AssigneeUserId == null
                        && w.AssigneeOrganisationId == org && w.AssigneeRole == role && (w.ClaimedBy == null || w.ClaimedBy == user))
                    .OrderBy(w => w.DueAt).ThenBy(w => w.CreatedAt).ThenBy(w => w.Id).Take(upTo))
                .OrderBy(w => w.DueAt).ThenBy(w => w.CreatedAt).ThenBy(w => w.Id)
                .Select(w => w.Id).Skip(skip).Take(take));

    private static readonly Func<AppDbContext, Guid, Guid?, string, DateTimeOffset, DateTimeOffset, IAsyncEnumerable<StateCount>> OneRoleCounts = EF.CompileAsyncQuery(
        (AppDbContext db, Guid user, Guid? org, string role, DateTimeOffset now, DateTimeOffset soon) =>
            db.WorkItems.AsNoTracking().Where(w => w.Status == WorkItemStatus.Open && w.AssigneeUserId == user)
                .Concat(db.WorkItems.AsNoTracking().Where(w => w.Status == WorkItemStatus.Open && w.AssigneeUserId == null
                    && w.AssigneeOrganisationId == org && w.AssigneeRole == role && (w.ClaimedBy == null || w.ClaimedBy == user)))
                .GroupBy(w => new { w.State, w.StateLabel })
                .Select(g => new StateCount(g.Key.State, g.Key.StateLabel, g.Count(), g.Count(w => w.DueAt < now), g.Count(w => w.DueAt >= now && w.DueAt < soon))));

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
        var rows = new Dictionary<Guid, InboxRow>(ids.Count);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand(RowsSql, (NpgsqlConnection)db.Database.GetDbConnection()) { Parameters = { new() { Value = ids.ToArray() } } };
            await using var r = await command.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var item = new InboxItem(r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetString(3), Nullable<Guid>(r, 4), Nullable<Guid>(r, 5),
                    r.IsDBNull(6) ? null : r.GetString(6), Nullable<DateTimeOffset>(r, 7), r.GetFieldValue<DateTimeOffset>(8));
                var comment = r.IsDBNull(11) ? null : new InboxComment(r.GetString(11), r.GetString(12), r.GetString(13));
                rows[item.Id] = new InboxRow(item, r.IsDBNull(9) ? null : r.GetString(9), r.GetBoolean(10), comment);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return [.. ids.Where(rows.ContainsKey).Select(id => rows[id])];
    }

    private static T? Nullable<T>(NpgsqlDataReader r, int column) where T : struct => r.IsDBNull(column) ? null : r.GetFieldValue<T>(column);

    // Written out and read straight from Npgsql: EF asked for the newest comment as one object numbers every commented
    // history row of the database (ROW_NUMBER) to join it, and as three scalar subqueries walks back three times;
    // LATERAL walks once. Only the columns the page shows are read, and EF's per-query work (a sixth of the node's
    // CPU on this page when it was LINQ) is not done at all.
    private const string RowsSql = """
        SELECT w."Id", w."InstanceId", w."Title", w."StateLabel", w."AssigneeUserId", w."ClaimedBy", w."AssigneeRole",
               w."DueAt", w."CreatedAt", o."Name", coalesce(i."IsLate", false), h."Comment", h."ActorName", h."ActionLabel"
        FROM budgeteval.work_items w
        LEFT JOIN budgeteval.organisations o ON o."Id" = w."CaseOrganisationId"
        LEFT JOIN budgeteval.workflow_instances i ON i."Id" = w."InstanceId"
        LEFT JOIN LATERAL (
            SELECT h."Comment", h."ActorName", h."ActionLabel" FROM budgeteval.workflow_history h
            WHERE h."InstanceId" = w."InstanceId" AND h."Comment" IS NOT NULL
            ORDER BY h."Seq" DESC LIMIT 1) h ON true
        WHERE w."Id" = ANY($1)
        """;

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
