using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.SelfEvaluations;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Workflows;

/// <summary>One case: diagram, history, open tasks, and the buttons this user may press. Every POST goes through the engine.</summary>
internal sealed class CaseModel(AppDbContext db, InboxQueries queries, WorkflowEngine engine, WorkflowRegistry registry,
    Rectifications.RectificationService rectifications, TimeProvider clock) : PageModel
{
    // A refused action redirects back here (no re-sendable POST left behind): its messages and the typed input travel in
    // TempData, the messages as JSON with the field each is about (a comment refusal is shown beside its box).
    private const string ErrorsKey = "Case.Errors";
    // The typed input goes as one JSON text: TempData turns a lone string that looks like a date or an id (a
    // comment 「2027-03-01」, the new deadline) into a DateTime or Guid, and `as string` then lost it.
    private const string KeptKey = "Case.Kept";
    private const string SubjectKey = "Case.SubjectLink";

    /// <summary>The action of a rectification case that needs the new deadline for what remains (部分整改).</summary>
    public const string PartialAction = "partial";

    public CaseView View { get; private set; } = null!;

    public SelfEvaluation? SelfEvaluation { get; private set; }

    /// <summary>A rectification case's finding with its plan, result and evidence, read where the bureau decides.</summary>
    public Rectifications.RectificationView? Rectification { get; private set; }

    /// <summary>The scores of a plan's self-evaluation (the full 自评表), for the reviewer's summary.</summary>
    public SelfEvaluations.Scoring.ScoreSheet? Sheet { get; private set; }

    public IReadOnlyList<(string Field, string Old, string New)> Diff { get; private set; } = [];

    public int? DiffFrom { get; private set; }

    public int? DiffTo { get; private set; }

    public IReadOnlyList<(Guid Id, string Name)> Colleagues { get; private set; } = [];

    public IReadOnlyDictionary<Guid, string> UserNames { get; private set; } = new Dictionary<Guid, string>();

    public WorkflowActor Actor => WorkflowActor.From(User);

    /// <summary>For the 逾期 marks, as 待办 shows them: an open task past its due instant.</summary>
    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>New on every render: a double-clicked button sends the same key twice and acts once.</summary>
    public string IdempotencyKey { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Every message of the last refusal, in order: the summary at the top of the page.</summary>
    public IReadOnlyList<string> Errors => Refusals.Messages();

    /// <summary>The last refusal's messages with the input each is about ("" for the case as a whole).</summary>
    public IReadOnlyList<FieldError> Refusals { get; private set; } = [];

    /// <summary>The messages about one input of the refused action's form (comment, nextDeadline); none for any other action.</summary>
    public IReadOnlyList<string> FieldMessages(string actionId, string field) =>
        KeptAction == actionId ? [.. Refusals.Where(r => r.Field == field).Select(r => r.Message)] : [];

    /// <summary>Where the summary's entry for a message about an input of the refused action's form links to, if anywhere.</summary>
    public string? FieldAnchor(FieldError refusal) => !KeptFormShown ? null : KeptAction switch
    {
        null => null,
        // 调整状态: its inputs are named after the fields (one form on the page).
        AlterForm => refusal.Field is EngineFields.Reason or EngineFields.ToState ? refusal.Field : null,
        DelegateForm or ReassignForm => refusal.Field is EngineFields.ToUserId or EngineFields.Comment && KeptWorkItem is { } w
            ? TaskInputId(KeptAction, w, refusal.Field) : null,
        { } action => refusal.Field switch
        {
            EngineFields.Comment => $"comment-{action}",
            NextDeadlineField when action == PartialAction => "next-deadline",
            _ => null,
        },
    };

    /// <summary>Whether the reloaded page still has the refused form, so what was typed goes back into it.</summary>
    private bool KeptFormShown => KeptAction switch
    {
        null => false,
        AlterForm => MayAlter,
        DelegateForm or ReassignForm => KeptWorkItem is { } w && View.OpenItems.FirstOrDefault(o => o.Id == w) is { } open
            && (KeptAction == DelegateForm ? MayDelegate(open) : MayReassign),
        { } action => View.AllowedActions.Any(a => a.Id == action),
    };

    /// <summary>
    /// Text typed for a refused form that the reloaded page no longer has (someone moved the case on: 通过 is gone once
    /// it was returned). Shown read-only under the refusal so it can be copied; it is not put into another action's
    /// box, since a comment written for 通过 is no reason for 退回修改.
    /// </summary>
    public string? UnplacedText => KeptFormShown || string.IsNullOrWhiteSpace(KeptComment) ? null : KeptComment;

    /// <summary>What <see cref="UnplacedText"/> was typed as: the reason of 调整状态, the note of 委托/改派, else the comment.</summary>
    public string UnplacedLabel => KeptAction switch
    {
        AlterForm => "原因",
        DelegateForm or ReassignForm => "说明",
        _ => "意见",
    };

    // The task forms and 调整状态 as KeptAction names them; the action ids of workflows/*.yaml have no dot.
    public const string DelegateForm = "task.delegate";
    public const string ReassignForm = "task.reassign";
    public const string AlterForm = "case.alter";

    /// <summary>The holder of a task may hand it to a colleague (委托) when there is one.</summary>
    public bool MayDelegate(WorkItem item) => WorkflowEngine.MayWork(item, Actor) && Colleagues.Any(c => c.Id != Actor.UserId);

    /// <summary>The bureau's officer or an administrator may move a task to anyone who may take it (改派).</summary>
    public bool MayReassign => WorkflowEngine.MayReassign(Actor) && Colleagues.Count > 0;

    public bool MayAlter => Actor.IsInRole(Roles.Admin);

    /// <summary>The id of an input of a task's 委托/改派 form (field: toUserId or comment), unique on the page.</summary>
    public static string TaskInputId(string form, Guid workItemId, string field) =>
        $"{(form == DelegateForm ? "delegate" : "reassign")}-{workItemId:N}-{field}";

    /// <summary>What one task's 委托/改派 form shows: what was typed there last time and the refusals beside each input.</summary>
    public HandOverForm HandOver(string form, Guid workItemId)
    {
        var kept = KeptAction == form && KeptWorkItem == workItemId;
        return new(TaskInputId(form, workItemId, EngineFields.ToUserId), TaskInputId(form, workItemId, EngineFields.Comment), kept,
            kept ? KeptToUserId : null, kept ? KeptComment : null,
            kept ? FieldMessages(form, EngineFields.ToUserId) : [], kept ? FieldMessages(form, EngineFields.Comment) : []);
    }

    /// <summary>The form field of the new deadline typed beside 部分整改.</summary>
    public const string NextDeadlineField = "nextDeadline";

    /// <summary>The action refused last time and what was typed for it, so the form comes back as it was sent.</summary>
    public string? KeptAction { get; private set; }

    /// <summary>The comment, the note of 委托/改派, or the reason of 调整状态.</summary>
    public string? KeptComment { get; private set; }

    /// <summary>委托/改派: the task whose form was refused and the person chosen there.</summary>
    public Guid? KeptWorkItem { get; private set; }

    public Guid? KeptToUserId { get; private set; }

    /// <summary>调整状态: the target state chosen.</summary>
    public string? KeptToState { get; private set; }

    /// <summary>The new deadline offered beside 部分整改: what was typed last time, else what the finding holds.</summary>
    public string? NextDeadline { get; private set; }

    /// <summary>The rectification flow's action that grants an extension (workflows/rectification.v*.yaml).</summary>
    public const string GrantExtensionAction = "grantExtension";

    /// <summary>In a state that decides an extension: the date the unit asks for and the current deadline.</summary>
    public (DateOnly Asked, DateOnly Current)? Extension { get; private set; }

    /// <summary>
    /// Beside 部分整改: the finding as shown (<see cref="Findings.FindingStamp"/>), so the new deadline never overwrites
    /// one saved since (on the finding page or by the API) unseen; the case's version alone does not move with it.
    /// </summary>
    public string? FindingStamp { get; private set; }

    /// <summary>Set when a refusal is about the subject's content (a guard): the errors end with a link to where it is filled in.</summary>
    public bool ShowSubjectLink { get; private set; }

    /// <summary>Where this case's subject is filled in, and what that page is called.</summary>
    public (string Url, string Label)? SubjectPage { get; private set; }

    /// <summary>When a refusal names both the form and the missing 整改情况说明: the second page to fill in.</summary>
    public string? FollowUpPage { get; private set; }

    /// <summary>
    /// The 待办 filters a case was opened with (<see cref="InboxFilter"/>), null when it was not opened from 待办; kept
    /// through the page's own forms so that after 通过 or 退回 审核下一份 continues with the same queue.
    /// </summary>
    public string? ListContext { get; private set; }

    /// <summary>This case's page, with the 待办 filters it was opened with.</summary>
    private string Here(Guid id) => string.IsNullOrEmpty(ListContext) ? $"/cases/{id}" : $"/cases/{id}?list={Uri.EscapeDataString(ListContext)}";

    /// <summary>
    /// The queue 审核下一份 and 返回待办 continue with, or null when they are not offered: offered when the case was
    /// opened from a filtered 待办, when it waits for me, or when I took its last step (just decided it).
    /// </summary>
    public InboxFilter? List => ListContext is { } list ? InboxFilter.Parse(list)
        : View.AllowedActions.Count > 0 || (View.History.Count > 0 && View.History[^1].ActorId == Actor.UserId) ? InboxFilter.None : null;

    /// <summary>The case's unit, shown under the title when the title does not name it (a hand-made or a project's self-evaluation).</summary>
    public string? UnitName { get; private set; }

    public bool IsReviewer => IsBureauReviewer || User.IsInRole(Roles.UnitHead);

    /// <summary>The bureau's side: its 版本差异 starts from what 财政审核 last decided on, not from what the unit head returned.</summary>
    public bool IsBureauReviewer => User.IsInRole(Roles.FinanceOfficer) || User.IsInRole(Roles.FinanceLead);

    public override void OnPageHandlerExecuting(Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutingContext context)
    {
        // On a GET from the link's query, on a POST from the form's hidden field; only the filters are kept.
        var list = Request.HasFormContentType && Request.Form.TryGetValue("list", out var posted) ? posted.ToString()
            : Request.Query.TryGetValue("list", out var linked) ? linked.ToString() : null;
        ListContext = list is null ? null : InboxFilter.Parse(list).ToQuery() is { Length: > 0 } filters ? filters : null;
    }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (TempData[ErrorsKey] is string errors && System.Text.Json.JsonSerializer.Deserialize<List<FieldError>>(errors) is { } refusals)
        {
            Refusals = refusals;
            if (TempData[KeptKey] is string json && System.Text.Json.JsonSerializer.Deserialize<Kept>(json) is { } kept)
            {
                Restore(kept);
            }

            ShowSubjectLink = TempData[SubjectKey] is true;
        }

        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostFireAsync(Guid id, string action, string? comment, int expectedVersion, string? idempotencyKey,
        string? nextDeadline, string? stamp, CancellationToken ct)
    {
        var keep = new Kept(action, comment, nextDeadline);
        Func<FireContext, CancellationToken, Task<FireResult?>>? prepare = null;
        if (action == PartialAction && Request.HasFormContentType && Request.Form.ContainsKey("nextDeadline"))
        {
            if (NextDeadlineRefusal(comment, nextDeadline, stamp) is { } refused)
            {
                return await Handle(id, refused, null, keep, ct);
            }

            // Written by the action's own transaction: 部分整改 and its new deadline happen together or not at all.
            var input = new Rectifications.DeadlineInput(DateOnly.ParseExact(nextDeadline!, "yyyy-MM-dd"), stamp);
            prepare = (context, token) => rectifications.PrepareNextDeadlineAsync(context, input, token);
        }

        var result = await engine.FireAsync(id, action, Actor, comment, expectedVersion, idempotencyKey, ct, prepare);
        if (prepare is not null)
        {
            result = await BesideDeadlineBoxAsync(id, result, ct);
        }
        if (result.Status == FireStatus.Invalid && await FromGuardAsync(id, action, result.ByField(), ct))
        {
            TempData[SubjectKey] = true;
        }

        return await Handle(id, result, result.Succeeded ? await DoneMessageAsync(id, ct) : null, keep, ct);
    }

    /// <summary>
    /// Whether a refusal names the subject's content: the action has guards and some message is about no input
    /// (those about the comment are answered in the box beside the button).
    /// </summary>
    private async Task<bool> FromGuardAsync(Guid id, string actionId, IReadOnlyList<FieldError> errors, CancellationToken ct)
    {
        var instance = await db.WorkflowInstances.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, ct);
        var def = instance is null ? null : registry.Get(instance.DefinitionId, instance.DefinitionVersion);
        return def?.State(instance!.State).Action(actionId) is { Requires.Count: > 0 } && errors.Any(e => e.Field.Length == 0);
    }

    public Task<IActionResult> OnPostClaimAsync(Guid id, Guid workItemId, int expectedVersion, CancellationToken ct) =>
        Handle(id, engine.ClaimAsync(id, workItemId, Actor, expectedVersion, ct), "已认领。", ct);

    public Task<IActionResult> OnPostReleaseAsync(Guid id, Guid workItemId, int expectedVersion, CancellationToken ct) =>
        Handle(id, engine.ReleaseAsync(id, workItemId, Actor, expectedVersion, ct), "已释放。", ct);

    public async Task<IActionResult> OnPostDelegateAsync(Guid id, Guid workItemId, Guid toUserId, string? comment, int expectedVersion, CancellationToken ct) =>
        await Handle(id, await engine.DelegateAsync(id, workItemId, toUserId, Actor, expectedVersion, comment, ct), "已委托。",
            HandOverKept(DelegateForm, workItemId, toUserId, comment), ct);

    public async Task<IActionResult> OnPostReassignAsync(Guid id, Guid workItemId, Guid toUserId, string? comment, int expectedVersion, CancellationToken ct) =>
        await Handle(id, await engine.ReassignAsync(id, workItemId, toUserId, Actor, expectedVersion, comment, ct), "已改派。",
            HandOverKept(ReassignForm, workItemId, toUserId, comment), ct);

    public async Task<IActionResult> OnPostAlterAsync(Guid id, string? toState, string? reason, int expectedVersion, CancellationToken ct) =>
        // A state id is short: anything longer is no state of the flow and is not worth a place in the cookie.
        await Handle(id, await engine.AlterAsync(id, toState ?? string.Empty, reason, Actor, expectedVersion, ct), "状态已调整。",
            new Kept(AlterForm, reason, null, ToState: toState is { Length: <= 100 } ? toState : null), ct);

    private static Kept HandOverKept(string form, Guid workItemId, Guid toUserId, string? note) =>
        new(form, note, null, workItemId, toUserId == Guid.Empty ? null : toUserId);

    /// <summary>What was sent with a refused form (Comment also holds the note of 委托/改派 and the reason of 调整状态).</summary>
    private sealed record Kept(string? Action, string? Comment, string? NextDeadline, Guid? WorkItemId = null, Guid? ToUserId = null, string? ToState = null);

    private void Restore(Kept kept) =>
        (KeptAction, KeptComment, NextDeadline, KeptWorkItem, KeptToUserId, KeptToState) =
            (kept.Action, kept.Comment, kept.NextDeadline, kept.WorkItemId, kept.ToUserId, kept.ToState);

    private async Task<IActionResult> Handle(Guid id, Task<FireResult> operation, string done, CancellationToken ct) =>
        await Handle(id, await operation, done, null, ct);

    private async Task<IActionResult> Handle(Guid id, FireResult result, string? done, Kept? keep, CancellationToken ct)
    {
        if (result.Status == FireStatus.NotFound)
        {
            return NotFound();
        }

        if (result.Succeeded)
        {
            TempData["Flash"] = done ?? "已办理。";
            return Redirect(Here(id));
        }

        if (result.Status == FireStatus.Forbidden)
        {
            // Never offered as a button, so only a stale tab or a crafted request gets here: it keeps its 403, and what
            // was typed is shown read-only (the action has no box on this page) so it can be copied.
            Refusals = result.ByField();
            if (keep is not null)
            {
                Restore(keep with { NextDeadline = null });
            }

            Response.StatusCode = result.HttpStatus;
            return await LoadAsync(id, ct) ? Page() : NotFound();
        }

        var errors = result.ByField().Select(e => e.Message == FireResult.StaleMessage ? FieldError.Whole(StaleReloaded) : e).ToList();
        var nextDeadline = keep?.NextDeadline is { Length: <= 10 } d ? d : null;
        if (keep is not null && WorkflowEngine.CommentTooLong(Shared.TextInput.Block(keep.Comment), keep.Action == AlterForm ? "原因" : "意见") is { } tooLong)
        {
            // An over-long comment would not fit the TempData cookie, and cutting it loses what was typed: this
            // refusal is shown as the answer to the POST instead, with the whole text in the box (the message
            // gives the limit and the count, the counter under the box follows the edits).
            if (!errors.Any(e => e.Message == tooLong))
            {
                errors.Add(new(keep.Action == AlterForm ? EngineFields.Reason : EngineFields.Comment, tooLong));
            }

            Refusals = errors;
            Restore(keep with { NextDeadline = nextDeadline });
            ShowSubjectLink = TempData[SubjectKey] is true;
            Response.StatusCode = result.HttpStatus;
            return await LoadAsync(id, ct) ? Page() : NotFound();
        }

        // Post/redirect/get: refreshing the page that shows the refusal reloads the case instead of sending the form again.
        if (keep is not null)
        {
            TempData[KeptKey] = System.Text.Json.JsonSerializer.Serialize(keep with { NextDeadline = nextDeadline });
        }

        TempData[ErrorsKey] = System.Text.Json.JsonSerializer.Serialize(errors);

        return Redirect(Here(id));
    }

    /// <summary>The stale-version message, for a page that the redirect has already reloaded.</summary>
    public const string StaleReloaded = "该事项已被他人处理，页面已刷新为最新状态，请查看后重试。";

    /// <summary>
    /// 部分整改 from the case page: what can be told without the database (the date, the comment, the stamp), all at once,
    /// before the action runs; the engine then writes the date in the action's transaction (see OnPostFireAsync).
    /// </summary>
    private static FireResult? NextDeadlineRefusal(string? comment, string? nextDeadline, string? stamp)
    {
        var errors = new List<FieldError>();
        if (!DateOnly.TryParseExact(nextDeadline, "yyyy-MM-dd", out _))
        {
            errors.Add(new(NextDeadlineField, "请填写「新整改期限」（剩余问题的整改期限，须晚于今天）。"));
        }

        if (string.IsNullOrWhiteSpace(comment))
        {
            errors.Add(new(EngineFields.Comment, WorkflowEngine.CommentRequired("部分整改")));
        }
        else if (WorkflowEngine.CommentTooLong(Shared.TextInput.Block(comment)) is { } tooLong)
        {
            errors.Add(new(EngineFields.Comment, tooLong));
        }

        if (string.IsNullOrWhiteSpace(stamp))
        {
            errors.Add(FieldError.Whole(Findings.FindingStamp.PageMissingMessage));
        }

        return errors.Count > 0 ? FireResult.Invalid(errors) : null;
    }

    /// <summary>The refusals about the new deadline, said beside its box (the service names the API's field, deadline).</summary>
    private async Task<FireResult> BesideDeadlineBoxAsync(Guid id, FireResult result, CancellationToken ct)
    {
        if (result.Status == FireStatus.Conflict && result.Errors.Contains(Findings.FindingStamp.StaleMessage))
        {
            // The deadline (or anything else of the finding) was saved since this page was shown: the typed date is
            // kept, and the reloaded page carries the new stamp, so pressing 部分整改 again is deliberate.
            var subject = await db.WorkflowInstances.AsNoTracking().Where(i => i.Id == id).Select(i => i.SubjectId).SingleAsync(ct);
            var now = await db.Findings.AsNoTracking().Where(f => f.Id == subject).Select(f => f.NextDeadline).SingleOrDefaultAsync(ct);
            var message = Findings.FindingStamp.DateChangedMessage("新整改期限", now, "「部分整改」");
            return FireResult.Conflict(message) with { Fields = [new(NextDeadlineField, message)] };
        }

        return result.Status == FireStatus.Invalid
            ? FireResult.Invalid([.. result.ByField().Select(e => e.Field == "deadline" ? e with { Field = NextDeadlineField } : e)])
            : result;
    }

    /// <summary>
    /// What just happened and what comes next, from the definition: the action's label, the state it led to,
    /// and that state's acting role (or the end of the flow).
    /// </summary>
    private async Task<string?> DoneMessageAsync(Guid id, CancellationToken ct)
    {
        var instance = await db.WorkflowInstances.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, ct);
        var last = await db.WorkflowHistory.AsNoTracking().Where(h => h.InstanceId == id).OrderByDescending(h => h.Seq).FirstOrDefaultAsync(ct);
        if (instance is null || last is null)
        {
            return null;
        }

        var def = registry.Get(instance.DefinitionId, instance.DefinitionVersion);
        return def.HasState(last.ToState) ? DoneMessage(last.ActionLabel, def.State(last.ToState)) : null;
    }

    public static string DoneMessage(string actionLabel, Definitions.StateDefinition to) => to switch
    {
        { Kind: Definitions.StateKind.End } when to.Label == actionLabel => $"已办理「{actionLabel}」，流程结束。",
        { Kind: Definitions.StateKind.End } => $"已办理「{actionLabel}」，流程结束（{to.Label}）。",
        { Actor: { } same } when to.Label == actionLabel => $"已办理「{actionLabel}」，等待{Roles.Label(same.Role)}办理。",
        { Actor: { } rule } => $"已办理「{actionLabel}」，事项转入「{to.Label}」，等待{Roles.Label(rule.Role)}办理。",
        _ => $"已办理「{actionLabel}」，事项转入「{to.Label}」。",
    };

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var view = await queries.CaseAsync(id, Actor, ct);
        if (view is null)
        {
            return false;
        }

        View = view;
        // Which unit this is, when the title does not say (「2025年度部门整体支出绩效自评」 of one of a hundred units).
        UnitName = (await Organisations.OrganisationNames.ForAsync(db, [view.Instance.OrganisationId], ct)).GetValueOrDefault(view.Instance.OrganisationId)
            is { } unitName && !view.Instance.Title.Contains(unitName, StringComparison.Ordinal) ? unitName : null;
        var userIds = view.OpenItems.SelectMany(w => new[] { w.AssigneeUserId, w.ClaimedBy }).OfType<Guid>().Distinct().ToList();
        UserNames = await db.Users.IgnoreQueryFilters().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);

        if (view.OpenItems.Count > 0 && view.OpenItems[0] is { AssigneeRole: { } role, AssigneeOrganisationId: { } org })
        {
            // Who a task can be delegated or reassigned to: people of that organisation with that role.
            Colleagues = (await TaskAssignees.Of(db, org, role, clock.GetUtcNow())
                .OrderBy(u => u.UserName).Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct))
                .Select(u => (u.Id, u.DisplayName)).ToList();
        }

        if (view.Instance.SubjectType == Rectifications.RectificationCases.SubjectType && view.AllowedActions.Any(a => a.Id == PartialAction)
            && await db.Findings.AsNoTracking().SingleOrDefaultAsync(f => f.Id == view.Instance.SubjectId, ct) is { } finding)
        {
            NextDeadline ??= finding.NextDeadline?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            FindingStamp = Findings.FindingStamp.Of(finding);
        }

        // 延期审核: the date asked for beside the deadline it would replace, so the bureau does not decide blind.
        if (view.Instance.SubjectType == Rectifications.RectificationCases.SubjectType && view.Definition.HasState(view.Instance.State)
            && view.Definition.State(view.Instance.State).Action(GrantExtensionAction) is not null
            && await db.Findings.AsNoTracking().Where(f => f.Id == view.Instance.SubjectId).Select(f => new { f.RequestedDeadline, f.Deadline }).SingleOrDefaultAsync(ct)
                is { RequestedDeadline: { } asked } extension)
        {
            Extension = (asked, extension.Deadline);
        }

        if (view.Instance.SubjectType == Rectifications.RectificationCases.SubjectType)
        {
            Rectification = await rectifications.SummaryAsync(view.Instance.SubjectId, view.Instance.Id, view.Instance.State, ct);
        }

        var subjectId = view.Instance.SubjectId;
        SubjectPage = CaseSubjectLinks.For(view.Instance.SubjectType, subjectId) is { } link ? (link.Href, link.Name) : null;

        if (view.Instance.SubjectType == SelfEvaluationSubject.Type)
        {
            SelfEvaluation = await db.SelfEvaluations.AsNoTracking().SingleOrDefaultAsync(s => s.Id == view.Instance.SubjectId, ct);
            SubjectPage = SelfEvaluation is { PlanId: not null } ? ($"/self-evaluations/{subjectId}/form", "自评表") : ($"/self-evaluations/{subjectId}/edit", "自评内容页面");

            // The 整改情况说明 are typed on their own page: a refusal about them only points there.
            if (Errors.Count > 0 && Errors.All(e => e.Contains("整改情况说明", StringComparison.Ordinal)))
            {
                SubjectPage = ($"/self-evaluations/{subjectId}/follow-up", "上年及以前发现问题的整改情况页面");
            }
            else if (Errors.Any(e => e.Contains("整改情况说明", StringComparison.Ordinal)))
            {
                FollowUpPage = $"/self-evaluations/{subjectId}/follow-up";
            }
            if (SelfEvaluation is { PlanId: not null } planned)
            {
                Sheet = (await SelfEvaluationSubject.SheetAsync(db, planned, submitting: false, ct)).Sheet;
            }

            if (SelfEvaluation is { CurrentVersion: > 0 } se && IsReviewer)
            {
                // The reviewer sees what changed since the version its own step last decided on (DiffBase).
                var baseNo = DiffBase.For(view.Definition, view.History, IsBureauReviewer ? DiffBase.Bureau : DiffBase.UnitHead, se.CurrentVersion) ?? 0;
                var versions = await db.SelfEvaluationVersions.AsNoTracking()
                    .Where(v => v.SelfEvaluationId == se.Id && (v.VersionNo == se.CurrentVersion || v.VersionNo == baseNo))
                    .ToDictionaryAsync(v => v.VersionNo, v => v.ContentJson, ct);
                if (versions.TryGetValue(se.CurrentVersion, out var latest) && SelfEvaluationContent.Parse(latest) is { } now)
                {
                    DiffFrom = baseNo > 0 ? baseNo : null;
                    DiffTo = se.CurrentVersion;

                    // Without a base nothing is diffed: against nothing, every field would be "new" (the page links the full text instead).
                    Diff = baseNo > 0 && versions.TryGetValue(baseNo, out var old) ? SelfEvaluationContent.Diff(SelfEvaluationContent.Parse(old), now) : [];
                }
            }
        }

        return true;
    }
}

/// <summary>
/// One task's 委托 or 改派 form on the case page: the ids of its user select and note box, what was chosen and typed
/// when it was last refused, and the refusals about each of the two inputs.
/// </summary>
internal sealed record HandOverForm(string ToUserInputId, string NoteInputId, bool Kept, Guid? ToUserId, string? Note,
    IReadOnlyList<string> ToUserErrors, IReadOnlyList<string> NoteErrors);
