using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Users;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Workflows;

internal static class CaseEndpoints
{
    internal sealed record ActionRequest(string? Comment, [property: ConcurrencyToken] int? ExpectedVersion);

    internal sealed record ActionDto(string Id, string Label, bool CommentRequired);

    internal sealed record HistoryDto(int Seq, string Actor, DateTimeOffset At, string Action, string ActionLabel, string? From, string To, string? Comment, string Hash);

    /// <summary>A 待办/已办 item; <c>Unit</c> is the name of the case's unit (the one whose record it is), as the 待办 page shows it.</summary>
    internal sealed record WorkItemDto(Guid Id, Guid CaseId, string Title, string State, string StateLabel, string? AssigneeRole, Guid? AssigneeOrganisationId,
        Guid? AssigneeUserId, Guid? ClaimedBy, DateTimeOffset? DueAt, string Status, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, string? CompletedAction,
        Guid CaseOrganisationId, string? Unit);

    /// <summary>
    /// An open task of the case as GET /api/cases/{id} shows it: the 待办 fields, who holds it by name (a person, or a
    /// role of an organisation, and who claimed it) and which of claim/release/delegate/reassign the caller may do.
    /// </summary>
    internal sealed record CaseWorkItemDto(Guid Id, Guid CaseId, string Title, string State, string StateLabel, string? AssigneeRole, string? AssigneeRoleLabel,
        Guid? AssigneeOrganisationId, string? AssigneeOrganisationName, Guid? AssigneeUserId, string? AssigneeUserName, Guid? ClaimedBy, string? ClaimedByName,
        DateTimeOffset? DueAt, string Status, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, string? CompletedAction, Guid CaseOrganisationId, string? Unit,
        IReadOnlyList<ActionDto> AllowedTaskActions);

    /// <summary><c>AlterStates</c>: the states 调整状态 may move the case to; empty unless the caller is the administrator.</summary>
    internal sealed record CaseDto(Guid Id, string DefinitionId, int DefinitionVersion, string Title, string State, string StateLabel, int Version,
        bool IsLate, DateTimeOffset? DueAt, string SubjectType, Guid SubjectId, IReadOnlyList<ActionDto> AllowedActions,
        IReadOnlyList<CaseWorkItemDto> OpenWorkItems, IReadOnlyList<TaskEndpoints.StateDto> AlterStates, IReadOnlyList<HistoryDto> History);

    internal sealed record FireResponse(string State, string StateLabel, int Version);

    public static void MapCaseEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(ApiAuth.Policy).WithTags("Workflows");

        api.MapGet("/cases/{id:guid}", async (Guid id, HttpContext http, InboxQueries queries, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        {
            var actor = WorkflowActor.From(http.User);
            var view = await queries.CaseAsync(id, actor, ct);
            if (view is null)
            {
                return ApiProblems.NotFound();
            }

            var i = view.Instance;
            var state = view.Definition.State(i.State);
            var tasks = new List<CaseWorkItemDto>();
            if (view.OpenItems.Count > 0)
            {
                var organisations = await OrganisationNames.ForAsync(db, view.OpenItems.SelectMany(w => new[] { (Guid?)w.CaseOrganisationId, w.AssigneeOrganisationId }), ct);
                // As the case page: the holder's name whoever it is (a unit sees the bureau officer who has its task).
                var userIds = view.OpenItems.SelectMany(w => new[] { w.AssigneeUserId, w.ClaimedBy }).OfType<Guid>().Distinct().ToList();
                var users = await db.Users.IgnoreQueryFilters().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
                foreach (var w in view.OpenItems)
                {
                    var candidates = await TaskEndpoints.CandidatesAsync(db, w, clock.GetUtcNow(), ct);
                    tasks.Add(new CaseWorkItemDto(w.Id, w.InstanceId, w.Title, w.State, w.StateLabel, w.AssigneeRole, w.AssigneeRole is { } role ? Roles.Label(role) : null,
                        w.AssigneeOrganisationId, w.AssigneeOrganisationId is { } org ? organisations.GetValueOrDefault(org) : null,
                        w.AssigneeUserId, w.AssigneeUserId is { } assignee ? users.GetValueOrDefault(assignee) : null,
                        w.ClaimedBy, w.ClaimedBy is { } claimer ? users.GetValueOrDefault(claimer) : null,
                        w.DueAt, w.Status.ToString(), w.CreatedAt, w.CompletedAt, w.CompletedAction, w.CaseOrganisationId, organisations.GetValueOrDefault(w.CaseOrganisationId),
                        TaskEndpoints.AllowedTaskActions(w, actor, candidates)));
                }
            }

            var alterStates = actor.IsInRole(Roles.Admin)
                ? view.Definition.States.Where(s => s.Id != i.State).Select(s => new TaskEndpoints.StateDto(s.Id, s.Label)).ToList()
                : [];
            return TypedResults.Ok(new CaseDto(i.Id, i.DefinitionId, i.DefinitionVersion, i.Title, i.State, state.Label, i.Version, i.IsLate, i.DueAt,
                i.SubjectType, i.SubjectId,
                view.AllowedActions.Select(a => new ActionDto(a.Id, a.Label, a.CommentRequired)).ToList(),
                tasks,
                alterStates,
                view.History.Select(h => new HistoryDto(h.Seq, h.ActorName, h.At, h.Action, h.ActionLabel, h.FromState, h.ToState, h.Comment, h.Hash)).ToList()));
        })
            .WithSummary("事项详情：状态、版本号、可执行的操作、当前待办（经办人、可认领/释放/委托/改派）、流转记录；系统管理员另见可调整到的状态")
            .Produces<CaseDto>();

        api.MapPost("/cases/{id:guid}/actions/{action}", async (Guid id, string action, ActionRequest request, HttpContext http, WorkflowEngine engine, CancellationToken ct) =>
        {
            if (request.ExpectedVersion is not { } expected)
            {
                return ApiProblems.Validation(new Dictionary<string, string[]> { ["expectedVersion"] = ["请提供 expectedVersion（事项当前版本号）。"] });
            }

            if (!IdempotencyKeys.TryRead(http.Request, out var key, out var problem))
            {
                return problem;
            }

            var result = await engine.FireAsync(id, action, WorkflowActor.From(http.User), request.Comment, expected, key, ct);
            return ToResult(result);
        })
            .WithSummary("办理事项：执行当前状态下的一个操作（操作 id 见 GET /api/cases/{id} 的 allowedActions）")
            .Produces<FireResponse>();

        api.MapCaseTaskEndpoints();

        // count is the number on this page; X-Has-Next / Link say whether more follow (ApiPage).
        api.MapGet("/inbox", async (HttpContext http, InboxQueries queries, AppDbContext db, CancellationToken ct) =>
        {
            if (!ApiPage.TryFrom(http.Request, out var page, out var problem))
            {
                return problem;
            }

            var items = await page.ReadAsync(queries.OpenFor(WorkflowActor.From(http.User)).OrderBy(w => w.DueAt).ThenBy(w => w.CreatedAt).ThenBy(w => w.Id), http, ct);
            return Results.Ok(await ListAsync(db, items, ct));
        }).Produces<InboxList>();

        api.MapGet("/inbox/done", async (HttpContext http, InboxQueries queries, AppDbContext db, CancellationToken ct) =>
        {
            if (!ApiPage.TryFrom(http.Request, out var page, out var problem))
            {
                return problem;
            }

            var items = await page.ReadAsync(queries.DoneBy(WorkflowActor.From(http.User)).OrderByDescending(w => w.CompletedAt).ThenBy(w => w.Id), http, ct);
            return Results.Ok(await ListAsync(db, items, ct));
        }).Produces<InboxList>();
    }

    public static IResult ToResult(FireResult result) => result.Status switch
    {
        FireStatus.Ok => TypedResults.Ok(new FireResponse(result.State!, result.StateLabel!, result.Version)),
        FireStatus.NotFound when result.ActionUnknown => ApiProblems.Problem(StatusCodes.Status404NotFound, "操作不存在", string.Join(" ", result.Errors)),
        FireStatus.NotFound => ApiProblems.NotFound(),
        FireStatus.Forbidden => ApiProblems.Problem(StatusCodes.Status403Forbidden, "无权操作", string.Join(" ", result.Errors)),
        FireStatus.Conflict => ApiProblems.Conflict(string.Join(" ", result.Errors)),
        // Each message under the field the engine named (comment, toUserId, reason, toState), the rest under "".
        _ => ApiProblems.UnprocessableByField(result.ByField()),
    };

    /// <summary>One page of 待办 or 已办 (the paging headers say how many there are in all).</summary>
    internal sealed record InboxList(int Count, IReadOnlyList<WorkItemDto> Items);

    private static async Task<InboxList> ListAsync(AppDbContext db, IReadOnlyList<WorkItem> items, CancellationToken ct)
    {
        var units = await OrganisationNames.ForAsync(db, items.Select(w => (Guid?)w.CaseOrganisationId), ct);
        return new InboxList(items.Count, items.Select(w => ToDto(w, units)).ToList());
    }

    private static WorkItemDto ToDto(WorkItem w, IReadOnlyDictionary<Guid, string> units) => new(w.Id, w.InstanceId, w.Title, w.State, w.StateLabel, w.AssigneeRole,
        w.AssigneeOrganisationId, w.AssigneeUserId, w.ClaimedBy, w.DueAt, w.Status.ToString(), w.CreatedAt, w.CompletedAt, w.CompletedAction,
        w.CaseOrganisationId, units.GetValueOrDefault(w.CaseOrganisationId));
}
