using System.Security.Cryptography;
using BudgetEval.Web.Findings;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.SelfEvaluations;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Rectifications;

/// <remarks>
/// <c>Stamp</c> (required, from <c>GET /api/findings/{id}</c>): the save is refused if the finding changed since (409);
/// without one it is refused before anything is written (400), as a save that cannot say what it read would overwrite unseen.
/// </remarks>
internal sealed record PlanInput(string? Measures, string? Responsible, DateOnly? PlannedDate, [property: ConcurrencyToken] string? Stamp = null);

internal sealed record ResultInput(string? Result, [property: ConcurrencyToken] string? Stamp = null);

internal sealed record DeadlineInput(DateOnly? Deadline, [property: ConcurrencyToken] string? Stamp = null);

/// <summary>申请延期 in one step (the finding page): the date asked for and the reason, with the finding's stamp and the case's version as read.</summary>
internal sealed record ExtensionRequestInput(DateOnly? Deadline, string? Reason, int ExpectedVersion, string? Stamp);

/// <summary>更正: the bureau's correction of what was registered, with the reason; <c>Stamp</c> is required.</summary>
internal sealed record CorrectionInput(string? Category, string? Title, string? Detail, string? IndicatorRow, string? Recommendation,
    string? SourceDocument, DateOnly? SourceDate, string? Reason, [property: ConcurrencyToken] string? Stamp)
{
    /// <summary>As stored: the registration's rules (<see cref="FindingInput.Normalised"/>); the reason is a text area.</summary>
    public CorrectionInput Normalised() => this with
    {
        Category = TextInput.Line(Category),
        Title = TextInput.Line(Title),
        Detail = TextInput.Block(Detail),
        IndicatorRow = TextInput.Line(IndicatorRow),
        Recommendation = TextInput.Block(Recommendation),
        SourceDocument = TextInput.Line(SourceDocument),
        Reason = TextInput.Block(Reason),
    };
}

/// <param name="Submitted">
/// 已报送: uploaded before the case last went to the bureau's verification (报送整改结果), so the bureau's verification
/// refers to it and it can no longer be deleted; a file uploaded since may be deleted while the unit holds the case.
/// </param>
internal sealed record EvidenceInfo(Guid Id, string FileName, int Version, string ContentType, long Size, string Sha256, DateTimeOffset UploadedAt, string UploadedByName,
    bool Submitted);

/// <summary>A finding with its rectification case and its 延期记录, as the finding page and <c>GET /api/findings/{id}</c> show it.</summary>
internal sealed record RectificationView(Finding Finding, CaseView? Case, IReadOnlyList<EvidenceInfo> Evidence, IReadOnlyList<ExtensionRecord> Extensions);

/// <summary>
/// What the case's actions need saved beforehand: the unit's plan, result, evidence and requested date,
/// the bureau's new deadline for 部分整改. Each may only be written by whoever holds the case in the state
/// it belongs to; the state changes themselves go through <see cref="WorkflowEngine.FireAsync"/>.
/// </summary>
internal sealed class RectificationService(AppDbContext db, TimeProvider clock, ChinaClock china, DueDates dueDates, InboxQueries queries,
    Notifications.NotificationWriter writer, WorkflowEngine engine)
{
    /// <summary>The states in which the unit holds the case and writes to the finding (plan, result, evidence, requested date).</summary>
    public static readonly IReadOnlyList<string> UnitStates = ["planning", "implementing"];

    /// <summary>The state 报送整改结果 leads to: whatever evidence the case had when it got there is what the bureau verified.</summary>
    private const string VerifyingState = FindingStatusMirror.VerifyingState;

    public const string EvidenceGoneMessage = "该佐证材料已被删除或不存在，请刷新页面后查看。";

    public const string EvidenceNotWithUnitMessage = "整改事项已不在单位办理环节（整改结果已报送财政局核验，或整改已结束），佐证材料不能删除。请刷新页面后查看。";

    /// <summary>Said under the evidence table and in the refusal: why a file the bureau has seen stays.</summary>
    public const string SubmittedEvidenceRule = "已随整改结果报送财政局的佐证材料是财政局核验的依据，不能删除；尚未报送的材料上传有误时，可由本单位填报人删除。";

    // While the bureau decides an extension (up to 5 working days) the unit goes on working; only the date asked for is frozen.
    private static readonly string[] PlanStates = ["planning", "planning_extension"];

    private static readonly string[] ResultStates = ["implementing", "implementing_extension"];

    public static readonly IReadOnlyList<string> EvidenceStates = [.. UnitStates, .. FindingExtensions.ReviewStates];

    public async Task<RectificationView?> ViewAsync(Guid id, WorkflowActor actor, CancellationToken ct)
    {
        var finding = await db.Findings.AsNoTracking().SingleOrDefaultAsync(f => f.Id == id, ct);
        if (finding is null)
        {
            return null;
        }

        var caseId = await CaseIdAsync(id, ct);
        var view = caseId is { } c ? await queries.CaseAsync(c, actor, ct) : null;
        return new RectificationView(finding, view, await EvidenceAsync(id, ct), await FindingExtensions.ListAsync(db, finding, caseId, view?.Instance.State, ct));
    }

    /// <summary>
    /// The finding with its evidence and 延期记录, without its case: what the case page shows above the actions, so the
    /// bureau reads the plan, the result and the files it verifies (or the earlier requests, deciding an extension) where it decides.
    /// </summary>
    public async Task<RectificationView?> SummaryAsync(Guid id, Guid caseId, string state, CancellationToken ct) =>
        await db.Findings.AsNoTracking().SingleOrDefaultAsync(f => f.Id == id, ct) is { } finding
            ? new RectificationView(finding, null, await EvidenceAsync(id, ct), await FindingExtensions.ListAsync(db, finding, caseId, state, ct))
            : null;

    private async Task<List<EvidenceInfo>> EvidenceAsync(Guid id, CancellationToken ct)
    {
        var submittedUpTo = await SubmittedUpToAsync(id, ct);
        return await db.FindingEvidence.AsNoTracking().Where(e => e.FindingId == id).OrderBy(e => e.FileName).ThenByDescending(e => e.Version)
            .Select(e => new EvidenceInfo(e.Id, e.FileName, e.Version, e.ContentType, e.Size, e.Sha256, e.UploadedAt, e.UploadedByName,
                submittedUpTo != null && e.UploadedAt <= submittedUpTo)).ToListAsync(ct);
    }

    /// <summary>
    /// When the finding's case last entered 财政核验 (报送整改结果, or an administrator's 调整状态 there), from its history:
    /// evidence uploaded up to then went to the bureau. Null if the case never did. The same instant counts as submitted.
    /// </summary>
    private Task<DateTimeOffset?> SubmittedUpToAsync(Guid findingId, CancellationToken ct) =>
        db.WorkflowHistory.AsNoTracking()
            .Where(h => h.ToState == VerifyingState && db.WorkflowInstances.IgnoreQueryFilters()
                .Any(i => i.Id == h.InstanceId && i.SubjectId == findingId && i.DefinitionId == RectificationCases.DefinitionId))
            .MaxAsync(h => (DateTimeOffset?)h.At, ct);

    public Task<Guid?> CaseIdAsync(Guid findingId, CancellationToken ct) =>
        db.WorkflowInstances.Where(i => i.SubjectId == findingId && i.DefinitionId == RectificationCases.DefinitionId).Select(i => (Guid?)i.Id).FirstOrDefaultAsync(ct);

    public Task<EditResult> SavePlanAsync(Guid id, PlanInput input, WorkflowActor actor, CancellationToken ct)
    {
        // 整改措施 is a text area, 责任人 one line; the limits are on what is stored.
        input = input with { Measures = TextInput.Block(input.Measures), Responsible = TextInput.Line(input.Responsible) };
        return EditAsync(id, actor, PlanStates, unitSide: true, input.Stamp, f =>
        {
            if (Shared.DateRange.Problem("计划完成日期", input.PlannedDate) is { } outOfRange)
            {
                return [new("plannedDate", outOfRange)];
            }

            // A plan is about what will be done: a date already past is a typo (what is already done goes in the result).
            if (input.PlannedDate is { } planned && planned < dueDates.Today(clock.GetUtcNow()) && planned != f.PlanDate)
            {
                return [new("plannedDate", "「计划完成日期」不能早于今天。")];
            }

            if (TooLong(("measures", "整改措施", input.Measures, 20000), ("responsible", "责任人", input.Responsible, 100)) is { } tooLong)
            {
                return [tooLong];
            }

            f.PlanMeasures = input.Measures;
            f.PlanResponsible = input.Responsible;
            f.PlanDate = input.PlannedDate;
            return [];
        }, ct);
    }

    public Task<EditResult> SaveResultAsync(Guid id, ResultInput input, WorkflowActor actor, CancellationToken ct)
    {
        var result = TextInput.Block(input.Result);
        return EditAsync(id, actor, ResultStates, unitSide: true, input.Stamp, f =>
        {
            if (TooLong(("result", "整改情况", result, 20000)) is { } tooLong)
            {
                return [tooLong];
            }

            f.ResultText = result;
            return [];
        }, ct);
    }

    /// <summary>The first of the (normalised) texts longer than its limit, under its field.</summary>
    private static FieldError? TooLong(params (string Field, string Label, string? Text, int Max)[] fields) =>
        fields.FirstOrDefault(f => f.Text?.Length > f.Max) is { Label: { } label } field ? new(field.Field, $"「{label}」不能超过 {field.Max} 字。") : null;

    /// <summary>
    /// The date an extension asks for, saved on its own (the API; the reason is then the comment of 申请延期). The stamp
    /// is required. The finding page asks in one step instead (<see cref="RequestExtensionAsync"/>). Frozen while the
    /// bureau decides a request.
    /// </summary>
    public Task<EditResult> SaveRequestedDeadlineAsync(Guid id, DeadlineInput input, WorkflowActor actor, CancellationToken ct) =>
        EditAsync(id, actor, UnitStates, unitSide: true, input.Stamp, ct: ct, change: f => SetRequestedDeadline(f, input.Deadline),
            refusedState: state => FindingExtensions.ReviewStates.Contains(state) ? FireResult.Invalid([FrozenMessage]) : null);

    public const string FrozenMessage = $"延期申请正在由财政局审核，审核完成前不能修改「{ExtensionLabels.Date}」。";

    private List<FieldError> RequestedDeadlineProblems(Finding f, DateOnly? deadline)
    {
        if (deadline is not { } d)
        {
            return [new("deadline", $"请填写「{ExtensionLabels.Date}」的日期。")];
        }

        if (d <= f.Deadline)
        {
            return [new("deadline", $"「{ExtensionLabels.Date}」须晚于现整改期限 {ChineseFormat.Date(f.Deadline)}。")];
        }

        // An overdue finding: the flow's guard (RequestedDeadlineAhead) would refuse to grant a date already past, so
        // the request is refused now, by the API as by the form, rather than when the bureau comes to decide it.
        var today = dueDates.Today(clock.GetUtcNow());
        if (d <= today)
        {
            return [new("deadline", $"「{ExtensionLabels.Date}」须晚于今天（{ChineseFormat.Date(today)}）。")];
        }

        return Shared.DateRange.Problem("延期后的期限", d) is { } outOfRange ? [new("deadline", outOfRange)] : [];
    }

    private IReadOnlyList<FieldError> SetRequestedDeadline(Finding f, DateOnly? deadline)
    {
        var errors = RequestedDeadlineProblems(f, deadline);
        if (errors.Count == 0)
        {
            f.RequestedDeadline = deadline;
        }

        return errors;
    }

    /// <summary>
    /// 申请延期 in one step: the date is written inside the action's own transaction (<see cref="WorkflowEngine.FireAsync"/>'s
    /// prepare), so a refused request (a date not later than the deadline, no reason, a page opened before someone else's
    /// change) leaves the finding as it was. Refusals are under <c>deadline</c> and <c>reason</c>, the form's fields.
    /// </summary>
    public async Task<EditResult> RequestExtensionAsync(Guid id, ExtensionRequestInput input, WorkflowActor actor, CancellationToken ct)
    {
        var finding = await db.Findings.AsNoTracking().SingleOrDefaultAsync(f => f.Id == id, ct);
        if (finding is null || await CaseIdAsync(id, ct) is not { } caseId)
        {
            return FireResult.NotFound();
        }

        if (!MayEditUnitSide(actor, finding))
        {
            return FireResult.Forbidden(UnitSideOnly);
        }

        if (string.IsNullOrWhiteSpace(input.Stamp))
        {
            return EditResult.MissingStamp(new FieldError("stamp", FindingStamp.MissingMessage(id)));
        }

        // Both fields checked before the transaction, so the form names every problem at once; the date again inside it.
        var reason = TextInput.Block(input.Reason);
        var errors = RequestedDeadlineProblems(finding, input.Deadline);
        if (reason is null)
        {
            errors.Add(new("reason", $"请填写「{ExtensionLabels.Reason}」。"));
        }

        if (errors.Count > 0)
        {
            return EditResult.Invalid(errors);
        }

        var result = await engine.FireAsync(caseId, FindingExtensions.RequestAction, actor, reason, input.ExpectedVersion, null, ct, async (context, token) =>
        {
            var f = await RectificationCases.LoadAsync(context, token);
            if (!FindingStamp.Matches(f, input.Stamp))
            {
                return FireResult.Conflict(FindingStamp.StaleMessage);
            }

            var problems = SetRequestedDeadline(f, input.Deadline);
            return problems.Count > 0 ? FireResult.Invalid(problems) : null;
        });
        if (result.Succeeded)
        {
            return result with { Stamp = FindingStamp.Of(await db.Findings.AsNoTracking().SingleAsync(f => f.Id == id, ct)) };
        }

        // The engine's comment is this form's reason.
        return new EditResult(result, [.. result.ByField().Select(e => e.Field == EngineFields.Comment ? e with { Field = "reason" } : e)]);
    }

    private const string UnitSideOnly = "只有责任单位的填报人可以填写整改情况。";

    private static bool MayEditUnitSide(WorkflowActor actor, Finding finding) =>
        actor.IsInRole(Roles.UnitFiller) && actor.OrganisationKind == OrganisationKind.BudgetUnit && actor.OrganisationId == finding.OrganisationId;

    /// <summary>
    /// The new deadline 部分整改 sets for what remains, saved on its own (the API, the finding page's form). The stamp
    /// is required. The case page's 部分整改 writes it in the action's transaction instead (<see cref="PrepareNextDeadlineAsync"/>).
    /// </summary>
    public Task<EditResult> SaveNextDeadlineAsync(Guid id, DeadlineInput input, WorkflowActor actor, CancellationToken ct) =>
        EditAsync(id, actor, ["verifying"], unitSide: false, input.Stamp, ct: ct, change: f => SetNextDeadline(f, input.Deadline));

    /// <summary>
    /// 部分整改 fired with its new deadline (the case page): the date is written inside the action's own transaction
    /// (<see cref="WorkflowEngine.FireAsync"/>'s prepare), so the action and its deadline happen together or not at
    /// all. The engine has checked the actor and the state; the stamp is the finding's as the page showed it.
    /// </summary>
    public async Task<FireResult?> PrepareNextDeadlineAsync(FireContext context, DeadlineInput input, CancellationToken ct)
    {
        if (context.Instance.SubjectType != RectificationCases.SubjectType)
        {
            return null;
        }

        var finding = await RectificationCases.LoadAsync(context, ct);
        if (!FindingStamp.Matches(finding, input.Stamp))
        {
            return FireResult.Conflict(FindingStamp.StaleMessage);
        }

        var errors = SetNextDeadline(finding, input.Deadline);
        return errors.Count > 0 ? FireResult.Invalid(errors) : null;
    }

    private IReadOnlyList<FieldError> SetNextDeadline(Finding f, DateOnly? deadline)
    {
        if (Shared.DateRange.Problem("新的整改期限", deadline) is { } outOfRange)
        {
            return [new("deadline", outOfRange)];
        }

        // Checked here too, not only when 部分整改 is fired: a date in the past is no deadline for what remains.
        if (deadline is { } d && d <= dueDates.Today(clock.GetUtcNow()))
        {
            return [new("deadline", "新的整改期限须晚于今天。")];
        }

        f.NextDeadline = deadline;
        return [];
    }

    /// <summary>
    /// 更正: the bureau corrects what it registered (a typo in the 问题, the wrong 类别 or 文号), in any state of the
    /// case, with a reason. The deadline is not corrected here: it moves only through 延期 and 部分整改, which the
    /// unit sees in the case. The audit log keeps each field before and after; the unit is told.
    /// </summary>
    public async Task<EditResult> CorrectAsync(Guid id, CorrectionInput input, WorkflowActor actor, HttpContext? http, CancellationToken ct)
    {
        if (!actor.IsInRole(Roles.FinanceOfficer) || actor.OrganisationKind != OrganisationKind.FinanceBureau)
        {
            return FireResult.Forbidden("只有财政局绩效管理员可以更正问题。");
        }

        var current = await db.Findings.AsNoTracking().SingleOrDefaultAsync(f => f.Id == id, ct);
        if (current is null)
        {
            return FireResult.NotFound();
        }

        input = input.Normalised();

        // The registration's own rules, with what a correction cannot change taken from the finding; a category
        // retired since stays acceptable for the finding that has it.
        var categories = (await FindingCategories.ActiveAsync(db, ct)).Append(current.Category).Distinct().ToList();
        var today = dueDates.Today(clock.GetUtcNow());
        var errors = FindingRegister.Validate(new FindingInput(current.OrganisationId, current.FiscalYear, input.Category, input.Title, input.Detail,
            input.IndicatorRow, input.Recommendation, current.Deadline, current.Source.ToString(), input.SourceDocument, input.SourceDate,
            current.RectifiedBeforeReport, current.RectifiedOn, current.RectifiedEvidence), categories, today)
            .SelectMany(e => e.Value.Select(m => new FieldError(CorrectionField(e.Key), m))).ToList();
        if (TooLong(("title", "问题", input.Title, 300), ("detail", "问题描述及依据", input.Detail, 20000), ("recommendation", "整改建议", input.Recommendation, 20000),
                ("sourceDocument", "来源文号", input.SourceDocument, 200), ("indicatorRow", "对应指标", input.IndicatorRow, 200), ("reason", "更正原因", input.Reason, 500)) is { } tooLong)
        {
            errors.Add(tooLong);
        }

        if (input.Reason is null)
        {
            errors.Add(new("reason", "请填写「更正原因」。"));
        }

        if (string.IsNullOrWhiteSpace(input.Stamp))
        {
            // A request without its concurrency token is malformed (400, as every other save answers), with the other refusals beside it.
            errors.Add(new("stamp", "缺少 stamp（打开问题时的内容标记），请刷新后重试。"));
            return EditResult.MissingStamp(errors);
        }

        if (errors.Count > 0)
        {
            return EditResult.Invalid(errors);
        }

        var caseId = await CaseIdAsync(id, ct);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var locked = caseId is { } c ? await CaseLock.StateAsync(db, c, ct) : null; // as every edit: never between a transition's reads and writes
            var f = await db.Findings.SingleAsync(x => x.Id == id, ct);
            if (!FindingStamp.Matches(f, input.Stamp))
            {
                return (EditResult)FireResult.Conflict(FindingStamp.StaleMessage);
            }

            var changes = new List<(string Label, string? Before, string? After)>();
            void Set<T>(string label, T before, T after, Action<T> apply, Func<T, string?> text)
            {
                if (!EqualityComparer<T>.Default.Equals(before, after))
                {
                    changes.Add((label, text(before), text(after)));
                    apply(after);
                }
            }

            // Compared with the stored text as it would be normalised today: a form that sends back an unchanged
            // text (a browser posts a text area's lines as CRLF, an older row may still hold one) is no correction.
            Set("类别", TextInput.LineOrEmpty(f.Category), input.Category!, v => f.Category = v, v => v);
            Set("问题", TextInput.LineOrEmpty(f.Title), input.Title!, v => f.Title = v, v => v);
            Set("问题描述及依据", TextInput.Block(f.Detail) ?? string.Empty, input.Detail!, v => f.Detail = v, v => v);
            Set("对应指标", TextInput.Line(f.IndicatorRow), input.IndicatorRow, v => f.IndicatorRow = v, v => v);
            Set("整改建议", TextInput.Block(f.Recommendation), input.Recommendation, v => f.Recommendation = v, v => v);
            Set("来源文号", TextInput.Line(f.SourceDocument), input.SourceDocument, v => f.SourceDocument = v, v => v);
            Set("来源日期", f.SourceDate, input.SourceDate, v => f.SourceDate = v, v => v is { } d ? Shared.ChineseFormat.Date(d) : null);
            if (changes.Count == 0)
            {
                return (EditResult)FireResult.Invalid(["更正内容与原登记一致，没有需要更正的内容。"]); // the correction as a whole: under ""
            }

            // One problem of an evaluation is one finding (a unique index): a corrected title may not take another's.
            if (f.EvaluationId is { } evaluation && await db.Findings.AnyAsync(x => x.EvaluationId == evaluation && x.Id != id && x.Title == f.Title, ct))
            {
                return EditResult.Invalid(new FieldError("title", $"同一评价中已有问题「{f.Title}」，请换一个表述。"));
            }

            var now = clock.GetUtcNow();
            var reason = input.Reason!;
            if (caseId is { } instanceId && changes.Any(x => x.Label == "问题"))
            {
                // The case, its 待办 and 已办 carry the finding's title: they follow the correction.
                var title = $"{RectificationCases.TitlePrefix}{f.Number} {f.Title}";
                var instance = await db.WorkflowInstances.IgnoreQueryFilters().SingleAsync(i => i.Id == instanceId, ct);
                instance.Title = title;
                await db.WorkItems.IgnoreQueryFilters().Where(w => w.InstanceId == instanceId).ExecuteUpdateAsync(w => w.SetProperty(x => x.Title, title), ct);
            }

            Audit.AuditTrail.Add(db, http, now, Audit.AuditActions.FindingCorrected, $"{f.Number} {f.Title}",
                $"更正原因：{reason}；" + string.Join("；", changes.Select(x => $"{x.Label}：「{x.Before ?? "（空）"}」→「{x.After ?? "（空）"}」")),
                actor.UserId, Audit.AuditTrail.ActorName(actor.DisplayName, actor.UserName), f.OrganisationId);
            await writer.AddToAsync(db, db.Users.IgnoreQueryFilters().Where(u => u.OrganisationId == f.OrganisationId), Notifications.NotificationEvent.FindingCorrected,
                new Notifications.NotificationFacts($"{f.Number} {f.Title}")
                {
                    CaseId = caseId,
                    // Short fields with before and after, so the unit recognises which finding changed and how; long texts by name.
                    Corrected = string.Join("、", changes.Select(x => x.Label is "问题描述及依据" or "整改建议" ? x.Label : $"{x.Label}：「{x.Before ?? "（空）"}」→「{x.After ?? "（空）"}」")),
                    Comment = reason,
                }, now, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return (EditResult)new FireResult(FireStatus.Ok, locked?.State, null, locked?.Version ?? 0, []) { Stamp = FindingStamp.Of(f) };
        });
    }

    /// <summary>
    /// The correction's own field for a key of the registration's rules: its deadline is not corrected, so a source
    /// date later than it is the source date's error; what a correction cannot send (year, unit) is the record's.
    /// </summary>
    private static string CorrectionField(string key) => key switch
    {
        "deadline" => "sourceDate",
        "category" or "title" or "detail" or "indicatorRow" or "recommendation" or "sourceDocument" or "sourceDate" => key,
        _ => string.Empty,
    };

    /// <summary>An evidence file, as the next version if the unit uploaded one with the same name before.</summary>
    public async Task<(EditResult Result, FindingEvidence? Added)> AddEvidenceAsync(Guid id, string fileName, byte[] content, WorkflowActor actor, CancellationToken ct)
    {
        if (Attachments.Check(fileName, content) is { } problem)
        {
            return (EditResult.Invalid(new FieldError("file", problem)), null); // the upload's multipart field
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        FindingEvidence? added = null;
        var result = await EditAsync(id, actor, EvidenceStates, unitSide: true, null, f =>
        {
            var now = clock.GetUtcNow();
            added = new FindingEvidence
            {
                Id = Guid.CreateVersion7(now),
                FindingId = f.Id,
                OrganisationId = f.OrganisationId,
                FileName = fileName,
                ContentType = Attachments.ContentTypeOf(fileName),
                Size = content.LongLength,
                Sha256 = sha256,
                Content = content,
                UploadedAt = now,
                UploadedBy = actor.UserId,
                UploadedByName = actor.DisplayName,
            };
            return [];
        }, ct, needsStamp: false, more: async () =>
        {
            // A double click or a resent form answers with the version already stored instead of an identical next one.
            var latest = await db.FindingEvidence.AsNoTracking().Where(e => e.FindingId == id && e.FileName == fileName)
                .OrderByDescending(e => e.Version).FirstOrDefaultAsync(ct);
            if (latest is not null && latest.Sha256 == sha256)
            {
                added = latest;
                return null;
            }

            added!.Version = 1 + (latest?.Version ?? 0);
            db.FindingEvidence.Add(added);
            return null;
        });
        return (result, result.Succeeded ? added : null);
    }

    /// <summary>
    /// 删除: the unit's filler withdraws a file uploaded by mistake, while the unit holds the case and only if the bureau
    /// has not been sent it (<see cref="EvidenceInfo.Submitted"/>). Under the case lock, as 报送整改结果 is: a file either
    /// went with the submission or is deleted before it, never both. Other versions of the same name stay as they are.
    /// The row is removed; the audit log keeps what it was.
    /// </summary>
    public async Task<(EditResult Result, FindingEvidence? Deleted)> DeleteEvidenceAsync(Guid id, Guid evidenceId, WorkflowActor actor, HttpContext? http, CancellationToken ct)
    {
        FindingEvidence? deleted = null;
        var result = await EditAsync(id, actor, EvidenceStates, unitSide: true, null, _ => [], ct, needsStamp: false,
            forbidden: "只有责任单位的填报人可以删除佐证材料。", refusedState: _ => FireResult.Conflict(EvidenceNotWithUnitMessage), more: async () =>
            {
                var evidence = await db.FindingEvidence.SingleOrDefaultAsync(e => e.Id == evidenceId && e.FindingId == id, ct);
                if (evidence is null)
                {
                    return FireResult.Conflict(EvidenceGoneMessage); // deleted in another tab since the page was shown
                }

                if (await SubmittedUpToAsync(id, ct) is { } submitted && evidence.UploadedAt <= submitted)
                {
                    return FireResult.Conflict($"「{evidence.FileName}」（第 {evidence.Version} 版）已随整改结果报送财政局，不能删除。{SubmittedEvidenceRule}");
                }

                var finding = await db.Findings.AsNoTracking().SingleAsync(f => f.Id == id, ct);
                db.FindingEvidence.Remove(evidence);
                Audit.AuditTrail.Add(db, http, clock.GetUtcNow(), Audit.AuditActions.EvidenceDeleted, $"{finding.Number} {finding.Title}",
                    $"删除佐证材料「{evidence.FileName}」第 {evidence.Version} 版（{evidence.Size} 字节，SHA-256 {evidence.Sha256}；" +
                    $"{evidence.UploadedByName} 上传于 {ChineseFormat.DateTime(china.ToLocal(evidence.UploadedAt))}）",
                    actor.UserId, Audit.AuditTrail.ActorName(actor.DisplayName, actor.UserName), finding.OrganisationId);
                deleted = evidence;
                return null;
            });
        return (result, result.Succeeded ? deleted : null);
    }

    public Task<FindingEvidence?> FindEvidenceAsync(Guid id, Guid evidenceId, CancellationToken ct) =>
        db.FindingEvidence.AsNoTracking().SingleOrDefaultAsync(e => e.Id == evidenceId && e.FindingId == id, ct);

    /// <summary>
    /// <paramref name="change"/> applies the input or returns its refusals, each under its field. <paramref name="needsStamp"/>
    /// false is for adding or removing a record of its own (evidence), which overwrites nothing; <paramref name="more"/> does
    /// that under the lock, or refuses. <paramref name="forbidden"/> replaces the refusal of a caller who may not write;
    /// <paramref name="refusedState"/> gives the refusal for a case in a state not among <paramref name="states"/> (null: the general one).
    /// </summary>
    private async Task<EditResult> EditAsync(Guid id, WorkflowActor actor, IReadOnlyCollection<string> states, bool unitSide, string? stamp,
        Func<Finding, IReadOnlyList<FieldError>> change, CancellationToken ct, bool needsStamp = true, Func<Task<EditResult?>>? more = null,
        string? forbidden = null, Func<string, FireResult?>? refusedState = null)
    {
        var finding = await db.Findings.AsNoTracking().SingleOrDefaultAsync(f => f.Id == id, ct);
        var instance = finding is null ? null
            : await db.WorkflowInstances.AsNoTracking().SingleOrDefaultAsync(i => i.SubjectId == id && i.DefinitionId == RectificationCases.DefinitionId, ct);
        if (finding is null || instance is null)
        {
            return FireResult.NotFound();
        }

        var mayEdit = unitSide
            ? MayEditUnitSide(actor, finding)
            : actor.IsInRole(Roles.FinanceOfficer) && actor.OrganisationKind == OrganisationKind.FinanceBureau;
        if (!mayEdit)
        {
            return FireResult.Forbidden(forbidden ?? (unitSide ? UnitSideOnly : "只有财政局绩效管理员可以核验整改。"));
        }

        // After the access checks, so a caller who may not write is told so (403) rather than what its request lacks.
        if (needsStamp && string.IsNullOrWhiteSpace(stamp))
        {
            return EditResult.MissingStamp(new FieldError("stamp", FindingStamp.MissingMessage(id)));
        }

        // Under the case lock, as Fire and the self-evaluation edits: a change never interleaves with a
        // transition, and two copies of one upload (a double click) run one after the other, so the second
        // finds the first's file instead of racing it for the same version number.
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var locked = (await CaseLock.StateAsync(db, instance.Id, ct))!;
            if (!states.Contains(locked.State))
            {
                return (EditResult)(refusedState?.Invoke(locked.State)
                    ?? FireResult.Invalid(["整改事项当前所处环节不能修改此项内容。"])); // the state, not an input: under ""
            }

            var tracked = await db.Findings.SingleAsync(f => f.Id == id, ct);
            if (needsStamp && !FindingStamp.Matches(tracked, stamp))
            {
                return (EditResult)FireResult.Conflict(FindingStamp.StaleMessage);
            }

            var errors = change(tracked);
            if (errors.Count > 0)
            {
                return EditResult.Invalid(errors);
            }

            if (more is not null && await more() is { } refused)
            {
                return refused;
            }

            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return (EditResult)new FireResult(FireStatus.Ok, locked.State, null, locked.Version, []) { Stamp = FindingStamp.Of(tracked) };
        });
    }
}
