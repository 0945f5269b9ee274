using BudgetEval.Web.Findings;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Notifications;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Workflows;
using BudgetEval.Web.Workflows.Definitions;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Rectifications;

/// <summary>The rectification case of a finding (workflows/rectification.v*.yaml).</summary>
internal static class RectificationCases
{
    public const string DefinitionId = "rectification";

    public const string SubjectType = "Finding";

    /// <summary>Starts every rectification case's title, before the finding's number and title.</summary>
    public const string TitlePrefix = "整改：";

    /// <summary>
    /// Every finding that still needs rectifying starts its case, with the 整改通知 to the unit. Adds to the
    /// DbContext only: the caller saves it with the finding (one transaction, so neither exists alone).
    /// </summary>
    public static async Task StartAsync(WorkflowEngine engine, Finding finding, WorkflowActor actor, CancellationToken ct)
    {
        if (finding.Status == FindingStatus.Rectified)
        {
            return;
        }

        await engine.StartAsync(DefinitionId, SubjectType, finding.Id, $"{TitlePrefix}{finding.Number} {finding.Title}", finding.OrganisationId, null, actor, ct,
            [nameof(SendFindingNotice)], "整改通知");
    }

    /// <summary>Inside Fire the case lock already decided who may act, so the finding is read without the data scope.</summary>
    public static async Task<Finding> LoadAsync(AppDbContext db, Guid id, CancellationToken ct) =>
        db.Findings.Local.FirstOrDefault(f => f.Id == id)
            ?? await db.Findings.IgnoreQueryFilters().SingleAsync(f => f.Id == id, ct);

    public static Task<Finding> LoadAsync(FireContext context, CancellationToken ct) => LoadAsync(context.Db, context.Instance.SubjectId, ct);
}

/// <summary>The plan names measures, a responsible person and a planned date.</summary>
internal sealed class RectificationPlanComplete : IGuard
{
    public string Name => nameof(RectificationPlanComplete);

    public async Task<IReadOnlyList<FieldError>> CheckAsync(FireContext context, CancellationToken ct)
    {
        var f = await RectificationCases.LoadAsync(context, ct);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(f.PlanMeasures))
        {
            errors.Add("请填写整改措施。");
        }

        if (string.IsNullOrWhiteSpace(f.PlanResponsible))
        {
            errors.Add("请填写整改责任人。");
        }

        if (f.PlanDate is null)
        {
            errors.Add("请填写计划完成日期。");
        }

        return errors.AboutContent();
    }
}

/// <summary>A result is described and backed by at least one evidence file.</summary>
internal sealed class RectificationResultComplete : IGuard
{
    public string Name => nameof(RectificationResultComplete);

    public async Task<IReadOnlyList<FieldError>> CheckAsync(FireContext context, CancellationToken ct)
    {
        var f = await RectificationCases.LoadAsync(context, ct);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(f.ResultText))
        {
            errors.Add("请填写整改结果。");
        }

        if (!await context.Db.FindingEvidence.IgnoreQueryFilters().AnyAsync(e => e.FindingId == f.Id, ct))
        {
            errors.Add("请上传整改佐证材料。");
        }

        return errors.AboutContent();
    }
}

/// <summary>An extension asks for a date later than the current deadline.</summary>
internal sealed class ExtensionRequested : IGuard
{
    public string Name => nameof(ExtensionRequested);

    public async Task<IReadOnlyList<FieldError>> CheckAsync(FireContext context, CancellationToken ct)
    {
        var f = await RectificationCases.LoadAsync(context, ct);
        return f.RequestedDeadline is { } d && d > f.Deadline && d > context.Today ? [] : [FieldError.Whole($"请在问题页面的「申请延期」中填写「{ExtensionLabels.Date}」（须晚于现整改期限 {ChineseFormat.Date(f.Deadline)}）和「{ExtensionLabels.Reason}」，一并提交。")];
    }
}

/// <summary>
/// 同意延期 (version 2 of the flow) only while the date asked for is still ahead: granted later, it would set a deadline
/// already past and the task would be overdue the moment it was granted.
/// </summary>
internal sealed class RequestedDeadlineAhead : IGuard
{
    public string Name => nameof(RequestedDeadlineAhead);

    public async Task<IReadOnlyList<FieldError>> CheckAsync(FireContext context, CancellationToken ct)
    {
        var f = await RectificationCases.LoadAsync(context, ct);
        return f.RequestedDeadline is not { } asked || asked > context.Today
            ? []
            : [FieldError.Whole($"单位申请延至的日期（{ChineseFormat.Date(asked)}）已到或已过，同意后整改即告逾期，不能同意。请选择「不同意延期」并在意见中说明，由单位按新的日期重新申请。")];
    }
}

/// <summary>部分整改 needs the new deadline for what remains.</summary>
internal sealed class NewDeadlineSet : IGuard
{
    public string Name => nameof(NewDeadlineSet);

    public async Task<IReadOnlyList<FieldError>> CheckAsync(FireContext context, CancellationToken ct)
    {
        var f = await RectificationCases.LoadAsync(context, ct);
        return f.NextDeadline is { } d && d > context.Today ? [] : [FieldError.Whole("部分整改须先在问题页面的「部分整改的新整改期限」中填写并保存剩余问题的新期限（须晚于今天）。")];
    }
}

/// <summary>The requested date becomes the deadline; the unit's next task is due by it.</summary>
internal sealed class ApplyExtension : IEffect
{
    public string Name => nameof(ApplyExtension);

    public async Task ApplyAsync(FireContext context, CancellationToken ct)
    {
        var f = await RectificationCases.LoadAsync(context, ct);
        await FindingExtensions.DecideAsync(context, f, ExtensionDecision.Granted, ct); // before the date asked for is cleared
        f.Deadline = f.RequestedDeadline ?? f.Deadline;
        f.RequestedDeadline = null;
        f.Extensions++;
    }
}

/// <summary>
/// A refused request leaves the deadline as it was; the request is cleared so a new one starts fresh, and the 延期记录 keeps
/// what was asked and the bureau's reasons.
/// </summary>
internal sealed class DropExtension : IEffect
{
    public string Name => nameof(DropExtension);

    public async Task ApplyAsync(FireContext context, CancellationToken ct)
    {
        var f = await RectificationCases.LoadAsync(context, ct);
        await FindingExtensions.DecideAsync(context, f, ExtensionDecision.Refused, ct);
        f.RequestedDeadline = null;
    }
}

/// <summary>Keeps the bureau's verification on the finding (the 整改台账 shows it), and for 部分整改 moves the deadline.</summary>
internal sealed class RecordVerification : IEffect
{
    public string Name => nameof(RecordVerification);

    public async Task ApplyAsync(FireContext context, CancellationToken ct)
    {
        var f = await RectificationCases.LoadAsync(context, ct);
        f.Verification = context.Comment is null ? context.Action.Label : $"{context.Action.Label}：{context.Comment}";
        if (context.Action.Id == "partial")
        {
            f.Deadline = f.NextDeadline!.Value;
            f.Remaining = context.Comment;
        }

        f.NextDeadline = null;
        if (context.To.Kind == StateKind.End)
        {
            f.ClosedOn = context.Today;
            if (context.Action.Id == "verify")
            {
                f.RectifiedOn = context.Today;
                f.Remaining = null;
            }
        }
    }
}

/// <summary>The 整改通知 to the unit when the case starts (its own template, not a plain task message).</summary>
internal sealed class SendFindingNotice(NotificationWriter writer, DueDates dueDates) : IEffect
{
    public string Name => nameof(SendFindingNotice);

    public async Task ApplyAsync(FireContext context, CancellationToken ct)
    {
        var id = context.Instance.SubjectId;
        var finding = context.Db.Findings.Local.FirstOrDefault(f => f.Id == id)
            ?? await context.Db.Findings.IgnoreQueryFilters().FirstOrDefaultAsync(f => f.Id == id, ct);
        await FireNotifications.NotifyAsync(context, writer, dueDates, FireNotifications.OfUnit(context), ct, NotificationEvent.FindingNotice,
            basis: finding is null ? null : Basis(finding));
    }

    /// <summary>The notice names where the finding comes from: an audit's finding is not a 绩效评价结果.</summary>
    private static string Basis(Finding finding)
    {
        var document = string.IsNullOrWhiteSpace(finding.SourceDocument) ? string.Empty : $"（{finding.SourceDocument}）";
        return finding.Source switch
        {
            FindingSource.Audit => $"根据审计发现{document}",
            FindingSource.Inspection => $"根据巡察反馈{document}",
            FindingSource.SelfEvaluation => $"根据绩效自评发现{document}",
            _ => $"根据绩效评价结果{document}",
        };
    }
}

/// <summary>The bureau's verification result to the unit (整改核验结果 template).</summary>
internal sealed class NotifyRectificationVerified(NotificationWriter writer, DueDates dueDates) : IEffect
{
    public string Name => nameof(NotifyRectificationVerified);

    public Task ApplyAsync(FireContext context, CancellationToken ct) =>
        FireNotifications.NotifyAsync(context, writer, dueDates, FireNotifications.OfUnit(context), ct, NotificationEvent.RectificationVerified);
}

/// <summary>
/// The finding's status follows its case; its deadline is what the unit's states are due by. The day the result was
/// reported follows the case too: set on entering 财政核验, kept when the case ends, cleared whenever it is back with the
/// unit (未通过, 部分整改, or an administrator's 调整状态), so 逾期 (<see cref="FindingOverdue"/>) spares the unit only while
/// the bureau verifies. Done on the state change rather than in an action's effects so every version of the flow, and
/// every way into or out of the state, keeps it.
/// </summary>
internal sealed class FindingStatusMirror(TimeProvider clock, ChinaClock china) : IWorkflowSubject
{
    /// <summary>财政核验: the bureau's task after 报送整改结果.</summary>
    public const string VerifyingState = "verifying";

    public string SubjectType => RectificationCases.SubjectType;

    public async Task OnStateChangedAsync(AppDbContext db, WorkflowInstance instance, StateDefinition state, CancellationToken ct)
    {
        var f = await RectificationCases.LoadAsync(db, instance.SubjectId, ct);
        f.Status = state.Id switch
        {
            "closed" => FindingStatus.Rectified,
            "unrectifiable" => FindingStatus.Unrectifiable,
            "planning" or "planning_extension" => FindingStatus.Open,
            _ => f.Remaining is null ? FindingStatus.InProgress : FindingStatus.Partial,
        };
        f.ResultReportedOn = state.Id == VerifyingState ? china.Today(clock)
            : state.Kind == StateKind.End ? f.ResultReportedOn
            : null;
    }

    public async Task<DateOnly?> DeadlineAsync(AppDbContext db, WorkflowInstance instance, CancellationToken ct) =>
        (await RectificationCases.LoadAsync(db, instance.SubjectId, ct)).Deadline;

    /// <summary>申请延期 has no effect of its own in the flow's (bound) definitions: its 延期记录 line is written here, for every client.</summary>
    public Task OnFiredAsync(FireContext context, CancellationToken ct) =>
        context.Action.Id == FindingExtensions.RequestAction ? FindingExtensions.RecordRequestAsync(context, ct) : Task.CompletedTask;
}
