using BudgetEval.Web.Audit;
using BudgetEval.Web.Auth;
using BudgetEval.Web.Findings;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.SelfEvaluations;
using BudgetEval.Web.SelfEvaluations.Import;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Evaluations;

/// <summary>External evaluations over the JSON API; everything is scoped by the query filters (404 outside).</summary>
internal static class EvaluationEndpoints
{
    internal sealed record SelectRequest(int? FiscalYear, List<TargetInput>? Targets);

    /// <summary><c>expectedVersion</c> (required): the case's version, <c>caseVersion</c> of GET /api/evaluations/{id}.</summary>
    internal sealed record ActionRequest(string? Comment, [property: ConcurrencyToken] int? ExpectedVersion);

    /// <summary><c>expectedVersion</c> (required): the <c>version</c> of GET /api/evaluations/{id}; a table saved by someone else since is refused (409).</summary>
    internal sealed record ScoresRequest(List<ScoreRowRequest>? Rows, [property: ConcurrencyToken] uint? ExpectedVersion);

    /// <summary>
    /// One row of PUT …/scores. The setters note which fields the caller sent: a field left out keeps its value
    /// (a row sent with only <c>score</c> keeps its 评分说明), a field sent as null clears it.
    /// </summary>
    internal sealed class ScoreRowRequest
    {
        private decimal? _score;
        private string? _note;

        public string? Level1 { get; set; }

        public string? Level3 { get; set; }

        public decimal? Score { get => _score; set => (_score, ScoreSent) = (value, true); }

        public string? Note { get => _note; set => (_note, NoteSent) = (value, true); }

        /// <summary>true marks the row 不适用 (with <see cref="MovedTo"/>), false un-marks it; left out, it stays as it is.</summary>
        public bool? NotApplicable { get; set; }

        public string? MovedTo { get; set; }

        [System.Text.Json.Serialization.JsonIgnore]
        public bool ScoreSent { get; private set; }

        [System.Text.Json.Serialization.JsonIgnore]
        public bool NoteSent { get; private set; }

        public ScoreInput ToInput() => new(Level1 ?? string.Empty, Level3 ?? string.Empty, Score, Note, NotApplicable, MovedTo, KeepScore: !ScoreSent, KeepNote: !NoteSent);
    }

    /// <summary>PUT …/report: a number or date left out stays; sent empty (or null) it is cleared.</summary>
    internal sealed class ReportRequest
    {
        private string? _number;
        private DateOnly? _date;

        public Dictionary<string, string?>? Sections { get; set; }

        public string? ReportNumber { get => _number; set => (_number, NumberSent) = (value, true); }

        public DateOnly? ReportDate { get => _date; set => (_date, DateSent) = (value, true); }

        [System.Text.Json.Serialization.JsonIgnore]
        public bool NumberSent { get; private set; }

        [System.Text.Json.Serialization.JsonIgnore]
        public bool DateSent { get; private set; }

        /// <summary>The report's stamp (<c>stamps.report</c>), or <see cref="ExpectedVersion"/>: at least one, see <see cref="SavePartAsync"/>.</summary>
        [System.ComponentModel.Description(ReportStampText)]
        public string? Stamp { get; set; }

        [System.ComponentModel.Description(VersionText)]
        public uint? ExpectedVersion { get; set; }

        public ReportInput ToInput() => new(Sections, ReportNumber, ReportDate, KeepNumber: !NumberSent, KeepDate: !DateSent);
    }

    /// <summary>
    /// The token of a part's save (report, problems, comments, answers): its stamp, or the evaluation's <c>version</c> as before
    /// stamps. Either one will do, so neither is marked required (ConcurrencyToken marks one field required); the
    /// descriptions and the endpoints' say so, and a save with neither answers 400 naming both.
    /// </summary>
    private const string VersionText = "评价的版本号（GET /api/evaluations/{id} 返回的 version）：评价的任何部分（包括评分）在读取后被他人保存过即拒绝（409）。"
        + "与 stamp 至少提交一个；建议改用 stamp。";

    private const string ReportStampText = "评价报告的戳记（GET /api/evaluations/{id} 返回的 stamps.report）：仅当报告（各部分、文号、日期）在读取后被他人修改过才拒绝（409），"
        + "他人保存评分等其他内容不影响。与 expectedVersion 至少提交一个。";

    private const string ProblemsStampText = "问题清单的戳记（GET /api/evaluations/{id} 返回的 stamps.problems）：仅当问题清单（各问题的内容、顺序及评价机构答复）在读取后被他人修改过才拒绝（409）。"
        + "与 expectedVersion 至少提交一个。";

    private const string CommentsStampText = "单位意见的戳记（GET /api/evaluations/{id} 返回的 stamps.comments）：仅当单位意见（总体意见、对各问题的意见和异议）在读取后被他人修改过才拒绝（409）。"
        + "与 expectedVersion 至少提交一个。";

    private const string AnswersStampText = "评价机构答复的戳记（GET /api/evaluations/{id} 返回的 stamps.answers）：仅当对各问题的答复在读取后被他人修改过才拒绝（409）。"
        + "与 expectedVersion 至少提交一个。";

    internal sealed record ProblemsRequest(List<Problem>? Problems, [property: System.ComponentModel.Description(VersionText)] uint? ExpectedVersion = null,
        [property: System.ComponentModel.Description(ProblemsStampText)] string? Stamp = null);

    internal sealed record CommentsRequest(string? General, List<CommentInput>? Problems, [property: System.ComponentModel.Description(VersionText)] uint? ExpectedVersion = null,
        [property: System.ComponentModel.Description(CommentsStampText)] string? Stamp = null);

    internal sealed record AnswersRequest(List<AnswerInput>? Answers, [property: System.ComponentModel.Description(VersionText)] uint? ExpectedVersion = null,
        [property: System.ComponentModel.Description(AnswersStampText)] string? Stamp = null);

    /// <summary>
    /// Each part's stamp: the <c>stamp</c> of its PUT, refused (409) only when that part changed since it was read, not
    /// when a teammate saved the scores or another part (as on the page, whose forms carry the same stamps).
    /// </summary>
    internal sealed record EvaluationStamps(string Report, string Problems, string Comments, string Answers)
    {
        public static EvaluationStamps Of(Evaluation e) =>
            new(EvaluationService.Stamp.Report(e), EvaluationService.Stamp.Problems(e), EvaluationService.Stamp.Comments(e), EvaluationService.Stamp.Answers(e));
    }

    /// <summary>A part saved on its own: how its refusal names it, its key in <see cref="EvaluationStamps"/>, and its stamp.</summary>
    private sealed record StampedPart(string Label, string Key, Func<Evaluation, string> Stamp);

    private static readonly StampedPart ReportPart = new("评价报告", "report", EvaluationService.Stamp.Report);

    private static readonly StampedPart ProblemsPart = new("问题清单", "problems", EvaluationService.Stamp.Problems);

    private static readonly StampedPart CommentsPart = new("单位意见", "comments", EvaluationService.Stamp.Comments);

    private static readonly StampedPart AnswersPart = new("评价机构答复", "answers", EvaluationService.Stamp.Answers);

    /// <summary>A list row; <c>status</c> is the state's id (draft, …).</summary>
    internal sealed record EvaluationListItem(Guid Id, int FiscalYear, string Title, Guid OrganisationId, string UnitName, string Kind, string? ProjectName,
        string Reason, string Status, Guid? FirmId, string? FirmName, DateOnly? ReportDueDate, Guid? CaseId);

    /// <summary>A unit or project the rules propose for evaluation, with why (<c>budget</c> in 万元).</summary>
    internal sealed record EvaluationProposalDto(Guid OrganisationId, string UnitName, string Kind, string KindLabel, string? ProjectName, decimal? Budget, string Reason);

    internal sealed record EvaluationTemplateDto(string Key, string Name, IReadOnlyList<string> Groups, decimal WeightTotal);

    internal sealed record EvaluationSelected(Guid Id, string Title, string Status, Guid? CaseId);

    /// <summary>A save: the evaluation's state, its new <c>version</c> and <c>stamps</c> (the next save's expectedVersion or stamp).</summary>
    internal sealed record EvaluationSaved(Guid Id, string Status, uint Version, EvaluationStamps Stamps);

    /// <summary>An accepted score file: rows read, the new total, and what of the file was not imported.</summary>
    internal sealed record ScoresImported(int Count, decimal Total, IReadOnlyList<string> Notes);

    internal sealed record ProposalFinding(Guid Id, string Number, int FiscalYear, string Title, string Status);

    /// <summary>The 整改 indicator's proposed score from the unit's earlier findings (<c>closed</c> of <c>total</c> rectified).</summary>
    internal sealed record RectificationProposalDto(string Indicator, decimal Weight, decimal Score, int Total, int Closed, IReadOnlyList<ProposalFinding> Findings);

    /// <summary>
    /// An evaluation. <c>caseVersion</c> is what the actions check, <c>version</c> the row's (for saves), <c>stamps</c> each part's
    /// (for its save). The score, grade, groups, rows, proposal and stamps are empty (null) to those who may not yet see the
    /// report; a unit sees no team.
    /// </summary>
    internal sealed record EvaluationDetail(Guid Id, int FiscalYear, string Title, Guid OrganisationId, string UnitName, string Kind, string? ProjectName,
        string Reason, decimal? Budget, string Status, Guid? CaseId, int? CaseVersion, Guid? FirmId, string? FirmName, DateOnly? ReportDueDate,
        string TemplateKey, string? ReportNumber, DateOnly? ReportDate, DateOnly? CompletedOn, uint Version, IReadOnlyList<TeamMember> Team,
        decimal? TotalScore, string? Grade, decimal WeightTotal, IReadOnlyList<GroupSubtotal> Groups, IReadOnlyList<string> Incomplete,
        IReadOnlyList<ScoreRow> Rows, IReadOnlyList<FindingEndpoints.FindingDto> Findings, RectificationProposalDto? RectificationProposal,
        EvaluationStamps? Stamps);

    internal sealed record ReportSectionDto(string Key, string Label, string? Text);

    internal sealed record EvaluationReportDto(Guid Id, string Title, string Status, string? ReportNumber, DateOnly? ReportDate, string? Lead,
        IReadOnlyList<ReportSectionDto> Sections, IReadOnlyList<Problem> Problems, string? UnitComment);

    public static void MapEvaluationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/evaluations").RequireAuthorization(ApiAuth.Policy).WithTags("Evaluations");

        group.MapGet("/", async (int? fiscalYear, HttpContext http, AppDbContext db, CancellationToken ct) =>
        {
            if (!ApiPage.TryFrom(http.Request, out var page, out var problem))
            {
                return problem;
            }

            var query = db.Evaluations.AsNoTracking();
            if (fiscalYear is { } year)
            {
                query = query.Where(e => e.FiscalYear == year);
            }

            var rows = await page.ReadAsync(query.OrderByDescending(e => e.FiscalYear).ThenBy(e => e.Title).ThenBy(e => e.Id), http, ct);

            var names = await OrganisationNames.ForAsync(db, rows.Select(e => (Guid?)e.OrganisationId).Concat(rows.Select(e => e.FirmId)), ct);
            return Results.Ok(rows.Select(e => new EvaluationListItem(e.Id, e.FiscalYear, e.Title, e.OrganisationId, names[e.OrganisationId], e.Kind.ToString(),
                e.ProjectName, e.Reason, e.Status, e.FirmId, e.FirmId is { } f ? names[f] : null, e.ReportDueDate, e.CaseId)).ToList());
        }).Produces<List<EvaluationListItem>>();

        // The bureau's working list: to anyone else it does not exist.
        group.MapGet("/proposals", async (int fiscalYear, HttpContext http, DataScopeAccessor scope, EvaluationService service, CancellationToken ct) =>
        {
            if (!scope.Current.SeesAll)
            {
                return ApiProblems.NotFound();
            }

            if (!ApiPage.TryFrom(http.Request, out var page, out var problem))
            {
                return problem;
            }

            // kind as everywhere else in the API ("DepartmentWide" / "Project"), not the enum's number.
            return TypedResults.Ok((await page.ReadAsync(await service.ProposeAsync(fiscalYear, ct), http, ct)).Select(r => r.ToCandidate())
                .Select(c => new EvaluationProposalDto(c.OrganisationId, c.UnitName, c.Kind.ToString(), Plans.EvaluationKinds.EvaluationLabel(c.Kind), c.ProjectName, c.Budget, c.Reason))
                .ToList());
        }).Produces<List<EvaluationProposalDto>>();

        // The active templates the administrator keeps (/admin/templates), as offered on the 委托 form.
        group.MapGet("/templates", async (AppDbContext db, CancellationToken ct) => TypedResults.Ok((await Admin.Templates.TemplateCatalog.EvaluationAsync(db, ct))
            .Select(t => new EvaluationTemplateDto(t.Key, t.Name, t.Groups, t.Rows.Sum(r => r.Weight))).ToList()));

        // A repeated Idempotency-Key answers the first selection (not 「已选定」).
        group.MapPost("/", (SelectRequest request, HttpContext http, EvaluationService service, CancellationToken ct) =>
            IdempotentCreates.RunAsync(http, "evaluations", request, async () =>
            {
                var (created, errors, status) = await service.SelectAsync(request.FiscalYear, request.Targets ?? [], WorkflowActor.From(http.User), ct);
                return status switch
                {
                    FireStatus.Ok => TypedResults.Ok(created.Select(e => new EvaluationSelected(e.Id, e.Title, e.Status, e.CaseId)).ToList()),
                    FireStatus.Forbidden => ApiProblems.Problem(StatusCodes.Status403Forbidden, "无权办理", string.Join(" ", errors.SelectMany(e => e.Value))),
                    _ => ApiProblems.Validation(new Dictionary<string, string[]>(errors)),
                };
            })).Produces<List<EvaluationSelected>>();

        group.MapGet("/{id:guid}", async (Guid id, AppDbContext db, DataScopeAccessor scope, CancellationToken ct) =>
            await db.Evaluations.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct) is { } e
                ? TypedResults.Ok(await DetailAsync(db, e, scope.Current, ct))
                : ApiProblems.NotFound())
            .Produces<EvaluationDetail>();

        group.MapPost("/{id:guid}/actions/{action}", async (Guid id, string action, ActionRequest request, HttpContext http, EvaluationService service, AppDbContext db, CancellationToken ct) =>
        {
            // Answered as /api/cases/{id}/actions/{action} answers: {state, stateLabel, version} or a problem, and
            // the same Idempotency-Key again answers the first request's answer without acting twice. expectedVersion
            // (the case's, caseVersion) is required as there: without it an action would act on a case changed unseen.
            if (request.ExpectedVersion is null)
            {
                // An evaluation the caller cannot see is refused as one that does not exist, whatever the body lacks.
                return !await db.Evaluations.AnyAsync(e => e.Id == id, ct) ? ApiProblems.NotFound() : ApiProblems.Validation(new Dictionary<string, string[]>
                {
                    ["expectedVersion"] = [$"缺少版本号 expectedVersion：请先读取该评价（GET /api/evaluations/{id}，返回的 caseVersion）并随办理一并提交，以免办理他人已处理过的事项。"],
                });
            }

            return IdempotencyKeys.TryRead(http.Request, out var key, out var problem)
                ? Workflows.CaseEndpoints.ToResult(await service.FireAsync(id, action, WorkflowActor.From(http.User), request.Comment, request.ExpectedVersion, ct, key))
                : problem;
        }).Produces<Workflows.CaseEndpoints.FireResponse>();

        group.MapPost("/{id:guid}/commission", async (Guid id, CommissionInput request, HttpContext http, EvaluationService service, CancellationToken ct) =>
            Answer(await service.CommissionAsync(id, request, WorkflowActor.From(http.User), ct)))
            .Produces<EvaluationSaved>();

        group.MapPost("/{id:guid}/team", async (Guid id, MemberInput request, HttpContext http, EvaluationService service, CancellationToken ct) =>
            Answer(await service.AddMemberAsync(id, request, WorkflowActor.From(http.User), ct)))
            .Produces<EvaluationSaved>();

        group.MapPut("/{id:guid}/scores", async (Guid id, ScoresRequest request, HttpContext http, EvaluationService service, CancellationToken ct) =>
            Answer(await service.SaveScoresAsync(id, [.. (request.Rows ?? []).Select(r => r.ToInput())], request.ExpectedVersion, WorkflowActor.From(http.User), ct)))
            .Produces<EvaluationSaved>();

        group.MapPost("/{id:guid}/scores/import", async (Guid id, HttpRequest request, HttpContext http, AppDbContext db, EvaluationService service, CancellationToken ct) =>
        {
            if (!await db.Evaluations.AnyAsync(e => e.Id == id, ct))
            {
                return ApiProblems.NotFound();
            }

            var (file, problem) = await FormEndpoints.SingleFileAsync(request, IndicatorFile.MaxBytes, "10 MB", ct);
            if (problem is not null)
            {
                return FormEndpoints.ImportProblem([new ImportError(0, string.Empty, problem)]);
            }

            // The form field expectedVersion, as the other saves' body field: a text that is no version counts as none, and is named so below.
            var sentVersion = request.Form["expectedVersion"].ToString().Trim();
            uint? expectedVersion = uint.TryParse(sentVersion, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;
            var (read, saved) = await service.ImportScoresAsync(id, file!.Value.Name, file.Value.Content, WorkflowActor.From(http.User), ct, expectedVersion, versionRequired: true);
            if (saved.MissingField is { } missing)
            {
                return ApiProblems.Validation(new Dictionary<string, string[]>
                {
                    [missing] = [sentVersion.Length == 0 ? EvaluationService.MissingVersionMessage(id) : $"「expectedVersion」「{sentVersion}」应为评价的版本号（GET /api/evaluations/{id} 返回的 version，非负整数）。"],
                });
            }

            if (!read.Succeeded)
            {
                return FormEndpoints.ImportProblem(read.Errors);
            }

            return saved.Status == FireStatus.Ok
                ? TypedResults.Ok(new ScoresImported(read.Rows.Count, EvaluationSubject.Sheet(saved.Evaluation!).Total, read.Notes))
                : FireProblem(saved.Status, saved.Errors);
        }).DisableAntiforgery().Produces<ScoresImported>().WithDescription(ImportDescription);

        group.MapGet("/{id:guid}/scores/export.{format:regex(^(xlsx|csv)$)}", async (Guid id, string format, AppDbContext db, DataScopeAccessor scope, HttpContext http, TimeProvider clock, CancellationToken ct) =>
            await ScoreExport.FileAsync(db, scope, http, clock, id, format, ct) is { } file
                ? TypedResults.File(file.Content, file.ContentType, file.Name)
                : ApiProblems.NotFound())
            .ProducesFile(SelfEvaluations.Export.FormWorkbook.ContentType, "text/csv");

        group.MapPut("/{id:guid}/report", (Guid id, ReportRequest request, HttpContext http, EvaluationService service, CancellationToken ct) =>
            SavePartAsync(id, ReportPart, request.Stamp, request.ExpectedVersion, (version, required, precondition) =>
                service.SaveReportAsync(id, request.ToInput(), WorkflowActor.From(http.User), ct, version, required, precondition)))
            .Produces<EvaluationSaved>().WithDescription(PartDescription(ReportPart));

        group.MapPut("/{id:guid}/problems", (Guid id, ProblemsRequest request, HttpContext http, EvaluationService service, CancellationToken ct) =>
            SavePartAsync(id, ProblemsPart, request.Stamp, request.ExpectedVersion, (version, required, precondition) =>
                service.SaveProblemsAsync(id, request.Problems ?? [], WorkflowActor.From(http.User), ct, version, required, precondition)))
            .Produces<EvaluationSaved>().WithDescription(PartDescription(ProblemsPart));

        group.MapPut("/{id:guid}/comments", (Guid id, CommentsRequest request, HttpContext http, EvaluationService service, CancellationToken ct) =>
            SavePartAsync(id, CommentsPart, request.Stamp, request.ExpectedVersion, (version, required, precondition) =>
                service.CommentAsync(id, request.General, request.Problems ?? [], WorkflowActor.From(http.User), ct, version, required, precondition)))
            .Produces<EvaluationSaved>().WithDescription(PartDescription(CommentsPart));

        group.MapPut("/{id:guid}/answers", (Guid id, AnswersRequest request, HttpContext http, EvaluationService service, CancellationToken ct) =>
            SavePartAsync(id, AnswersPart, request.Stamp, request.ExpectedVersion, (version, required, precondition) =>
                service.AnswerAsync(id, request.Answers ?? [], WorkflowActor.From(http.User), ct, version, required, precondition)))
            .Produces<EvaluationSaved>().WithDescription(PartDescription(AnswersPart));

        // The report itself: the unit reads the draft only in its comment window and the final one after completion.
        group.MapGet("/{id:guid}/report", async (Guid id, AppDbContext db, DataScopeAccessor scope, CancellationToken ct) =>
            await db.Evaluations.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct) is { } e && EvaluationService.MaySeeReport(e, scope.Current)
                ? TypedResults.Ok(Report(e))
                : ApiProblems.NotFound())
            .Produces<EvaluationReportDto>();
    }

    public static async Task<EvaluationDetail> DetailAsync(AppDbContext db, Evaluation e, DataScope scope, CancellationToken ct)
    {
        var sheet = EvaluationSubject.Sheet(e);
        var content = EvaluationService.MaySeeReport(e, scope);
        var findings = await db.Findings.AsNoTracking().Where(f => f.EvaluationId == e.Id).OrderBy(f => f.Number).ToListAsync(ct);
        var recurring = await RecurringFindings.AmongAsync(db, findings, ct);
        var names = await OrganisationNames.ForAsync(db, [e.OrganisationId, e.FirmId], ct);

        // The case's version, which the actions (POST …/actions/{action}) check; version is the row's, for saves.
        var caseVersion = e.CaseId is { } caseId
            ? await db.WorkflowInstances.IgnoreQueryFilters().Where(i => i.Id == caseId).Select(i => (int?)i.Version).SingleOrDefaultAsync(ct)
            : null;
        var proposal = content && await RectificationProposal.ForAsync(db, e, ct) is { } p
            ? new RectificationProposalDto(p.Indicator, p.Weight, p.Score, p.Total, p.Closed,
                p.Findings.Select(f => new ProposalFinding(f.Id, f.Number, f.FiscalYear, f.Title, f.Status.ToString())).ToList())
            : null;
        return new EvaluationDetail(
            e.Id,
            e.FiscalYear,
            e.Title,
            e.OrganisationId,
            names[e.OrganisationId],
            e.Kind.ToString(),
            e.ProjectName,
            e.Reason,
            e.Budget,
            e.Status,
            e.CaseId,
            caseVersion,
            e.FirmId,
            e.FirmId is { } firm ? names[firm] : null,
            e.ReportDueDate,
            e.TemplateKey,
            e.ReportNumber,
            e.ReportDate,
            e.CompletedOn,
            e.RowVersion,
            scope.Kind == DataScopeKind.Unit ? [] : e.Team, // as on the page: the unit does not see who evaluates it, their titles or declarations
            content ? sheet.Total : null,
            content ? sheet.Grade : null,
            sheet.WeightTotal,
            content ? sheet.Groups : [],
            content ? sheet.Incomplete : [],
            content ? e.Rows : [],
            findings.Select(f => FindingEndpoints.Dto(f, recurring.Contains(f.Id))).ToList(),
            proposal,
            content ? EvaluationStamps.Of(e) : null);
    }

    public static EvaluationReportDto Report(Evaluation e) => new(
        e.Id,
        e.Title,
        e.Status,
        e.ReportNumber,
        e.ReportDate,
        e.Team.FirstOrDefault(m => m.IsLead)?.Name,
        ReportSections.All.Select(s => new ReportSectionDto(s.Key, s.Label, e.Report.GetValueOrDefault(s.Key))).ToList(),
        e.Problems,
        e.UnitComment);

    /// <summary>
    /// Saves one part with the concurrency token the client read. <c>stamp</c> (the part's) refuses the save only when that part
    /// changed since, so a teammate's scores or another part do not (the page's check, <see cref="EvaluationService.Stamp.Unchanged"/>);
    /// <c>expectedVersion</c> refuses it when anything of the evaluation changed, as before stamps, so older clients keep working.
    /// Sent both, both are checked. Sent neither, the service refuses it as missing its version after the access checks (403
    /// first), and the 400 is worded here for the either/or.
    /// </summary>
    private static async Task<IResult> SavePartAsync(Guid id, StampedPart part, string? stamp, uint? expectedVersion,
        Func<uint?, bool, Func<Evaluation, string?>?, Task<EvaluationResult>> save)
    {
        var sent = string.IsNullOrWhiteSpace(stamp) ? null : stamp;
        var precondition = sent is null ? null : EvaluationService.Stamp.Unchanged(sent, part.Stamp,
            $"{part.Label}已被他人修改（本次保存未生效）：请重新读取该评价（GET /api/evaluations/{id}，返回的 stamps.{part.Key}），核对对方保存的内容后再保存。");
        var result = await save(expectedVersion, sent is null, precondition);
        return result.MissingField is { } missing
            ? ApiProblems.Validation(new Dictionary<string, string[]>
            {
                [missing] = [$"缺少版本标记 stamp 或版本号 expectedVersion：请先读取该评价（GET /api/evaluations/{id}，返回的 stamps.{part.Key} 或 version），并随保存一并提交其中之一，以免覆盖他人的修改。"],
            })
            : Answer(result);
    }

    private const string ImportDescription = "multipart/form-data：文件放在字段 file 中（.xlsx 或 .csv，表头同导出的评分表），并须提交字段 expectedVersion"
        + "（GET /api/evaluations/{id} 返回的 version）。导入替换整张评分表：评价在读取后被他人保存过（包括队友保存评分）即拒绝（409），未保存任何内容；"
        + "缺少或无效的 expectedVersion 答 400（errors.expectedVersion），文件有误答 400（errors 按行、列列出）。成功时返回导入的行数、新的总分及未导入的内容说明。";

    private static string PartDescription(StampedPart part) =>
        $"须提交 stamp（GET /api/evaluations/{{id}} 返回的 stamps.{part.Key}）或 expectedVersion（返回的 version）之一："
        + $"stamp 仅在{part.Label}被他人修改后拒绝（409），他人保存评分或其他部分不影响；expectedVersion 在评价的任何部分被他人保存后即拒绝（409）。"
        + "两者都提交时两者都检查；都不提交答 400（errors.expectedVersion）。成功时返回新的 version 和 stamps，供下一次保存使用。";

    private static IResult Answer(EvaluationResult result) =>
        result.MissingField is { } missing ? ApiProblems.Validation(new Dictionary<string, string[]> { [missing] = [.. result.Errors] })
        : result.Status == FireStatus.Ok ? TypedResults.Ok(new EvaluationSaved(result.Evaluation!.Id, result.Evaluation.Status, result.Evaluation.RowVersion, EvaluationStamps.Of(result.Evaluation))) : FireProblem(result.Status, result.Errors);

    private static IResult FireProblem(FireStatus status, IReadOnlyList<string> errors) => status switch
    {
        FireStatus.NotFound => ApiProblems.NotFound(),
        FireStatus.Forbidden => ApiProblems.Problem(StatusCodes.Status403Forbidden, "无权办理", string.Join(" ", errors)),
        FireStatus.Conflict => ApiProblems.Conflict(string.Join(" ", errors)),
        _ => ApiProblems.Unprocessable(errors),
    };
}
