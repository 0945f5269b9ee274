using BudgetEval.Web.Audit;
using System.Text.Json;
using System.Text.Json.Serialization;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows.Definitions;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BudgetEval.Web.Workflows;

internal enum FireStatus
{
    Ok,
    NotFound,
    Forbidden,
    Conflict,
    Invalid,
}

/// <summary>The outcome of a Fire (or another case operation), also what an idempotency key stores.</summary>
internal sealed record FireResult(FireStatus Status, string? State, string? StateLabel, int Version, IReadOnlyList<string> Errors)
{
    public const string StaleMessage = "该事项已被他人处理，请刷新后重试。";

    public bool Succeeded => Status == FireStatus.Ok;

    /// <summary>After a save of a finding: its new <see cref="Findings.FindingStamp"/>, for the client's next save.</summary>
    public string? Stamp { get; init; }

    public int HttpStatus => HttpStatusOf(Status);

    /// <summary>The HTTP status of an outcome (a page answering a refused form uses it too).</summary>
    public static int HttpStatusOf(FireStatus status) => status switch
    {
        FireStatus.Ok => StatusCodes.Status200OK,
        FireStatus.NotFound => StatusCodes.Status404NotFound,
        FireStatus.Forbidden => StatusCodes.Status403Forbidden,
        FireStatus.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status422UnprocessableEntity,
    };

    public static FireResult NotFound() => new(FireStatus.NotFound, null, null, 0, ["记录不存在或您无权查看。"]);

    public static FireResult Forbidden(string message) => new(FireStatus.Forbidden, null, null, 0, [message]);

    /// <summary>An action id the case's workflow does not define at all (answered 404 naming it).</summary>
    public static FireResult UnknownAction(string message) => new(FireStatus.NotFound, null, null, 0, [message]) { ActionUnknown = true };

    public bool ActionUnknown { get; init; }

    public static FireResult Conflict(string message = StaleMessage) => new(FireStatus.Conflict, null, null, 0, [message]);

    public static FireResult Invalid(IReadOnlyList<string> errors) => new(FireStatus.Invalid, null, null, 0, errors);

    /// <summary>A refusal whose messages each name the request field they are about ("" for the case as a whole).</summary>
    public static FireResult Invalid(IReadOnlyList<FieldError> errors) => new(FireStatus.Invalid, null, null, 0, errors.Messages()) { Fields = errors };

    /// <summary>
    /// <see cref="Errors"/> with their fields, when the refusal knows them. Not stored with an idempotency key:
    /// only successes are, and they have no errors.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<FieldError>? Fields { get; init; }

    /// <summary>Each message under the input it is about (<see cref="EngineFields"/>); a result that names none has them all under "".</summary>
    public IReadOnlyList<FieldError> ByField() => Fields ?? [.. Errors.Select(FieldError.Whole)];
}

/// <summary>
/// The request fields an engine refusal can be about, as the JSON bodies and the case page's forms spell them,
/// so the API answers <c>errors[field]</c> and the page shows the message beside that input.
/// </summary>
internal static class EngineFields
{
    public const string Comment = "comment";

    /// <summary>委托/改派: whom the task goes to.</summary>
    public const string ToUserId = "toUserId";

    /// <summary>调整状态: the mandatory reason and the target state.</summary>
    public const string Reason = "reason";

    public const string ToState = "toState";
}

/// <summary>
/// The only code that changes a case's state. Every operation runs in one transaction that locks the
/// case row (SELECT ... FOR UPDATE), checks the caller's expected version, and writes the new state,
/// the work items, the history entry, the notifications and the idempotency record together.
/// </summary>
internal sealed class WorkflowEngine(
    AppDbContext db,
    WorkflowRegistry registry,
    IEnumerable<IGuard> guards,
    IEnumerable<IEffect> effects,
    IEnumerable<IWorkflowSubject> subjects,
    DueDates dueDates,
    BureauLookup bureau,
    IHttpContextAccessor http,
    Notifications.NotificationWriter notices,
    TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Creates a case in its definition's initial state (newest version). Adds to the DbContext only:
    /// the caller saves it together with the subject, so both exist or neither does. <paramref name="then"/>
    /// names effects to run as part of the start (e.g. NotifyUnit when a plan is published), under the
    /// pseudo-action <paramref name="startLabel"/>, exactly as an action's effects would run; <paramref name="comment"/> is
    /// that start's 意见 in the history and in its notices (e.g. why a target was selected).
    /// </summary>
    public async Task<WorkflowInstance> StartAsync(string definitionId, string subjectType, Guid subjectId, string title,
        Guid organisationId, DateOnly? planDeadline, WorkflowActor actor, CancellationToken ct,
        IReadOnlyList<string>? then = null, string startLabel = "创建", string? comment = null)
    {
        comment = Shared.TextInput.Block(comment);
        var def = registry.Latest(definitionId);
        var now = clock.GetUtcNow();
        var instance = new WorkflowInstance
        {
            Id = Guid.CreateVersion7(now),
            DefinitionId = def.Id,
            DefinitionVersion = def.Version,
            State = def.Initial,
            SubjectType = subjectType,
            SubjectId = subjectId,
            Title = title,
            OrganisationId = organisationId,
            PlanDeadline = planDeadline,
            Version = 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.WorkflowInstances.Add(instance);
        var initial = def.State(def.Initial);
        await OpenWorkItemAsync(instance, initial, now, ct);
        AppendHistory(instance, actor, now, "start", startLabel, null, initial.Id, comment);
        if (then is { Count: > 0 })
        {
            var start = new ActionDefinition("start", startLabel, initial.Id, [], [], then, false, 0);
            var context = new FireContext(db, instance, def, initial, start, actor, comment, now, dueDates.Today(now), this);
            foreach (var name in then)
            {
                await Effect(name).ApplyAsync(context, ct);
            }
        }

        return instance;
    }

    /// <remarks>
    /// <paramref name="prepare"/> writes what the action's own form carries onto the subject (部分整改's new deadline)
    /// inside this transaction, after the access checks and before the guards, so the guards see it and a refused
    /// action leaves nothing of it saved; a result it returns is the refusal.
    /// </remarks>
    public Task<FireResult> FireAsync(Guid caseId, string actionId, WorkflowActor actor, string? comment, int expectedVersion,
        string? idempotencyKey, CancellationToken ct, Func<FireContext, CancellationToken, Task<FireResult?>>? prepare = null) =>
        RunLockedAsync(caseId, expectedVersion, actor, idempotencyKey, async (instance, openItem, def, now) =>
        {
            var from = def.State(instance.State);
            var action = from.Action(actionId);
            var known = def.States.SelectMany(s => s.Actions).DistinctBy(a => a.Id).ToList();
            if (action is null && !known.Any(a => a.Id == actionId))
            {
                // A misspelt action is not a state problem: name it and list the flow's actions.
                return FireResult.UnknownAction($"没有名为「{actionId}」的操作。该流程的操作有：{string.Join("、", known.Select(a => $"{a.Id}（{a.Label}）"))}；"
                    + $"当前状态「{from.Label}」下可执行的操作见 GET /api/cases/{{id}} 的 allowedActions。");
            }

            if (action is null)
            {
                return FireResult.Invalid([$"当前状态「{from.Label}」下不能执行此操作。"]);
            }

            if (Denied(instance, action, openItem, actor) is { } denied)
            {
                return FireResult.Forbidden(denied);
            }

            comment = Shared.TextInput.Block(comment); // line breaks kept, control characters dropped
            var context = new FireContext(db, instance, def, from, action, actor, comment, now, dueDates.Today(now), this);
            var errors = new List<FieldError>();
            if (action.CommentRequired && comment is null)
            {
                errors.Add(new(EngineFields.Comment, CommentRequired(action.Label)));
            }

            if (CommentTooLong(comment) is { } tooLong)
            {
                errors.Add(new(EngineFields.Comment, tooLong));
            }

            if (errors.Count == 0 && prepare is not null && await prepare(context, ct) is { } unprepared)
            {
                return unprepared;
            }

            foreach (var name in action.Requires)
            {
                errors.AddRange(await Guard(name).CheckAsync(context, ct));
            }

            if (errors.Count > 0)
            {
                return FireResult.Invalid(errors);
            }

            foreach (var name in action.Then)
            {
                await Effect(name).ApplyAsync(context, ct);
            }

            if (openItem is not null)
            {
                // Taken by another party over the task holder's head (更换评价机构), the task was not done but withdrawn.
                openItem.Status = ActsAsHolder(action, openItem) ? WorkItemStatus.Done : WorkItemStatus.Cancelled;
                openItem.CompletedBy = actor.UserId;
                openItem.CompletedAt = now;
                openItem.CompletedAction = action.Label;
            }

            await MoveAsync(instance, context.To, now, ct);
            AppendHistory(instance, actor, now, action.Id, action.Label, from.Id, context.To.Id,
                context.HistoryNote is { } note ? comment is null ? note : $"{note}\n{comment}" : comment);
            foreach (var subject in SubjectsOf(instance))
            {
                await subject.OnFiredAsync(context, ct);
            }

            return Ok(instance, def);
        }, ct);

    /// <summary>A member of the acting role takes a role task for themselves (认领).</summary>
    public Task<FireResult> ClaimAsync(Guid caseId, Guid workItemId, WorkflowActor actor, int expectedVersion, CancellationToken ct) =>
        ClaimAsync(caseId, workItemId, actor, expectedVersion, null, ct);

    /// <summary>认领 with an idempotency key: a repeat with the same key answers the first answer (as <see cref="FireAsync"/>).</summary>
    public Task<FireResult> ClaimAsync(Guid caseId, Guid workItemId, WorkflowActor actor, int expectedVersion, string? idempotencyKey, CancellationToken ct) =>
        OnWorkItemAsync(caseId, workItemId, actor, expectedVersion, idempotencyKey, async (instance, def, item, now) =>
        {
            if (item.AssigneeUserId is not null || item.ClaimedBy is not null)
            {
                return FireResult.Invalid(["该待办已有经办人，不能认领。"]);
            }

            if (!InRoleAtOrganisation(item, actor))
            {
                return FireResult.Forbidden("您不在该待办的办理范围内。");
            }

            item.ClaimedBy = actor.UserId;
            item.ClaimedAt = now;
            AppendHistory(instance, actor, now, "claim", "认领", instance.State, instance.State, null);
            return Ok(instance, def);
        }, ct);

    /// <summary>Gives a claimed task back to the role (释放).</summary>
    public Task<FireResult> ReleaseAsync(Guid caseId, Guid workItemId, WorkflowActor actor, int expectedVersion, CancellationToken ct) =>
        ReleaseAsync(caseId, workItemId, actor, expectedVersion, null, ct);

    public Task<FireResult> ReleaseAsync(Guid caseId, Guid workItemId, WorkflowActor actor, int expectedVersion, string? idempotencyKey, CancellationToken ct) =>
        OnWorkItemAsync(caseId, workItemId, actor, expectedVersion, idempotencyKey, async (instance, def, item, now) =>
        {
            if (item.ClaimedBy != actor.UserId)
            {
                return FireResult.Invalid(["只有认领人可以释放该待办。"]);
            }

            item.ClaimedBy = null;
            item.ClaimedAt = null;
            AppendHistory(instance, actor, now, "release", "释放", instance.State, instance.State, null);
            return Ok(instance, def);
        }, ct);

    /// <summary>The person holding a task hands it to a colleague with the same role (委托).</summary>
    public Task<FireResult> DelegateAsync(Guid caseId, Guid workItemId, Guid toUserId, WorkflowActor actor, int expectedVersion, string? comment, CancellationToken ct) =>
        DelegateAsync(caseId, workItemId, toUserId, actor, expectedVersion, comment, null, ct);

    public Task<FireResult> DelegateAsync(Guid caseId, Guid workItemId, Guid toUserId, WorkflowActor actor, int expectedVersion, string? comment,
        string? idempotencyKey, CancellationToken ct) =>
        OnWorkItemAsync(caseId, workItemId, actor, expectedVersion, idempotencyKey, async (instance, def, item, now) =>
        {
            if (!MayWork(item, actor))
            {
                return FireResult.Forbidden("只有该待办的经办人可以委托。");
            }

            comment = Shared.TextInput.Block(comment);

            if (CommentTooLong(comment) is { } tooLong)
            {
                return FireResult.Invalid([new FieldError(EngineFields.Comment, tooLong)]);
            }

            var target = await EligibleUserAsync(item, toUserId, ct);
            if (target is null)
            {
                return FireResult.Invalid([new FieldError(EngineFields.ToUserId, "被委托人须为同一单位、具有相应角色的用户。")]);
            }

            item.AssigneeUserId = target.Id;
            item.ClaimedBy = null;
            item.ClaimedAt = null;
            AppendHistory(instance, actor, now, "delegate", "委托", instance.State, instance.State,
                Join($"委托给 {target.DisplayName}", comment));
            await TellNewAssigneeAsync(instance, item, target, actor, comment, now, ct);
            return Ok(instance, def);
        }, ct);

    /// <summary>The bureau moves a task to another person (改派).</summary>
    public Task<FireResult> ReassignAsync(Guid caseId, Guid workItemId, Guid toUserId, WorkflowActor actor, int expectedVersion, string? comment, CancellationToken ct) =>
        ReassignAsync(caseId, workItemId, toUserId, actor, expectedVersion, comment, null, ct);

    public Task<FireResult> ReassignAsync(Guid caseId, Guid workItemId, Guid toUserId, WorkflowActor actor, int expectedVersion, string? comment,
        string? idempotencyKey, CancellationToken ct) =>
        OnWorkItemAsync(caseId, workItemId, actor, expectedVersion, idempotencyKey, async (instance, def, item, now) =>
        {
            if (!MayReassign(actor))
            {
                return FireResult.Forbidden("只有财政局绩效管理员或系统管理员可以改派。");
            }

            comment = Shared.TextInput.Block(comment);

            if (CommentTooLong(comment) is { } tooLong)
            {
                return FireResult.Invalid([new FieldError(EngineFields.Comment, tooLong)]);
            }

            var target = await EligibleUserAsync(item, toUserId, ct);
            if (target is null)
            {
                return FireResult.Invalid([new FieldError(EngineFields.ToUserId, "改派对象须为该待办所属单位、具有相应角色的用户。")]);
            }

            item.AssigneeUserId = target.Id;
            item.ClaimedBy = null;
            item.ClaimedAt = null;
            AppendHistory(instance, actor, now, "reassign", "改派", instance.State, instance.State,
                Join($"改派给 {target.DisplayName}", comment));
            await TellNewAssigneeAsync(instance, item, target, actor, comment, now, ct);
            return Ok(instance, def);
        }, ct);

    /// <summary>An administrator moves a case to any state, with a reason (调整状态). Guards and effects do not run.</summary>
    public Task<FireResult> AlterAsync(Guid caseId, string toState, string? reason, WorkflowActor actor, int expectedVersion, CancellationToken ct) =>
        AlterAsync(caseId, toState, reason, actor, expectedVersion, null, ct);

    public Task<FireResult> AlterAsync(Guid caseId, string toState, string? reason, WorkflowActor actor, int expectedVersion, string? idempotencyKey, CancellationToken ct) =>
        RunLockedAsync(caseId, expectedVersion, actor, idempotencyKey, async (instance, item, def, now) =>
        {
            if (!actor.IsInRole(Roles.Admin))
            {
                return FireResult.Forbidden("只有系统管理员可以调整事项状态。");
            }

            reason = Shared.TextInput.Block(reason);
            if (string.IsNullOrWhiteSpace(reason))
            {
                return FireResult.Invalid([new FieldError(EngineFields.Reason, "调整状态须填写原因。")]);
            }

            if (CommentTooLong(reason.Trim(), "原因") is { } tooLong)
            {
                return FireResult.Invalid([new FieldError(EngineFields.Reason, tooLong)]);
            }

            if (!def.HasState(toState))
            {
                return FireResult.Invalid([new FieldError(EngineFields.ToState, $"流程中没有状态「{toState}」。")]);
            }

            var from = instance.State;
            if (item is not null)
            {
                item.Status = WorkItemStatus.Cancelled;
                item.CompletedBy = actor.UserId;
                item.CompletedAt = now;
                item.CompletedAction = "调整状态";
            }

            await MoveAsync(instance, def.State(toState), now, ct);
            AppendHistory(instance, actor, now, "alter", "调整状态", from, toState, reason.Trim());
            return Ok(instance, def);
        }, ct);

    /// <summary>
    /// A plan's deadline moved (计划变更): the open cases about these subjects take the new plan deadline, and
    /// their open tasks that are due by the plan deadline get the new due date and reminder schedule, so
    /// nobody is reminded or escalated against the old date. A finished case keeps the deadline it was decided
    /// under. Adds to the DbContext only; the caller saves it within the transaction that records the amendment.
    /// </summary>
    /// <returns>The open cases (all take the new plan deadline), and those of them whose open task's due date moved
    /// (a case waiting on the bureau keeps its task's due date).</returns>
    public async Task<(IReadOnlyList<WorkflowInstance> Open, IReadOnlyList<WorkflowInstance> TaskMoved)> RescheduleForPlanDeadlineAsync(IReadOnlyCollection<Guid> subjectIds, DateOnly deadline, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var instances = (await db.WorkflowInstances.IgnoreQueryFilters().Where(i => subjectIds.Contains(i.SubjectId)).ToListAsync(ct))
            .Where(i => registry.Get(i.DefinitionId, i.DefinitionVersion).State(i.State).Kind != StateKind.End)
            .ToList();
        var instanceIds = instances.Select(i => i.Id).ToList();
        var open = await db.WorkItems.IgnoreQueryFilters()
            .Where(w => instanceIds.Contains(w.InstanceId) && w.Status == WorkItemStatus.Open).ToListAsync(ct);
        var taskMoved = new HashSet<WorkflowInstance>();
        foreach (var instance in instances)
        {
            instance.PlanDeadline = deadline;
            var def = registry.Get(instance.DefinitionId, instance.DefinitionVersion);
            foreach (var item in open.Where(w => w.InstanceId == instance.Id && def.HasState(w.State)))
            {
                var state = def.State(item.State);
                if (state.Due?.Kind != DueRuleKind.PlanDeadline)
                {
                    continue;
                }

                item.DueAt = dueDates.DueAt(state.Due, deadline, now);
                item.NextReminderAt = dueDates.FirstReminderAt(state.Reminders, item.DueAt, now);
                instance.DueAt = item.DueAt;
                taskMoved.Add(instance);
            }
        }

        return (instances, instances.Where(taskMoved.Contains).ToList());
    }

    /// <summary>The date a state's due rule counts to: the subject's own deadline for <c>subjectDeadline</c>, else the plan's.</summary>
    public async Task<DateOnly?> DeadlineForAsync(WorkflowInstance instance, StateDefinition state, CancellationToken ct)
    {
        if (state.Due?.Kind != DueRuleKind.SubjectDeadline)
        {
            return instance.PlanDeadline;
        }

        foreach (var subject in SubjectsOf(instance))
        {
            if (await subject.DeadlineAsync(db, instance, ct) is { } deadline)
            {
                return deadline;
            }
        }

        return null;
    }

    /// <summary>The actions of the current state this actor may take (guards are not evaluated here).</summary>
    public IReadOnlyList<ActionDefinition> AllowedActions(WorkflowInstance instance, WorkItem? openItem, WorkflowActor actor)
    {
        var def = registry.Get(instance.DefinitionId, instance.DefinitionVersion);
        return def.State(instance.State).Actions.Where(a => Denied(instance, a, openItem, actor) is null).ToList();
    }

    /// <summary>May this actor do the work of this item (as its assignee, its claimer, or a member of its role)?</summary>
    /// <summary>改派 is the bureau's: its performance officers and administrators.</summary>
    public static bool MayReassign(WorkflowActor actor) =>
        actor.OrganisationKind == OrganisationKind.FinanceBureau && (actor.IsInRole(Roles.FinanceOfficer) || actor.IsInRole(Roles.Admin));

    public static bool MayWork(WorkItem item, WorkflowActor actor) =>
        item.AssigneeUserId is { } user
            ? user == actor.UserId
            : InRoleAtOrganisation(item, actor) && (item.ClaimedBy is null || item.ClaimedBy == actor.UserId);

    private static bool InRoleAtOrganisation(WorkItem item, WorkflowActor actor) =>
        item.AssigneeRole is { } role && actor.IsInRole(role) && actor.OrganisationId == item.AssigneeOrganisationId;

    private static string? Denied(WorkflowInstance instance, ActionDefinition action, WorkItem? openItem, WorkflowActor actor)
    {
        var allowedRole = action.Roles.Any(role => actor.IsInRole(role) && InScope(instance, WorkflowLoader.ScopeOf(role), actor));
        if (!allowedRole)
        {
            return $"您无权执行「{action.Label}」：须由{string.Join("或", action.Roles.Select(Roles.Label))}办理。";
        }

        if (openItem is not null && ActsAsHolder(action, openItem) && !MayWork(openItem, actor))
        {
            return "该待办已由他人认领或指定给他人办理。";
        }

        return null;
    }

    /// <summary>
    /// Whether an action is the open task's own work (its role may take it), so who holds the task matters. An action only
    /// another party may take (the bureau's 更换评价机构 while the firm holds the task) is decided by its roles alone.
    /// </summary>
    private static bool ActsAsHolder(ActionDefinition action, WorkItem item) => item.AssigneeRole is not { } role || action.Roles.Contains(role);

    private static bool InScope(WorkflowInstance instance, ActorScope scope, WorkflowActor actor) => scope switch
    {
        ActorScope.Unit => actor.OrganisationKind == OrganisationKind.BudgetUnit && actor.OrganisationId == instance.OrganisationId,
        ActorScope.Bureau => actor.OrganisationKind == OrganisationKind.FinanceBureau,
        ActorScope.Firm => actor.OrganisationKind == OrganisationKind.EvaluationFirm && actor.OrganisationId == instance.AssignedFirmId,
        _ => false,
    };

    private Task<FireResult> OnWorkItemAsync(Guid caseId, Guid workItemId, WorkflowActor actor, int expectedVersion, string? idempotencyKey,
        Func<WorkflowInstance, WorkflowDefinition, WorkItem, DateTimeOffset, Task<FireResult>> body, CancellationToken ct) =>
        RunLockedAsync(caseId, expectedVersion, actor, idempotencyKey, async (instance, _, def, now) =>
        {
            var item = await db.WorkItems.SingleOrDefaultAsync(w => w.Id == workItemId && w.InstanceId == caseId && w.Status == WorkItemStatus.Open, ct);
            if (item is null)
            {
                return FireResult.Conflict();
            }

            // A change of hands makes open pages stale too (nothing is saved if the body refuses).
            instance.Version++;
            instance.UpdatedAt = now;
            return await body(instance, def, item, now);
        }, ct);

    private async Task<FireResult> RunLockedAsync(Guid caseId, int expectedVersion, WorkflowActor actor, string? idempotencyKey,
        Func<WorkflowInstance, WorkItem?, WorkflowDefinition, DateTimeOffset, Task<FireResult>> body, CancellationToken ct)
    {
        // The retrying strategy (EnableRetryOnFailure) requires user transactions to run inside it, as one retriable unit.
        var strategy = db.Database.CreateExecutionStrategy();
        try
        {
            return await strategy.ExecuteAsync(async () =>
            {
                db.ChangeTracker.Clear();
                await using var tx = await db.Database.BeginTransactionAsync(ct);

                // The whole transaction is the unit of retry; a savepoint per SaveChanges would only cost a round trip.
                db.Database.AutoSavepointsEnabled = false;

                // The row lock serialises concurrent operations on one case: the second waits here, then
                // sees the first one's version and answers 409 (or the first one's stored response).
                // Lock and load in one round trip, with the open work item (CaseLock). Its statements are
                // plain SQL, which EF's query filter does not reach, so the data scope is checked in code.
                var (instance, openItem) = await CaseLock.LockAsync(db, tx, caseId, ct);
                if (instance is null || !await VisibleAsync(instance, ct))
                {
                    return FireResult.NotFound();
                }

                if (instance.Version != expectedVersion)
                {
                    // Read under the lock: a repeat (even a concurrent double click) sees the first one's answer.
                    // Stored answers are read only off the common path (here, and when the body refuses): a stored
                    // answer's request moved the version on, and a reused key that still matches the version and
                    // succeeds fails on the key's unique index at save, which answers with the stored one (below).
                    return idempotencyKey is not null && await StoredResponseAsync(actor, idempotencyKey, caseId, ct) is { } earlier
                        ? earlier
                        : FireResult.Conflict();
                }

                var now = clock.GetUtcNow();
                var def = registry.Get(instance.DefinitionId, instance.DefinitionVersion);
                var fromState = instance.State;
                var historyBefore = instance.HistorySeq;
                var result = await body(instance, openItem, def, now);
                if (!result.Succeeded)
                {
                    await tx.RollbackAsync(ct);
                    return idempotencyKey is not null && await StoredResponseAsync(actor, idempotencyKey, caseId, ct) is { } stored ? stored : result;
                }

                if (instance.HistorySeq > historyBefore)
                {
                    var entry = db.WorkflowHistory.Local.Single(h => h.InstanceId == instance.Id && h.Seq == instance.HistorySeq);
                    // With the request's address when there is one (a job's transition has none).
                    AuditTrail.Add(db, http.HttpContext, now, AuditActions.CaseTransition, instance.Id.ToString(),
                        $"{def.Title}「{instance.Title}」：{entry.ActionLabel}（{def.State(fromState).Label} → {def.State(instance.State).Label}）",
                        actorId: actor.UserId, actorName: AuditTrail.ActorName(actor.DisplayName, actor.UserName), organisationId: actor.OrganisationId);
                }

                if (idempotencyKey is not null)
                {
                    db.IdempotencyKeys.Add(new IdempotencyKey
                    {
                        Key = idempotencyKey,
                        UserId = actor.UserId,
                        InstanceId = caseId,
                        StatusCode = result.HttpStatus,
                        ResponseJson = JsonSerializer.Serialize(result, Json),
                        CreatedAt = now,
                    });
                }

                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return result;
            });
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return FireResult.Conflict();
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // The same key raced in on another case row: the other request won, so answer what it answered.
            db.ChangeTracker.Clear();
            return idempotencyKey is not null && await StoredResponseAsync(actor, idempotencyKey, caseId, ct) is { } stored
                ? stored
                : FireResult.Conflict();
        }
    }

    private async Task<FireResult?> StoredResponseAsync(WorkflowActor actor, string key, Guid caseId, CancellationToken ct)
    {
        var row = await db.IdempotencyKeys.AsNoTracking().Where(k => k.UserId == actor.UserId && k.Key == key)
            .Select(k => new { k.InstanceId, k.ResponseJson }).SingleOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }

        return row.InstanceId != caseId
            ? FireResult.Invalid(["该幂等键已用于其他事项。"])
            : JsonSerializer.Deserialize<FireResult>(row.ResponseJson, Json);
    }

    /// <summary>
    /// The case filter of AppDbContext, for the one case already loaded: a unit does not see an evaluation
    /// while it is the bureau's proposal; a firm sees a case only while the evaluation behind it is open.
    /// </summary>
    private async Task<bool> VisibleAsync(WorkflowInstance instance, CancellationToken ct)
    {
        var scope = db.CurrentScope;
        if (scope.CanSee(instance.OrganisationId))
        {
            return scope.Kind != Auth.DataScopeKind.Unit || !Evaluations.EvaluationProposal.HidesCaseFromUnit(instance.DefinitionId, instance.State);
        }

        return instance.AssignedFirmId is { } firm && scope.CanSee(firm)
            && await db.Evaluations.IgnoreQueryFilters().AnyAsync(e => e.CaseId == instance.Id && e.CompletedOn == null, ct);
    }

    private async Task MoveAsync(WorkflowInstance instance, StateDefinition to, DateTimeOffset now, CancellationToken ct)
    {
        instance.State = to.Id;
        instance.Version++;
        instance.UpdatedAt = now;
        instance.DueAt = null;
        if (to.Kind == StateKind.Task)
        {
            await OpenWorkItemAsync(instance, to, now, ct);
        }

        foreach (var subject in SubjectsOf(instance))
        {
            await subject.OnStateChangedAsync(db, instance, to, ct);
        }
    }

    /// <summary>The subject hooks of a case's kind (a finding's for a rectification); none for a hand-made case.</summary>
    private IEnumerable<IWorkflowSubject> SubjectsOf(WorkflowInstance instance) => subjects.Where(s => s.SubjectType == instance.SubjectType);

    private async Task OpenWorkItemAsync(WorkflowInstance instance, StateDefinition state, DateTimeOffset now, CancellationToken ct)
    {
        if (state.Kind != StateKind.Task || state.Actor is null)
        {
            return;
        }

        var due = dueDates.DueAt(state.Due, await DeadlineForAsync(instance, state, ct), now);
        instance.DueAt = due;
        db.WorkItems.Add(new WorkItem
        {
            Id = Guid.CreateVersion7(now),
            InstanceId = instance.Id,
            State = state.Id,
            StateLabel = state.Label,
            Title = instance.Title,
            AssigneeRole = state.Actor.Role,
            AssigneeOrganisationId = await ScopeOrganisationAsync(instance, state.Actor.Scope, ct),
            CaseOrganisationId = instance.OrganisationId,
            CaseFirmId = instance.AssignedFirmId,
            DueAt = due,
            NextReminderAt = dueDates.FirstReminderAt(state.Reminders, due, now),
            Status = WorkItemStatus.Open,
            CreatedAt = now,
        });
    }

    private async Task<Guid?> ScopeOrganisationAsync(WorkflowInstance instance, ActorScope scope, CancellationToken ct) => scope switch
    {
        ActorScope.Unit => instance.OrganisationId,
        ActorScope.Firm => instance.AssignedFirmId,
        _ => await BureauIdAsync(ct),
    };

    private Task<Guid?> BureauIdAsync(CancellationToken ct) => bureau.IdAsync(db, ct);

    private async Task<AppUser?> EligibleUserAsync(WorkItem item, Guid userId, CancellationToken ct) =>
        item is { AssigneeOrganisationId: { } org, AssigneeRole: { } role }
            ? await TaskAssignees.Of(db, org, role, clock.GetUtcNow()).SingleOrDefaultAsync(u => u.Id == userId, ct)
            : null;

    private void AppendHistory(WorkflowInstance instance, WorkflowActor actor, DateTimeOffset now,
        string action, string label, string? from, string to, string? comment)
    {
        var entry = new WorkflowHistoryEntry
        {
            InstanceId = instance.Id,
            Seq = instance.HistorySeq + 1,
            ActorId = actor.UserId,
            ActorName = actor.DisplayName,
            At = HistoryChain.Truncate(now),
            Action = action,
            ActionLabel = label,
            FromState = from,
            ToState = to,
            Comment = comment,
            PrevHash = instance.HistoryHash,
            Hash = string.Empty,
        };
        entry.Hash = HistoryChain.Compute(entry);
        instance.HistorySeq = entry.Seq;
        instance.HistoryHash = entry.Hash;
        db.WorkflowHistory.Add(entry);
    }

    /// <summary>A task handed to someone (委托, 改派) is their 待办 now: they are told, in the same transaction.</summary>
    private Task TellNewAssigneeAsync(WorkflowInstance instance, WorkItem item, AppUser target, WorkflowActor actor, string? comment, DateTimeOffset now, CancellationToken ct) =>
        notices.AddAsync(db, [new Notifications.NotificationRequest(target.Id, Notifications.NotificationEvent.TaskAssigned, new Notifications.NotificationFacts(instance.Title)
        {
            CaseId = instance.Id,
            StateLabel = item.StateLabel,
            ActorName = actor.DisplayName,
            Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim(),
            Due = item.DueAt is { } due ? Shared.ChineseFormat.Date(dueDates.DueDay(due)) : null,
        })], now, ct);

    private static FireResult Ok(WorkflowInstance instance, WorkflowDefinition def) =>
        new(FireStatus.Ok, instance.State, def.State(instance.State).Label, instance.Version, []);

    /// <summary>Comments go into the history, the pages and the mails of everyone involved: a few pages at most.</summary>
    public const int MaxCommentLength = 2000;

    /// <summary>The refusal of an action whose definition requires a comment, fired without one.</summary>
    public static string CommentRequired(string actionLabel) => $"「{actionLabel}」须填写意见。";

    /// <summary>
    /// The refusal of an over-long comment, named as its box is labelled (意见 on actions, 委托 and 改派; 原因 on
    /// 调整状态); the case page answers it itself with the same words.
    /// </summary>
    public static string? CommentTooLong(string? comment, string field = "意见") =>
        comment?.Trim().Length > MaxCommentLength ? $"{field}不能超过 {MaxCommentLength} 字（现 {comment.Trim().Length} 字）。" : null;

    private static string Join(string a, string? b) => string.IsNullOrWhiteSpace(b) ? a : $"{a}：{b.Trim()}";

    private IGuard Guard(string name) => guards.First(g => g.Name == name);

    private IEffect Effect(string name) => effects.First(e => e.Name == name);
}
