using BudgetEval.Web.Audit;
using BudgetEval.Web.Findings;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Notifications;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Plans;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Workflows;
using BudgetEval.Web.Workflows.Definitions;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Evaluations;

internal static class EvaluationSubject
{
    public const string Type = "Evaluation";

    /// <summary>Inside Fire the case lock already decided who may act, so the subject is read without the data scope.</summary>
    public static async Task<Evaluation> LoadAsync(AppDbContext db, Guid id, CancellationToken ct) =>
        db.Evaluations.Local.FirstOrDefault(e => e.Id == id)
            ?? await db.Evaluations.IgnoreQueryFilters().SingleAsync(e => e.Id == id, ct);

    public static Task<Evaluation> LoadAsync(FireContext context, CancellationToken ct) => LoadAsync(context.Db, context.Instance.SubjectId, ct);

    public static EvaluationScoreSheet Sheet(Evaluation evaluation) =>
        EvaluationScoreSheet.Compute(evaluation.Rows, evaluation.Groups, ScoringRules.Default.Grades); // the groups it was commissioned with
}

/// <summary>The bureau has picked a firm, a report due date and a template (which gave the table its rows).</summary>
internal sealed class CommissionComplete : IGuard
{
    public string Name => nameof(CommissionComplete);

    public async Task<IReadOnlyList<FieldError>> CheckAsync(FireContext context, CancellationToken ct)
    {
        var e = await EvaluationSubject.LoadAsync(context, ct);
        var errors = new List<string>();
        if (e.FirmId is null)
        {
            errors.Add("请在评价页面的「委托评价机构」中选择评价机构。");
        }

        if (e.ReportDueDate is null)
        {
            errors.Add("请在评价页面的「委托评价机构」中填写报告提交期限。");
        }

        if (e.Rows.Count == 0)
        {
            errors.Add("请在评价页面的「委托评价机构」中选择评价指标模板。");
        }

        return errors.AboutContent();
    }
}

/// <summary>A 主评人 is named and everyone on the team has declared no conflict of interest.</summary>
internal sealed class TeamDeclared : IGuard
{
    public string Name => nameof(TeamDeclared);

    public async Task<IReadOnlyList<FieldError>> CheckAsync(FireContext context, CancellationToken ct)
    {
        var team = (await EvaluationSubject.LoadAsync(context, ct)).Team;
        return team.Any(m => m.IsLead) ? [] : [FieldError.Whole("评价组尚未确定主评人（每位成员须作无利益冲突声明）。")];
    }
}

/// <summary>Every applicable row scored within its weight, 评分说明 wherever below full marks, weights adding up to 100.</summary>
internal sealed class ScoresComplete : IGuard
{
    public string Name => nameof(ScoresComplete);

    public async Task<IReadOnlyList<FieldError>> CheckAsync(FireContext context, CancellationToken ct) =>
        EvaluationSubject.Sheet(await EvaluationSubject.LoadAsync(context, ct)).Incomplete.AboutContent();
}

/// <summary>The report's sections are written and its problems listed (a report may list none, but must say so in 存在的问题).</summary>
internal sealed class ReportDrafted : IGuard
{
    public string Name => nameof(ReportDrafted);

    public async Task<IReadOnlyList<FieldError>> CheckAsync(FireContext context, CancellationToken ct)
    {
        var report = (await EvaluationSubject.LoadAsync(context, ct)).Report;
        return ReportSections.All.Where(s => string.IsNullOrWhiteSpace(report.GetValueOrDefault(s.Key))).Select(s => $"报告「{s.Label}」部分尚未填写。").AboutContent();
    }
}

/// <summary>Every problem the unit commented on or disputed has the firm's answer.</summary>
internal sealed class CommentsAnswered : IGuard
{
    public string Name => nameof(CommentsAnswered);

    public async Task<IReadOnlyList<FieldError>> CheckAsync(FireContext context, CancellationToken ct) =>
        (await EvaluationSubject.LoadAsync(context, ct)).Problems
            .Where(p => (p.Disputed || !string.IsNullOrWhiteSpace(p.UnitComment)) && string.IsNullOrWhiteSpace(p.FirmAnswer))
            .Select(p => $"问题{p.No}「{p.Title}」的单位意见尚未答复。").AboutContent();
}

/// <summary>The final report carries its number and date.</summary>
internal sealed class ReportNumbered : IGuard
{
    public string Name => nameof(ReportNumbered);

    public async Task<IReadOnlyList<FieldError>> CheckAsync(FireContext context, CancellationToken ct)
    {
        var e = await EvaluationSubject.LoadAsync(context, ct);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(e.ReportNumber))
        {
            errors.Add("请填写正式报告文号。");
        }

        if (e.ReportDate is null)
        {
            errors.Add("请填写报告日期。");
        }

        return errors.AboutContent();
    }
}

/// <summary>Hands the case to the commissioned firm: its users see it and act on it from here, and the report due date drives the reminders.</summary>
internal sealed class AssignFirm : IEffect
{
    public string Name => nameof(AssignFirm);

    public async Task ApplyAsync(FireContext context, CancellationToken ct)
    {
        var e = await EvaluationSubject.LoadAsync(context, ct);
        context.Instance.AssignedFirmId = e.FirmId;
        context.Instance.PlanDeadline = e.ReportDueDate;
    }
}

/// <summary>Tells the assigned firm's evaluators (the 评价任务 message when the firm is first commissioned).</summary>
internal sealed class NotifyFirm(NotificationWriter writer, DueDates dueDates) : IEffect
{
    public string Name => nameof(NotifyFirm);

    // At an end the firm's access ends too (docs/authorization.md), so its notice carries no link it could not open.
    public Task ApplyAsync(FireContext context, CancellationToken ct) =>
        FireNotifications.NotifyAsync(context, writer, dueDates,
            FireNotifications.WithRole(context, Users.Roles.Evaluator).Where(u => u.OrganisationId == context.Instance.AssignedFirmId
                && u.Organisation!.Kind == OrganisationKind.EvaluationFirm), ct,
            evt: context.Action.Then.Contains(nameof(AssignFirm)) ? NotificationEvent.EvaluationAssigned : null,
            linkToCase: context.To.Kind != StateKind.End);
}

/// <summary>
/// 更换评价机构: the firm's assignment ends at once (the evaluation's and the case's firm are cleared, so the data scope
/// lets it in nowhere), its evaluators are told without a link, and the team leaves with it (<see cref="FirmHandover"/>).
/// The history names the replaced firm, which the subject no longer does; what it had scored and written is frozen in a
/// <see cref="ReplacedFirms.ReplacedFirmRecord"/>.
/// </summary>
internal sealed class ReleaseFirm(NotificationWriter writer, DueDates dueDates, IHttpContextAccessor http, Shared.ChinaClock china) : IEffect
{
    public string Name => nameof(ReleaseFirm);

    public async Task ApplyAsync(FireContext context, CancellationToken ct)
    {
        var e = await EvaluationSubject.LoadAsync(context, ct);
        var firm = e.FirmId ?? context.Instance.AssignedFirmId;
        var name = firm is { } f ? await context.Db.Organisations.IgnoreQueryFilters().Where(o => o.Id == f).Select(o => o.Name).SingleOrDefaultAsync(ct) : null;
        if (firm is { } old)
        {
            await FireNotifications.NotifyAsync(context, writer, dueDates,
                FireNotifications.WithRole(context, Users.Roles.Evaluator).Where(u => u.OrganisationId == old), ct, NotificationEvent.Decision, linkToCase: false);
        }

        await ReplacedFirms.ReplacedFirmRecords.AddAsync(context, e, firm, name, ct); // the new firm overwrites the scores as it revises them
        AuditTrail.Add(context.Db, http.HttpContext, context.Now, AuditActions.FirmReplaced, e.Id.ToString(), FirmHandover.Describe(e, name, context.Comment, china),
            actorId: context.Actor.UserId, actorName: AuditTrail.ActorName(context.Actor.DisplayName, context.Actor.UserName), organisationId: context.Actor.OrganisationId);
        FirmHandover.Release(e);
        context.Instance.AssignedFirmId = null;
        context.Instance.PlanDeadline = null;
        context.HistoryNote = $"原评价机构：{name ?? "（未记录）"}";
    }
}

/// <summary>
/// What changes hands with the firm. The team goes: its conflict-of-interest declarations are personal to the old firm's
/// people, so the new firm's team declares again (the old team stays in the audit log). The report number and date
/// are the old firm's document's. The score table, the draft report and its problems (with the unit's remarks and the
/// answers) stay: the bureau keeps seeing them, and the new firm reviews and takes them over as its starting point
/// (the old firm's values are kept apart, <see cref="ReplacedFirms.ReplacedFirmRecord"/>).
/// </summary>
internal static class FirmHandover
{
    public static void Release(Evaluation e)
    {
        e.FirmId = null;
        e.ReportDueDate = null;
        e.Team = [];
        e.ReportNumber = null;
        e.ReportDate = null;
    }

    /// <summary>The audit line of a replacement: the firm, its team with their declarations, the reason.</summary>
    public static string Describe(Evaluation e, string? firmName, string? reason, Shared.ChinaClock china)
    {
        var team = e.Team;
        var members = team.Count == 0 ? "（无）" : string.Join("、", team.Select(m => $"{m.Name}{(m.IsLead ? "（主评人）" : string.Empty)}于{ChineseFormat.DateTime(china.ToLocal(m.DeclaredAt))}声明"));
        return $"{e.Title}：更换评价机构。原评价机构：{firmName ?? "（未记录）"}；原报告期限：{(e.ReportDueDate is { } due ? ChineseFormat.Date(due) : "—")}；"
            + $"原评价组：{members}；原报告文号：{e.ReportNumber ?? "—"}。原因：{reason}";
    }
}

/// <summary>
/// On acceptance each problem of the report becomes a finding of the unit, due 60 days after completion (the next
/// working day if that is none). Accepted again after an administrator reopened the case, it adds only the problems
/// not yet in the register.
/// </summary>
internal sealed class CreateFindings(DueDates dueDates, NotificationWriter writer) : IEffect
{
    public string Name => nameof(CreateFindings);

    public async Task ApplyAsync(FireContext context, CancellationToken ct)
    {
        var e = await EvaluationSubject.LoadAsync(context, ct);
        e.CompletedOn = context.Today;
        await FindingRegister.AddFromEvaluationAsync(context, e, dueDates.DefaultRectificationDeadline(context.Today), writer, ct);
    }
}

internal sealed class EvaluationStatusMirror : IWorkflowSubject
{
    public string SubjectType => EvaluationSubject.Type;

    public async Task OnStateChangedAsync(AppDbContext db, WorkflowInstance instance, StateDefinition state, CancellationToken ct)
    {
        var e = await EvaluationSubject.LoadAsync(db, instance.SubjectId, ct);
        e.Status = state.Id;
        e.UpdatedAt = instance.UpdatedAt;

        // Reopened by an administrator (调整状态 from 已完成): the evaluation is open again, so the firm sees it
        // and its 待办 again (the scope filters test CompletedOn); 验收通过 sets it anew.
        if (state.Id != "completed")
        {
            e.CompletedOn = null;
        }
    }
}
