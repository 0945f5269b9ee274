using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Shared;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Workflows;

internal static class CaseEndpoints
{
    internal sealed record ActionRequest(string? Comment, int? ExpectedVersion);

    internal sealed record ActionDto(string Id, string Label, bool CommentRequired);

    internal sealed record HistoryDto(int Seq, string Actor, DateTimeOffset At, string Action, string ActionLabel, string? From, string To, string? Comment, string Hash);

    /// <summary>A 待办/已办 item; <c>Unit</c> is the name of the case's unit (the one whose record it is), as the 待办 page shows it.</summary>
    internal sealed record WorkItemDto(Guid Id, Guid CaseId, string Title, string State, string StateLabel, string? AssigneeRole, Guid? AssigneeOrganisationId,
        Guid? AssigneeUserId, Guid? ClaimedBy, DateTimeOffset? DueAt, string Status, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, string? CompletedAction,
        Guid CaseOrganisationId, string? Unit);

    internal sealed record CaseDto(Guid Id, string DefinitionId, int DefinitionVersion, string Title, string State, string StateLabel, int Version,
        bool IsLate, DateTimeOffset? DueAt, string SubjectType, Guid SubjectId, IReadOnlyList<ActionDto> AllowedActions,
        IReadOnlyList<WorkItemDto> OpenWorkItems, IReadOnlyList<HistoryDto> History);

    internal sealed record FireResponse(string State, string StateLabel, int Version);

    public static void MapCaseEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(ApiAuth.Policy).WithTags("Workflows");

        api.MapGet("/cases/{id:guid}", async (Guid id, HttpContext http, InboxQueries queries, AppDbContext db, CancellationToken ct) =>
        {
            var view = await queries.CaseAsync(id, WorkflowActor.From(http.User), ct);
            if (view is null)
            {
                return ApiProblems.NotFound();
            }

            var i = view.Instance;
            var state = view.Definition.State(i.State);
            var units = await OrganisationNames.ForAsync(db, view.OpenItems.Select(w => (Guid?)w.CaseOrganisationId), ct);
            return TypedResults.Ok(new CaseDto(i.Id, i.DefinitionId, i.DefinitionVersion, i.Title, i.State, state.Label, i.Version, i.IsLate, i.DueAt,
                i.SubjectType, i.SubjectId,
                view.AllowedActions.Select(a => new ActionDto(a.Id, a.Label, a.CommentRequired)).ToList(),
                view.OpenItems.Select(w => ToDto(w, units)).ToList(),
                view.History.Select(h => new HistoryDto(h.Seq, h.ActorName, h.At, h.Action, h.ActionLabel, h.FromState, h.ToState, h.Comment, h.Hash)).ToList()));
        });

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
        });

        // count is the number on this page; X-Has-Next / Link say whether more follow (ApiPage).
        api.MapGet("/inbox", async (HttpContext http, InboxQueries queries, AppDbContext db, CancellationToken ct) =>
        {
            if (!ApiPage.TryFrom(http.Request, out var page, out var problem))
            {
                return problem;
            }

            var items = await page.ReadAsync(queries.OpenFor(WorkflowActor.From(http.User)).OrderBy(w => w.DueAt).ThenBy(w => w.CreatedAt).ThenBy(w => w.Id), http, ct);
            return Results.Ok(await ListAsync(db, items, ct));
        });

        api.MapGet("/inbox/done", async (HttpContext http, InboxQueries queries, AppDbContext db, CancellationToken ct) =>
        {
            if (!ApiPage.TryFrom(http.Request, out var page, out var problem))
            {
                return problem;
            }

            var items = await page.ReadAsync(queries.DoneBy(WorkflowActor.From(http.User)).OrderByDescending(w => w.CompletedAt).ThenBy(w => w.Id), http, ct);
            return Results.Ok(await ListAsync(db, items, ct));
        });
    }

    public static IResult ToResult(FireResult result) => result.Status switch
    {
        FireStatus.Ok => TypedResults.Ok(new FireResponse(result.State!, result.StateLabel!, result.Version)),
        FireStatus.NotFound when result.ActionUnknown => ApiProblems.Problem(StatusCodes.Status404NotFound, "操作不存在", string.Join(" ", result.Errors)),
        FireStatus.NotFound => ApiProblems.NotFound(),
        FireStatus.Forbidden => ApiProblems.Problem(StatusCodes.Status403Forbidden, "无权操作", string.Join(" ", result.Errors)),
        FireStatus.Conflict => ApiProblems.Conflict(string.Join(" ", result.Errors)),
        _ => ApiProblems.Unprocessable(result.Errors),
    };

    private static async Task<object> ListAsync(AppDbContext db, IReadOnlyList<WorkItem> items, CancellationToken ct)
    {
        var units = await OrganisationNames.ForAsync(db, items.Select(w => (Guid?)w.CaseOrganisationId), ct);
        return new { count = items.Count, items = items.Select(w => ToDto(w, units)).ToList() };
    }

    private static WorkItemDto ToDto(WorkItem w, IReadOnlyDictionary<Guid, string> units) => new(w.Id, w.InstanceId, w.Title, w.State, w.StateLabel, w.AssigneeRole,
        w.AssigneeOrganisationId, w.AssigneeUserId, w.ClaimedBy, w.DueAt, w.Status.ToString(), w.CreatedAt, w.CompletedAt, w.CompletedAction,
        w.CaseOrganisationId, units.GetValueOrDefault(w.CaseOrganisationId));
}
