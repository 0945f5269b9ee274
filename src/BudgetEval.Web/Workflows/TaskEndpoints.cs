using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.Users;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Workflows;

/// <summary>
/// The case page's task operations for an integrating system: 认领, 释放, 委托 and 改派 of an open task, the
/// administrator's 调整状态, and who a task may be handed to. Each goes through the engine as the page does and
/// answers as POST /api/cases/{id}/actions/{action} does (404/403 out of scope, 403 not allowed, 409 stale, 422 refused,
/// each message under the body field the engine names: toUserId, comment, reason, toState, or "" for the task as a whole).
/// </summary>
internal static class TaskEndpoints
{
    internal sealed record CaseTaskRequest([property: ConcurrencyToken] int? ExpectedVersion);

    /// <summary>委托 / 改派: who takes the task over, an optional note for them, and the case's version.</summary>
    internal sealed record HandOverRequest(Guid? ToUserId, string? Comment, [property: ConcurrencyToken] int? ExpectedVersion);

    internal sealed record AlterStateRequest(string? ToState, string? Reason, [property: ConcurrencyToken] int? ExpectedVersion);

    internal sealed record TaskCandidateDto(Guid Id, string DisplayName);

    internal sealed record StateDto(string Id, string Label);

    private const string TaskRoute = "/cases/{id:guid}/tasks/{workItemId:guid}";

    private const string NotInScope = "您不在该待办的办理范围内。";

    public static void MapCaseTaskEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet(TaskRoute + "/candidates", async (Guid id, Guid workItemId, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        {
            var (item, refusal) = await TaskAsync(db, id, workItemId, ct);
            return refusal ?? TypedResults.Ok(await CandidatesAsync(db, item!, clock.GetUtcNow(), ct));
        })
            .WithSummary("待办可委托、改派给的用户（该待办所属单位中具有相应角色、可以登录的用户）")
            .WithDescription("与事项页面的「委托」「改派」下拉框相同；已办结的待办答空列表。委托时不能选自己。")
            .Produces<List<TaskCandidateDto>>();

        api.MapPost(TaskRoute + "/claim", RoleMemberAction((engine, id, workItemId, actor, version, key, ct) => engine.ClaimAsync(id, workItemId, actor, version, key, ct)))
            .WithSummary("认领待办：角色待办由本人承办（须为该待办所属单位中具有相应角色的用户）")
            .Produces<CaseEndpoints.FireResponse>();

        api.MapPost(TaskRoute + "/release", RoleMemberAction((engine, id, workItemId, actor, version, key, ct) => engine.ReleaseAsync(id, workItemId, actor, version, key, ct)))
            .WithSummary("释放待办：认领人将待办交还角色（只有认领人可以释放）")
            .Produces<CaseEndpoints.FireResponse>();

        api.MapPost(TaskRoute + "/delegate", HandOver(
                (item, actor) => WorkflowEngine.MayWork(item, actor) ? null : "只有该待办的经办人可以委托。",
                (engine, id, workItemId, to, actor, version, comment, key, ct) => engine.DelegateAsync(id, workItemId, to, actor, version, comment, key, ct)))
            .WithSummary("委托待办：经办人将待办交给同一单位、具有相应角色的同事（被委托人收到通知和邮件）")
            .Produces<CaseEndpoints.FireResponse>();

        api.MapPost(TaskRoute + "/reassign", HandOver(
                (_, actor) => WorkflowEngine.MayReassign(actor) ? null : "只有财政局绩效管理员或系统管理员可以改派。",
                (engine, id, workItemId, to, actor, version, comment, key, ct) => engine.ReassignAsync(id, workItemId, to, actor, version, comment, key, ct)))
            .WithSummary("改派待办：财政局将待办改派给该待办所属单位中具有相应角色的用户（绩效管理员、系统管理员）")
            .Produces<CaseEndpoints.FireResponse>();

        api.MapPost("/cases/{id:guid}/alter", async (Guid id, AlterStateRequest request, HttpContext http, WorkflowEngine engine, CancellationToken ct) =>
        {
            var actor = WorkflowActor.From(http.User);
            var refusal = actor.IsInRole(Roles.Admin) ? null : Forbidden("只有系统管理员可以调整事项状态。");
            refusal ??= Required(
                ("toState", string.IsNullOrWhiteSpace(request.ToState), "请提供 toState（目标状态的 id，可选的状态见 GET /api/cases/{id} 的 alterStates）。"),
                ("expectedVersion", request.ExpectedVersion is null, ExpectedVersionMissing));
            if (refusal is not null || !IdempotencyKeys.TryRead(http.Request, out var key, out refusal))
            {
                return refusal;
            }

            var result = await engine.AlterAsync(id, request.ToState!.Trim(), request.Reason, actor, request.ExpectedVersion!.Value, key, ct);
            return CaseEndpoints.ToResult(result);
        })
            .WithSummary("调整状态（系统管理员）：将事项移到流程中的任一状态，须填写原因；不检查条件、不执行后续动作，记入流转记录")
            .Produces<CaseEndpoints.FireResponse>();
    }

    /// <summary>
    /// 认领 and 释放: the caller must be a member of the task's role at its organisation (checked before the engine,
    /// which would otherwise answer a non-member "已有经办人"), then the engine's own rule decides.
    /// </summary>
    private static Func<Guid, Guid, CaseTaskRequest, HttpContext, AppDbContext, WorkflowEngine, CancellationToken, Task<IResult?>> RoleMemberAction(
        Func<WorkflowEngine, Guid, Guid, WorkflowActor, int, string?, CancellationToken, Task<FireResult>> fire) =>
        async (id, workItemId, request, http, db, engine, ct) =>
        {
            var actor = WorkflowActor.From(http.User);
            var (item, refusal) = await TaskAsync(db, id, workItemId, ct);
            refusal ??= InRoleAtOrganisation(item!, actor) ? null : Forbidden(NotInScope);
            refusal ??= Required(("expectedVersion", request.ExpectedVersion is null, ExpectedVersionMissing));
            if (refusal is not null || !IdempotencyKeys.TryRead(http.Request, out var key, out refusal))
            {
                return refusal;
            }

            return CaseEndpoints.ToResult(await fire(engine, id, workItemId, actor, request.ExpectedVersion!.Value, key, ct));
        };

    /// <summary>
    /// 委托 and 改派: <paramref name="forbidden"/> says why the caller may not hand this task over (null: may), then
    /// the engine checks the receiver and the comment.
    /// </summary>
    private static Func<Guid, Guid, HandOverRequest, HttpContext, AppDbContext, WorkflowEngine, CancellationToken, Task<IResult?>> HandOver(
        Func<WorkItem, WorkflowActor, string?> forbidden,
        Func<WorkflowEngine, Guid, Guid, Guid, WorkflowActor, int, string?, string?, CancellationToken, Task<FireResult>> fire) =>
        async (id, workItemId, request, http, db, engine, ct) =>
        {
            var actor = WorkflowActor.From(http.User);
            var (item, refusal) = await TaskAsync(db, id, workItemId, ct);
            refusal ??= forbidden(item!, actor) is { } why ? Forbidden(why) : null;
            refusal ??= Required(("toUserId", request.ToUserId is null, ToUserMissing), ("expectedVersion", request.ExpectedVersion is null, ExpectedVersionMissing));
            if (refusal is not null || !IdempotencyKeys.TryRead(http.Request, out var key, out refusal))
            {
                return refusal;
            }

            return CaseEndpoints.ToResult(await fire(engine, id, workItemId, request.ToUserId!.Value, actor, request.ExpectedVersion!.Value, request.Comment, key, ct));
        };

    private const string ExpectedVersionMissing = "请提供 expectedVersion（事项当前版本号）。";

    private const string ToUserMissing = "请提供 toUserId（接手该待办的用户，可选的用户见 GET /api/cases/{id}/tasks/{workItemId}/candidates）。";

    /// <summary>
    /// The task, when the case is in the caller's scope (else "not there or not yours": 404 to a read, 403 to an action)
    /// and the id is one of its tasks (else 404 naming where the tasks are listed).
    /// </summary>
    private static async Task<(WorkItem? Item, IResult? Refusal)> TaskAsync(AppDbContext db, Guid id, Guid workItemId, CancellationToken ct)
    {
        if (!await db.WorkflowInstances.AnyAsync(i => i.Id == id, ct))
        {
            return (null, ApiProblems.NotFound());
        }

        var item = await db.WorkItems.AsNoTracking().SingleOrDefaultAsync(w => w.Id == workItemId && w.InstanceId == id, ct);
        return item is null
            ? (null, ApiProblems.Problem(StatusCodes.Status404NotFound, "待办不存在", $"该事项没有编号为 {workItemId} 的待办；当前待办见 GET /api/cases/{id} 的 openWorkItems。"))
            : (item, null);
    }

    /// <summary>Who the task may be handed to (the case page's list): none once it is done.</summary>
    public static async Task<List<TaskCandidateDto>> CandidatesAsync(AppDbContext db, WorkItem item, DateTimeOffset now, CancellationToken ct) =>
        item is { Status: WorkItemStatus.Open, AssigneeOrganisationId: { } org, AssigneeRole: { } role }
            ? await TaskAssignees.Of(db, org, role, now).OrderBy(u => u.UserName).Select(u => new TaskCandidateDto(u.Id, u.DisplayName)).ToListAsync(ct)
            : [];

    /// <summary>
    /// Which of 认领/释放/委托/改派 the caller may do on an open task: the case page's rules for showing those buttons
    /// (委托 needs a colleague other than oneself, 改派 anyone to hand to).
    /// </summary>
    public static IReadOnlyList<CaseEndpoints.ActionDto> AllowedTaskActions(WorkItem item, WorkflowActor actor, IReadOnlyList<TaskCandidateDto> candidates)
    {
        var allowed = new List<CaseEndpoints.ActionDto>();
        if (item.AssigneeUserId is null && item.ClaimedBy is null && InRoleAtOrganisation(item, actor))
        {
            allowed.Add(new("claim", "认领", false));
        }

        if (item.ClaimedBy == actor.UserId)
        {
            allowed.Add(new("release", "释放", false));
        }

        if (WorkflowEngine.MayWork(item, actor) && candidates.Any(c => c.Id != actor.UserId))
        {
            allowed.Add(new("delegate", "委托", false));
        }

        if (WorkflowEngine.MayReassign(actor) && candidates.Count > 0)
        {
            allowed.Add(new("reassign", "改派", false));
        }

        return allowed;
    }

    private static bool InRoleAtOrganisation(WorkItem item, WorkflowActor actor) =>
        item.AssigneeRole is { } role && actor.IsInRole(role) && actor.OrganisationId == item.AssigneeOrganisationId;

    private static IResult Forbidden(string message) => ApiProblems.Problem(StatusCodes.Status403Forbidden, "无权操作", message);

    /// <summary>400 naming every missing field, as the actions endpoint answers a missing expectedVersion.</summary>
    private static IResult? Required(params (string Field, bool Missing, string Message)[] fields)
    {
        var missing = fields.Where(f => f.Missing).ToDictionary(f => f.Field, f => new[] { f.Message });
        return missing.Count == 0 ? null : ApiProblems.Validation(missing);
    }
}
