using BudgetEval.Web.Audit;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.ResultUse;

/// <summary>What a change to the results answers: Ok, or why not (errors keyed by field, in Chinese).</summary>
internal sealed record ResultsOutcome(FireStatus Status, IReadOnlyDictionary<string, string[]> Errors)
{
    public static readonly ResultsOutcome Ok = new(FireStatus.Ok, new Dictionary<string, string[]>());

    public static ResultsOutcome Fail(FireStatus status, string field, string message) => new(status, new Dictionary<string, string[]> { [field] = [message] });

    public string Message => string.Join(" ", Errors.SelectMany(e => e.Value));

    /// <summary>Shows a refusal on the page that asked: the messages as form errors and the matching status code.</summary>
    public void ShowOn(Microsoft.AspNetCore.Mvc.RazorPages.PageModel page)
    {
        foreach (var message in Errors.SelectMany(e => e.Value))
        {
            page.ModelState.AddModelError(string.Empty, message);
        }

        page.Response.StatusCode = Status switch
        {
            FireStatus.Forbidden => StatusCodes.Status403Forbidden,
            FireStatus.Conflict => StatusCodes.Status409Conflict,
            FireStatus.NotFound => StatusCodes.Status404NotFound,
            _ => StatusCodes.Status400BadRequest,
        };
    }
}

/// <summary>The editable note rules: stored row or the defaults.</summary>
internal static class ResultRules
{
    public const int NoteMaxLength = 200;

    public static async Task<BudgetNoteRules> LoadAsync(AppDbContext db, CancellationToken ct) =>
        await db.Set<BudgetNoteRules>().AsNoTracking().SingleOrDefaultAsync(ct) ?? BudgetNoteRules.Defaults();
}

/// <summary>The bureau's rule input; Version is the one the form was read at (0 for the defaults).</summary>
internal sealed record BudgetNoteRulesInput(string? Excellent, string? Good, string? Pass, string? Fail, string? NoGrade,
    decimal? LowRectificationBelowPercent, string? LowRectification, uint Version);

/// <summary>
/// Changes to the results: the officer's publication marks and note rules, the lead's approval (审定) and
/// reopening. Each is one transaction with its audit line.
/// </summary>
internal sealed class ResultsService(AppDbContext db, ResultsReport report, TimeProvider clock, IHttpContextAccessor http)
{
    public const string Locked = "本年度结果已审定，公开清单已锁定；如需调整，请财政局领导先撤销审定。";

    public static bool MayRead(WorkflowActor actor) =>
        actor.OrganisationKind == OrganisationKind.FinanceBureau && (actor.IsInRole(Roles.FinanceOfficer) || actor.IsInRole(Roles.FinanceLead) || actor.IsInRole(Roles.Admin));

    public static bool MayEdit(WorkflowActor actor) => actor.OrganisationKind == OrganisationKind.FinanceBureau && actor.IsInRole(Roles.FinanceOfficer);

    public static bool MayApprove(WorkflowActor actor) => actor.OrganisationKind == OrganisationKind.FinanceBureau && actor.IsInRole(Roles.FinanceLead);

    public Task<ResultApproval?> ApprovalAsync(int year, CancellationToken ct) =>
        db.Set<ResultApproval>().AsNoTracking().SingleOrDefaultAsync(a => a.FiscalYear == year, ct);

    /// <summary>Marks (publish true) or unmarks one result line for public release.</summary>
    public async Task<ResultsOutcome> MarkAsync(int year, string subjectKind, Guid subjectId, bool publish, WorkflowActor actor, CancellationToken ct)
    {
        if (!MayEdit(actor))
        {
            return ResultsOutcome.Fail(FireStatus.Forbidden, string.Empty, "只有绩效管理员可以调整公开清单。");
        }

        var subject = subjectKind switch
        {
            ResultRow.SelfEvaluationSubject => await db.SelfEvaluations.Where(s => s.Id == subjectId && s.FiscalYear == year)
                .Select(s => new Subject(s.OrganisationId, s.Kind, s.ProjectName, s.Status == ResultsReport.Accepted
                    || db.Evaluations.Any(e => e.FiscalYear == year && e.OrganisationId == s.OrganisationId && e.Kind == s.Kind
                        && (e.ProjectName ?? "") == (s.ProjectName ?? "") && e.Status == ResultsReport.Completed)))
                .SingleOrDefaultAsync(ct),
            ResultRow.EvaluationSubject => await db.Evaluations.Where(e => e.Id == subjectId && e.FiscalYear == year && e.Status != "dropped")
                .Select(e => new Subject(e.OrganisationId, e.Kind, e.ProjectName, e.Status == ResultsReport.Completed)).SingleOrDefaultAsync(ct),
            _ => null,
        };
        if (subject is null)
        {
            return ResultsOutcome.Fail(FireStatus.NotFound, "subjectId", $"{year}年度结果中没有这一项。");
        }

        var organisationId = subject.OrganisationId;
        if (await db.Set<ResultApproval>().AnyAsync(a => a.FiscalYear == year, ct))
        {
            return ResultsOutcome.Fail(FireStatus.Conflict, string.Empty, Locked);
        }

        if (publish && !subject.HasResult)
        {
            // The publication list is of results: a line still in draft or under review would be printed empty.
            var unit = await db.Organisations.Where(o => o.Id == organisationId).Select(o => o.Name).SingleAsync(ct);
            var what = subject.Kind == Plans.EvaluationKind.Project ? $"项目支出：{subject.ProjectName}" : "部门整体支出";
            return ResultsOutcome.Fail(FireStatus.Conflict, string.Empty, $"{unit}（{what}）尚无审核通过的自评或已完成的重点评价，没有可公开的结果，不能列入公开清单。");
        }

        var existing = await db.Set<ResultPublication>().SingleOrDefaultAsync(p => p.SubjectKind == subjectKind && p.SubjectId == subjectId, ct);
        if (publish == existing is not null)
        {
            return ResultsOutcome.Ok; // already as asked: a repeated click changes nothing
        }

        var now = clock.GetUtcNow();
        if (publish)
        {
            db.Set<ResultPublication>().Add(new ResultPublication
            {
                Id = Guid.NewGuid(), FiscalYear = year, SubjectKind = subjectKind, SubjectId = subjectId, OrganisationId = organisationId,
                MarkedAt = now, MarkedBy = actor.UserId, MarkedByName = actor.DisplayName,
            });
        }
        else
        {
            db.Set<ResultPublication>().Remove(existing!);
        }

        var unitName = await db.Organisations.Where(o => o.Id == organisationId).Select(o => o.Name).SingleAsync(ct);
        AuditTrail.Add(db, http.HttpContext, now, AuditActions.ResultsPublication, $"{year}年度结果 {unitName}", publish ? "列入公开清单" : "移出公开清单", actor.UserId, AuditTrail.ActorName(actor.DisplayName, actor.UserName));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Someone else marked or unmarked the same line at the same moment; their change stands.
            return ResultsOutcome.Fail(FireStatus.Conflict, string.Empty, "该项已被他人同时调整，请刷新后查看。");
        }

        return ResultsOutcome.Ok;
    }

    /// <summary>A line's subject as the publication mark needs it: whose, which, and whether it has a result to publish.</summary>
    private sealed record Subject(Guid OrganisationId, Plans.EvaluationKind Kind, string? ProjectName, bool HasResult);

    /// <summary>The lead's 审定: freezes the year's rows as they stand now and locks the publication list.</summary>
    public async Task<ResultsOutcome> ApproveAsync(int year, WorkflowActor actor, CancellationToken ct)
    {
        if (!MayApprove(actor))
        {
            return ResultsOutcome.Fail(FireStatus.Forbidden, string.Empty, "只有财政局领导可以审定评价结果。");
        }

        if (await db.Set<ResultApproval>().AnyAsync(a => a.FiscalYear == year, ct))
        {
            return ResultsOutcome.Fail(FireStatus.Conflict, string.Empty, $"{year}年度结果已经审定。");
        }

        // The approval first (its key refuses a second one at the same moment), then its rows, in one transaction.
        var now = clock.GetUtcNow();
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.Set<ResultApproval>().Add(new ResultApproval { FiscalYear = year, ApprovedAt = now, ApprovedBy = actor.UserId, ApprovedByName = actor.DisplayName });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                return ResultsOutcome.Fail(FireStatus.Conflict, string.Empty, $"{year}年度结果已被他人同时审定，请刷新后查看。");
            }

            var total = await report.FreezeAsync(year, ct);
            if (total == 0)
            {
                return ResultsOutcome.Fail(FireStatus.Invalid, "year", $"{year}年度还没有自评或评价结果，无法审定。"); // rolled back with the transaction
            }

            AuditTrail.Add(db, http.HttpContext, now, AuditActions.ResultsApproval, $"{year}年度评价结果", $"审定（{total} 项）", actor.UserId, AuditTrail.ActorName(actor.DisplayName, actor.UserName));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return ResultsOutcome.Ok;
        });
    }

    /// <summary>How the audit entry of a 撤销审定 begins, before its reason (the results page shows the last one).</summary>
    public const string ReopenPrefix = "撤销审定：";

    /// <summary>The lead withdraws the approval, with a reason; the rows are live again and the list can change.</summary>
    public async Task<ResultsOutcome> ReopenAsync(int year, string? reason, WorkflowActor actor, CancellationToken ct)
    {
        if (!MayApprove(actor))
        {
            return ResultsOutcome.Fail(FireStatus.Forbidden, string.Empty, "只有财政局领导可以撤销审定。");
        }

        reason = Shared.TextInput.Line(reason); // the page's 撤销原因 is one line
        if (reason is null)
        {
            return ResultsOutcome.Fail(FireStatus.Invalid, "reason", "请填写撤销审定的原因。");
        }

        if (reason.Length > 500)
        {
            return ResultsOutcome.Fail(FireStatus.Invalid, "reason", "撤销原因不能超过 500 字。");
        }

        var notApproved = ResultsOutcome.Fail(FireStatus.Conflict, string.Empty, $"{year}年度结果尚未审定或已被撤销。");
        if (await db.Set<ResultApproval>().SingleOrDefaultAsync(a => a.FiscalYear == year, ct) is not { } approval)
        {
            return notApproved;
        }

        db.Set<ResultApproval>().Remove(approval);
        AuditTrail.Add(db, http.HttpContext, clock.GetUtcNow(), AuditActions.ResultsApproval, $"{year}年度评价结果", ReopenPrefix + reason, actor.UserId, AuditTrail.ActorName(actor.DisplayName, actor.UserName));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return notApproved;
        }

        return ResultsOutcome.Ok;
    }

    /// <summary>Saves the note rules; a stale version (someone saved in between) is a conflict, not an overwrite.</summary>
    public async Task<ResultsOutcome> SaveRulesAsync(BudgetNoteRulesInput input, WorkflowActor actor, CancellationToken ct)
    {
        if (!MayEdit(actor))
        {
            return ResultsOutcome.Fail(FireStatus.Forbidden, string.Empty, "只有绩效管理员可以修改结果应用规则。");
        }

        var errors = new Dictionary<string, string[]>();
        string Note(string field, string label, string? value)
        {
            var text = Shared.TextInput.LineOrEmpty(value); // each note is one line, printed in the budget notes
            if (text.Length == 0)
            {
                errors[field] = [$"请填写“{label}”。"];
            }
            else if (text.Length > ResultRules.NoteMaxLength)
            {
                errors[field] = [$"“{label}”不能超过 {ResultRules.NoteMaxLength} 字。"];
            }

            return text;
        }

        var excellent = Note("excellent", "等级为优", input.Excellent);
        var good = Note("good", "等级为良", input.Good);
        var pass = Note("pass", "等级为中", input.Pass);
        var fail = Note("fail", "等级为差", input.Fail);
        var noGrade = Note("noGrade", "暂无等级", input.NoGrade);
        var low = Note("lowRectification", "整改率偏低时追加", input.LowRectification);
        if (input.LowRectificationBelowPercent is not { } threshold || threshold < 0m || threshold > 100m)
        {
            errors["lowRectificationBelowPercent"] = ["“整改率低于（%）”须为 0 到 100 之间的数。"];
        }

        if (errors.Count > 0)
        {
            return new(FireStatus.Invalid, errors);
        }

        var row = await db.Set<BudgetNoteRules>().SingleOrDefaultAsync(ct);
        if ((row?.RowVersion ?? 0u) != input.Version)
        {
            return ResultsOutcome.Fail(FireStatus.Conflict, string.Empty, "规则已被他人修改，请刷新后重新填写。");
        }

        if (row is null)
        {
            row = BudgetNoteRules.Defaults();
            db.Set<BudgetNoteRules>().Add(row);
        }

        (row.Excellent, row.Good, row.Pass, row.Fail, row.NoGrade, row.LowRectification) = (excellent, good, pass, fail, noGrade, low);
        row.LowRectificationBelowPercent = Math.Round(input.LowRectificationBelowPercent!.Value, 2, MidpointRounding.AwayFromZero);
        row.UpdatedAt = clock.GetUtcNow();
        row.UpdatedByName = actor.DisplayName;
        AuditTrail.Add(db, http.HttpContext, row.UpdatedAt.Value, AuditActions.ResultsRules, "结果应用规则", null, actor.UserId, AuditTrail.ActorName(actor.DisplayName, actor.UserName));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return ResultsOutcome.Fail(FireStatus.Conflict, string.Empty, "规则已被他人修改，请刷新后重新填写。");
        }

        return ResultsOutcome.Ok;
    }
}
