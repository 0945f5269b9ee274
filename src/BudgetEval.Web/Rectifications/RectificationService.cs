using System.Security.Cryptography;
using BudgetEval.Web.Findings;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.SelfEvaluations;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Rectifications;

internal sealed record PlanInput(string? Measures, string? Responsible, DateOnly? PlannedDate);

internal sealed record ResultInput(string? Result);

internal sealed record DeadlineInput(DateOnly? Deadline);

internal sealed record EvidenceInfo(Guid Id, string FileName, int Version, string ContentType, long Size, string Sha256, DateTimeOffset UploadedAt, string UploadedByName);

/// <summary>A finding with its rectification case, as the finding page and <c>GET /api/findings/{id}</c> show it.</summary>
internal sealed record RectificationView(Finding Finding, CaseView? Case, IReadOnlyList<EvidenceInfo> Evidence);

/// <summary>
/// What the case's actions need saved beforehand: the unit's plan, result, evidence and requested date,
/// the bureau's new deadline for 部分整改. Each may only be written by whoever holds the case in the state
/// it belongs to; the state changes themselves go through <see cref="WorkflowEngine.FireAsync"/>.
/// </summary>
internal sealed class RectificationService(AppDbContext db, TimeProvider clock, DueDates dueDates, InboxQueries queries)
{
    private static readonly string[] UnitStates = ["planning", "implementing"];

    public async Task<RectificationView?> ViewAsync(Guid id, WorkflowActor actor, CancellationToken ct)
    {
        var finding = await db.Findings.AsNoTracking().SingleOrDefaultAsync(f => f.Id == id, ct);
        if (finding is null)
        {
            return null;
        }

        var caseId = await CaseIdAsync(id, ct);
        var view = caseId is { } c ? await queries.CaseAsync(c, actor, ct) : null;
        var evidence = await db.FindingEvidence.AsNoTracking().Where(e => e.FindingId == id).OrderBy(e => e.FileName).ThenByDescending(e => e.Version)
            .Select(e => new EvidenceInfo(e.Id, e.FileName, e.Version, e.ContentType, e.Size, e.Sha256, e.UploadedAt, e.UploadedByName)).ToListAsync(ct);
        return new RectificationView(finding, view, evidence);
    }

    public Task<Guid?> CaseIdAsync(Guid findingId, CancellationToken ct) =>
        db.WorkflowInstances.Where(i => i.SubjectId == findingId && i.DefinitionId == RectificationCases.DefinitionId).Select(i => (Guid?)i.Id).FirstOrDefaultAsync(ct);

    public Task<FireResult> SavePlanAsync(Guid id, PlanInput input, WorkflowActor actor, CancellationToken ct) =>
        EditAsync(id, actor, ["planning"], unitSide: true, f =>
        {
            if (Shared.DateRange.Problem("计划完成日期", input.PlannedDate) is { } outOfRange)
            {
                return [outOfRange];
            }

            if (TooLong(("整改措施", input.Measures, 20000), ("责任人", input.Responsible, 100)) is { } tooLong)
            {
                return [tooLong];
            }

            f.PlanMeasures = Clean(input.Measures);
            f.PlanResponsible = Clean(input.Responsible);
            f.PlanDate = input.PlannedDate;
            return [];
        }, ct);

    public Task<FireResult> SaveResultAsync(Guid id, ResultInput input, WorkflowActor actor, CancellationToken ct) =>
        EditAsync(id, actor, ["implementing"], unitSide: true, f =>
        {
            if (TooLong(("整改情况", input.Result, 20000)) is { } tooLong)
            {
                return [tooLong];
            }

            f.ResultText = Clean(input.Result);
            return [];
        }, ct);

    private static string? TooLong(params (string Label, string? Text, int Max)[] fields) =>
        fields.FirstOrDefault(f => Clean(f.Text)?.Length > f.Max) is { Label: { } label } field ? $"「{label}」不能超过 {field.Max} 字。" : null;

    /// <summary>The date an extension asks for; the reason is the comment of 申请延期.</summary>
    public Task<FireResult> SaveRequestedDeadlineAsync(Guid id, DeadlineInput input, WorkflowActor actor, CancellationToken ct) =>
        EditAsync(id, actor, UnitStates, unitSide: true, f =>
        {
            if (input.Deadline is not { } d || d <= f.Deadline)
            {
                return [$"延期后的期限须晚于现期限 {f.Deadline:yyyy-MM-dd}。"];
            }

            if (Shared.DateRange.Problem("延期后的期限", d) is { } outOfRange)
            {
                return [outOfRange];
            }

            f.RequestedDeadline = d;
            return [];
        }, ct);

    /// <summary>The new deadline 部分整改 sets for what remains.</summary>
    public Task<FireResult> SaveNextDeadlineAsync(Guid id, DeadlineInput input, WorkflowActor actor, CancellationToken ct) =>
        EditAsync(id, actor, ["verifying"], unitSide: false, f =>
        {
            if (Shared.DateRange.Problem("新的整改期限", input.Deadline) is { } outOfRange)
            {
                return [outOfRange];
            }

            // Checked here too, not only when 部分整改 is fired: a date in the past is no deadline for what remains.
            if (input.Deadline is { } d && d <= dueDates.Today(clock.GetUtcNow()))
            {
                return ["新的整改期限须晚于今天。"];
            }

            f.NextDeadline = input.Deadline;
            return [];
        }, ct);

    /// <summary>An evidence file, as the next version if the unit uploaded one with the same name before.</summary>
    public async Task<(FireResult Result, FindingEvidence? Added)> AddEvidenceAsync(Guid id, string fileName, byte[] content, WorkflowActor actor, CancellationToken ct)
    {
        if (Attachments.Check(fileName, content) is { } problem)
        {
            return (FireResult.Invalid([problem]), null);
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        FindingEvidence? added = null;
        var result = await EditAsync(id, actor, UnitStates, unitSide: true, f =>
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
        }, ct, async () =>
        {
            // A double click or a resent form answers with the version already stored instead of an identical next one.
            var latest = await db.FindingEvidence.AsNoTracking().Where(e => e.FindingId == id && e.FileName == fileName)
                .OrderByDescending(e => e.Version).FirstOrDefaultAsync(ct);
            if (latest is not null && latest.Sha256 == sha256)
            {
                added = latest;
                return;
            }

            added!.Version = 1 + (latest?.Version ?? 0);
            db.FindingEvidence.Add(added);
        });
        return (result, result.Succeeded ? added : null);
    }

    public Task<FindingEvidence?> FindEvidenceAsync(Guid id, Guid evidenceId, CancellationToken ct) =>
        db.FindingEvidence.AsNoTracking().SingleOrDefaultAsync(e => e.Id == evidenceId && e.FindingId == id, ct);

    private async Task<FireResult> EditAsync(Guid id, WorkflowActor actor, IReadOnlyCollection<string> states, bool unitSide,
        Func<Finding, IReadOnlyList<string>> change, CancellationToken ct, Func<Task>? more = null)
    {
        var finding = await db.Findings.AsNoTracking().SingleOrDefaultAsync(f => f.Id == id, ct);
        var instance = finding is null ? null
            : await db.WorkflowInstances.AsNoTracking().SingleOrDefaultAsync(i => i.SubjectId == id && i.DefinitionId == RectificationCases.DefinitionId, ct);
        if (finding is null || instance is null)
        {
            return FireResult.NotFound();
        }

        var mayEdit = unitSide
            ? actor.IsInRole(Roles.UnitFiller) && actor.OrganisationKind == OrganisationKind.BudgetUnit && actor.OrganisationId == finding.OrganisationId
            : actor.IsInRole(Roles.FinanceOfficer) && actor.OrganisationKind == OrganisationKind.FinanceBureau;
        if (!mayEdit)
        {
            return FireResult.Forbidden(unitSide ? "只有责任单位的填报人可以填写整改情况。" : "只有财政局绩效管理员可以核验整改。");
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
                return FireResult.Invalid(["整改事项当前所处环节不能修改此项内容。"]);
            }

            var tracked = await db.Findings.SingleAsync(f => f.Id == id, ct);
            var errors = change(tracked);
            if (errors.Count > 0)
            {
                return FireResult.Invalid(errors);
            }

            if (more is not null)
            {
                await more();
            }

            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return new FireResult(FireStatus.Ok, locked.State, null, locked.Version, []);
        });
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
