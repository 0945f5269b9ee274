using BudgetEval.Web.Auth;
using BudgetEval.Web.Findings;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.SelfEvaluations;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Rectifications;

/// <summary>
/// One finding with its rectification, and the data its case's actions need; the actions themselves go
/// through <c>POST /api/cases/{id}/actions/{action}</c> like every other case.
/// </summary>
internal static class RectificationEndpoints
{
    /// <summary>A finding's save: its new stamp, sent back with the next save (a change by someone else since is refused, 409).</summary>
    internal sealed record StampResponse([property: System.ComponentModel.Description("记录的新戳记：下一次修改时作为 stamp 提交。")] string Stamp);

    internal sealed record EvidenceCreated(Guid Id, string FileName, int Version, long Size, string ContentType);

    internal sealed record RectificationPlanDto(string? Measures, string? Responsible, DateOnly? PlannedDate);

    /// <summary>The rectification of a finding: status, deadlines, the unit's plan and result, the bureau's verification, the evidence, the 延期记录.</summary>
    internal sealed record RectificationDetail(string Status, string StatusLabel, DateOnly Deadline, RectificationPlanDto Plan, string? Result,
        DateOnly? RequestedDeadline, DateOnly? NextDeadline, string? Remaining, string? Verification, DateOnly? ClosedOn, int Extensions,
        IReadOnlyList<EvidenceInfo> Evidence, IReadOnlyList<ExtensionRequestDto> ExtensionRequests,
        [property: System.ComponentModel.Description("单位报送整改结果的日期（财政核验期间有值，退回单位后为 null）。")] DateOnly? ResultReportedOn,
        [property: System.ComponentModel.Description("逾期：未完成且整改期限已过；整改结果在期限内已报送、待财政核验的不算逾期（与数据看板一致）。")] bool Overdue);

    /// <summary>One 申请延期 and the bureau's answer, newest first.</summary>
    internal sealed record ExtensionRequestDto(
        DateTimeOffset RequestedAt,
        string RequestedBy,
        [property: System.ComponentModel.Description("申请延至的日期；早于延期记录功能、且已审核的申请为 null（未记录）。")] DateOnly? RequestedDeadline,
        string? Reason,
        [property: System.ComponentModel.Description("Granted（同意）、Refused（不同意）；待财政局审核或未经审核为 null。")] string? Decision,
        string? DecisionLabel,
        DateTimeOffset? DecidedAt,
        string? DecidedBy,
        string? DecisionComment,
        bool Pending);

    /// <summary>The finding's rectification case: state, version (for actions), what the caller may do, and its history.</summary>
    internal sealed record RectificationCaseDto(Guid Id, string State, string StateLabel, int Version, DateTimeOffset? DueAt,
        IReadOnlyList<CaseEndpoints.ActionDto> AllowedActions, IReadOnlyList<CaseEndpoints.HistoryDto> History);

    /// <summary>GET /api/findings/{id}: <c>stamp</c> is sent back with a save or correction (a change by someone else since is refused, 409).</summary>
    internal sealed record RectificationDto(FindingEndpoints.FindingDto Finding, string Stamp, RectificationDetail Rectification, RectificationCaseDto? Case);

    /// <summary>A row of 上年及以前发现问题的整改情况; <c>current*</c> and <c>overdue</c> are about the finding today.</summary>
    internal sealed record FollowUpItemDto(Guid FindingId, string Number, int FiscalYear, string Title, DateOnly Deadline, string Status, string StatusLabel,
        bool NeedsStatement, string? Statement, int? SubmittedVersion, bool Reconstructed, string? CurrentStatus, string? CurrentStatusLabel,
        DateOnly? CurrentDeadline, bool Overdue,
        [property: System.ComponentModel.Description("该项整改情况说明的戳记：保存时在 stamps 中按问题回传；打开后他人已修改且本次也修改的项被拒绝（409）。")] string Stamp,
        [property: System.ComponentModel.Description("重复发生：该单位上一年度有同类别问题（与问题台账、整改情况页面及打印稿一致）。")] bool Recurring,
        [property: System.ComponentModel.Description("带入：本自评尚未填写、而本单位同年度其他自评已填写的该问题整改情况说明（最新一条）；仅在单位编辑期间给出，需经保存才计入本自评。")] string? CarriedStatement,
        [property: System.ComponentModel.Description("带入说明所在的自评标题。")] string? CarriedFrom);

    public static void MapRectificationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/findings").RequireAuthorization(ApiAuth.Policy).WithTags("Rectifications");

        // 重复发生 is worked out from the register, as on the finding page: without it the API always said false.
        group.MapGet("/{id:guid}", async Task<IResult> (Guid id, HttpContext http, RectificationService service, AppDbContext db, TimeProvider clock, ChinaClock china, CancellationToken ct) =>
            await service.ViewAsync(id, WorkflowActor.From(http.User), ct) is { } view
                ? TypedResults.Ok(Dto(view, (await RecurringFindings.AmongAsync(db, [view.Finding], ct)).Count > 0, china.Today(clock)))
                : ApiProblems.NotFound())
            .Produces<RectificationDto>();

        // 更正 of the registration by the bureau (not the deadline, not the unit's plan or result).
        group.MapPut("/{id:guid}", async (Guid id, CorrectionInput input, HttpContext http, RectificationService service, CancellationToken ct) =>
            Answer(await service.CorrectAsync(id, input, WorkflowActor.From(http.User), http, ct)))
            .Produces<StampResponse>();

        group.MapPut("/{id:guid}/plan", async (Guid id, PlanInput input, HttpContext http, RectificationService service, CancellationToken ct) =>
            Answer(await service.SavePlanAsync(id, input, WorkflowActor.From(http.User), ct)))
            .Produces<StampResponse>();

        group.MapPut("/{id:guid}/result", async (Guid id, ResultInput input, HttpContext http, RectificationService service, CancellationToken ct) =>
            Answer(await service.SaveResultAsync(id, input, WorkflowActor.From(http.User), ct)))
            .Produces<StampResponse>();

        group.MapPut("/{id:guid}/requested-deadline", async (Guid id, DeadlineInput input, HttpContext http, RectificationService service, CancellationToken ct) =>
            Answer(await service.SaveRequestedDeadlineAsync(id, input, WorkflowActor.From(http.User), ct)))
            .Produces<StampResponse>();

        group.MapPut("/{id:guid}/next-deadline", async (Guid id, DeadlineInput input, HttpContext http, RectificationService service, CancellationToken ct) =>
            Answer(await service.SaveNextDeadlineAsync(id, input, WorkflowActor.From(http.User), ct)))
            .Produces<StampResponse>();

        group.MapPost("/{id:guid}/evidence", async (Guid id, HttpRequest request, HttpContext http, RectificationService service, CancellationToken ct) =>
        {
            var (file, problem) = await FormEndpoints.SingleFileAsync(request, Attachments.MaxBytes, "20 MB", ct);
            if (problem is not null)
            {
                return ApiProblems.Validation(new Dictionary<string, string[]> { ["file"] = [problem] });
            }

            var (result, added) = await service.AddEvidenceAsync(id, file!.Value.Name, file.Value.Content, WorkflowActor.From(http.User), ct);
            return added is null
                ? Answer(result)
                : TypedResults.Created($"/api/findings/{id}/evidence/{added.Id}", new EvidenceCreated(added.Id, added.FileName, added.Version, added.Size, added.ContentType));
        }).DisableAntiforgery().Produces<EvidenceCreated>(StatusCodes.Status201Created);

        group.MapGet("/{id:guid}/evidence/{evidenceId:guid}", async (Guid id, Guid evidenceId, RectificationService service, CancellationToken ct) =>
            await service.FindEvidenceAsync(id, evidenceId, ct) is { } e
                ? TypedResults.File(e.Content, e.ContentType, e.FileName)
                : ApiProblems.NotFound())
            .ProducesFile(ApiDocument.AttachmentContentTypes);

        // 删除 of a file uploaded by mistake; the file's versions of the same name before it stay.
        group.MapDelete("/{id:guid}/evidence/{evidenceId:guid}", async (Guid id, Guid evidenceId, HttpContext http, RectificationService service, CancellationToken ct) =>
        {
            var (result, deleted) = await service.DeleteEvidenceAsync(id, evidenceId, WorkflowActor.From(http.User), http, ct);
            return deleted is null ? Answer(result) : TypedResults.NoContent();
        }).Produces(StatusCodes.Status204NoContent).WithDescription(
            "删除本单位上传有误、尚未报送财政局的佐证材料（evidence[].submitted 为 false）。仅责任单位填报人可删，且须在整改事项由单位办理时"
            + "（制定整改方案、整改落实）。已随整改结果报送的材料、已被删除的材料、或事项已不在单位办理环节时答 409；同名文件的其他版本不受影响。");
    }

    /// <summary>
    /// <c>statements</c>: by finding id, the text to save (blank removes it). <c>stamps</c> (required): by finding id, the
    /// <c>stamp</c> of that row as read, one for every statement sent; an item whose text equals what its stamp stands for
    /// is left alone, one changed by someone else since is refused (409). A statement without its stamp refuses the
    /// whole save (400 under <c>stamps.{findingId}</c>).
    /// </summary>
    internal sealed record StatementsRequest(Dictionary<Guid, string?>? Statements, [property: ConcurrencyToken] Dictionary<Guid, string?>? Stamps);

    /// <summary>上年及以前发现问题的整改情况 of a self-evaluation: the earlier findings with their status and the unit's statements.</summary>
    public static void MapFollowUpEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/self-evaluations").RequireAuthorization(ApiAuth.Policy).WithTags("Rectifications");

        // Once the self-evaluation has left the unit, the rows are those of the latest submitted version (submittedVersion);
        // currentStatus and overdue are about the finding today.
        group.MapGet("/{id:guid}/follow-up", async (Guid id, AppDbContext db, TimeProvider clock, ChinaClock china, CancellationToken ct) =>
        {
            if (await db.SelfEvaluations.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct) is not { } se)
            {
                return ApiProblems.NotFound();
            }

            var list = await FollowUp.ShownAsync(db, se, china, ct);
            var carried = await FollowUp.CarriedAsync(db, se, list.Items, ct); // none once the list has left the unit
            var today = china.Today(clock);
            return TypedResults.Ok(list.Items.Select(i => new FollowUpItemDto(
                i.Line.FindingId,
                i.Line.Number,
                i.Line.FiscalYear,
                i.Line.Title,
                i.Line.Deadline,
                i.Line.Status.ToString(),
                FindingLabels.Status(i.Line.Status),
                i.NeedsStatement,
                i.Line.Statement,
                list.Version?.VersionNo,
                list.Reconstructed,
                i.Current?.Status.ToString(),
                i.Current is { } c ? FindingLabels.Status(c.Status) : null,
                i.Current?.Deadline,
                i.Overdue(today),
                FollowUp.StampOf(i.Line.Statement),
                list.Recurring.Contains(i.Line.FindingId),
                carried.GetValueOrDefault(i.Line.FindingId)?.Statement,
                carried.GetValueOrDefault(i.Line.FindingId)?.FromTitle)).ToList());
        }).Produces<List<FollowUpItemDto>>();

        // A conflict answers 409 with each refused item under statements.{findingId}, as a 422 does.
        group.MapPut("/{id:guid}/follow-up", async (Guid id, StatementsRequest request, HttpContext http, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        {
            var outcome = await FollowUp.SaveAsync(db, id, request.Statements ?? [], request.Stamps, WorkflowActor.From(http.User), clock.GetUtcNow(), ct);
            return outcome.Status == FireStatus.Conflict
                ? TypedResults.Problem(new Microsoft.AspNetCore.Http.HttpValidationProblemDetails(outcome.Errors.ByField())
                {
                    Status = StatusCodes.Status409Conflict,
                    Title = "数据冲突",
                    Detail = string.Join(" ", outcome.Errors.Messages()),
                })
                : Answer(outcome);
        }).Produces(StatusCodes.Status204NoContent);
    }

    // A saved finding answers its new stamp, so the client's next save needs no GET in between. A refused input is
    // 422 as a case's refusal, each message under its field ("" for the record's state) so a client can place it.
    private static IResult Answer(EditResult outcome) => outcome.Result switch
    {
        _ when outcome.StampMissing => ApiProblems.Validation(outcome.Errors.ByField()), // a malformed request: 400, nothing saved
        { Status: FireStatus.Invalid } => ApiProblems.UnprocessableByField(outcome.Errors),
        { Status: not FireStatus.Ok } result => CaseEndpoints.ToResult(result),
        { Stamp: { } stamp } => TypedResults.Ok(new StampResponse(stamp)),
        _ => TypedResults.NoContent(),
    };

    private static RectificationDto Dto(RectificationView view, bool recurring, DateOnly today)
    {
        var f = view.Finding;
        var c = view.Case;
        return new RectificationDto(
            FindingEndpoints.Dto(f, recurring),
            FindingStamp.Of(f),
            new RectificationDetail(
                f.Status.ToString(),
                FindingLabels.Status(f.Status),
                f.Deadline,
                new RectificationPlanDto(f.PlanMeasures, f.PlanResponsible, f.PlanDate),
                f.ResultText,
                f.RequestedDeadline,
                f.NextDeadline,
                f.Remaining,
                f.Verification,
                f.FinishedOn,
                f.Extensions,
                view.Evidence,
                view.Extensions.Select(e => new ExtensionRequestDto(e.AskedAt, e.AskedBy, e.Asked, e.Reason, e.Decision?.ToString(),
                    e.Decision is { } d ? FindingExtensions.DecisionLabel(d) : null, e.DecidedAt, e.DecidedBy, e.DecisionComment, e.Pending)).ToList(),
                f.ResultReportedOn,
                FindingOverdue.IsOverdue(f, today)),
            c is null ? null : new RectificationCaseDto(
                c.Instance.Id,
                c.Instance.State,
                c.Definition.State(c.Instance.State).Label,
                c.Instance.Version,
                c.Instance.DueAt,
                c.AllowedActions.Select(a => new CaseEndpoints.ActionDto(a.Id, a.Label, a.CommentRequired)).ToList(),
                c.History.Select(h => new CaseEndpoints.HistoryDto(h.Seq, h.ActorName, h.At, h.Action, h.ActionLabel, h.FromState, h.ToState, h.Comment, h.Hash)).ToList()));
    }
}
