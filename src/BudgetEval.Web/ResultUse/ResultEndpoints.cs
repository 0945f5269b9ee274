using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.Plans;
using BudgetEval.Web.Workflows;

namespace BudgetEval.Web.ResultUse;

/// <summary>
/// 结果应用 over the API, for the bureau only: a unit or firm asking gets 404 (the results are not theirs to
/// know about), a bureau user without the right role for a change gets 403.
/// </summary>
internal static class ResultEndpoints
{
    public static void MapResultEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/results").RequireAuthorization(ApiAuth.Policy).WithTags("Results");

        group.MapGet("/{year:int}", async (int year, string? unit, string? kind, bool? publishedOnly, HttpContext http, ResultsReport report, CancellationToken ct) =>
        {
            if (Refused(http, year, kind) is { } refused)
            {
                return refused;
            }

            // ?page= and ?pageSize= and the X-Page/X-Has-Next/Link headers as on the other lists (ApiPage).
            if (!Shared.ApiPage.TryFrom(http.Request, out var asked, out var problem))
            {
                return problem;
            }

            // Without ?pageSize= the report's own 50 lines (its page and export), as before.
            if (http.Request.Query["pageSize"].Count == 0)
            {
                asked = asked with { Size = ResultsReport.PageSize };
            }

            var view = await report.ViewAsync(year, Filter(unit, kind, publishedOnly ?? false), (asked.Page - 1) * asked.Size, asked.Size, ct);
            var hasNext = (long)asked.Page * asked.Size < view.Total;
            var headers = http.Response.Headers;
            headers["X-Page"] = asked.Page.ToString(System.Globalization.CultureInfo.InvariantCulture);
            headers["X-Page-Size"] = asked.Size.ToString(System.Globalization.CultureInfo.InvariantCulture);
            headers["X-Has-Next"] = hasNext ? "true" : "false";
            if (hasNext)
            {
                headers.Link = $"<{http.Request.PathBase}{Shared.Paging.Link(http.Request, asked.Page + 1, "page")}>; rel=\"next\"";
            }

            return TypedResults.Ok(Dto(view, asked));
        }).Produces<ResultsPage>();

        group.MapGet("/{year:int}/export.xlsx", async (int year, string? unit, string? kind, bool? publishedOnly, HttpContext http, ResultsReport report, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        {
            if (Refused(http, year, kind) is { } refused)
            {
                return refused;
            }

            var publication = publishedOnly ?? false;
            return TypedResults.File(await ResultsExport.BuildAsync(report, db, year, Filter(unit, kind, publication), publication, http, clock, ct),
                SelfEvaluations.Export.FormWorkbook.ContentType, ResultsExport.FileName(year, publication));
        }).ProducesFile(SelfEvaluations.Export.FormWorkbook.ContentType);

        group.MapPut("/{year:int}/publication/{subjectKind}/{subjectId:guid}", (int year, string subjectKind, Guid subjectId, HttpContext http, ResultsService service, CancellationToken ct) =>
            MarkAsync(year, subjectKind, subjectId, true, http, service, ct))
            .Produces(StatusCodes.Status204NoContent);

        group.MapDelete("/{year:int}/publication/{subjectKind}/{subjectId:guid}", (int year, string subjectKind, Guid subjectId, HttpContext http, ResultsService service, CancellationToken ct) =>
            MarkAsync(year, subjectKind, subjectId, false, http, service, ct))
            .Produces(StatusCodes.Status204NoContent);

        group.MapPost("/{year:int}/approval", async (int year, HttpContext http, ResultsService service, CancellationToken ct) =>
            ActionRefused(http, year) ?? Answer(await service.ApproveAsync(year, WorkflowActor.From(http.User), ct)))
            .Produces(StatusCodes.Status204NoContent);

        group.MapPost("/{year:int}/approval/reopen", async (int year, ReopenInput input, HttpContext http, ResultsService service, CancellationToken ct) =>
            ActionRefused(http, year) ?? Answer(await service.ReopenAsync(year, input.Reason, WorkflowActor.From(http.User), ct)))
            .Produces(StatusCodes.Status204NoContent);

        group.MapGet("/rules", async (HttpContext http, AppDbContext db, CancellationToken ct) =>
            ResultsService.MayRead(WorkflowActor.From(http.User)) ? TypedResults.Ok(RulesDto(await ResultRules.LoadAsync(db, ct))) : ApiProblems.NotFound())
            .Produces<BudgetNoteRulesDto>();

        group.MapPut("/rules", async (BudgetNoteRulesInput input, HttpContext http, ResultsService service, CancellationToken ct) =>
            ResultsService.MayRead(WorkflowActor.From(http.User))
                ? Answer(await service.SaveRulesAsync(input, WorkflowActor.From(http.User), ct))
                : Forbidden())
            .Produces(StatusCodes.Status204NoContent);
    }

    internal sealed record ReopenInput(string? Reason);

    internal sealed record ApprovalDto(DateTimeOffset ApprovedAt, string ApprovedByName);

    /// <summary>A line's self-evaluation: <c>status</c> is the state's id (draft), as everywhere else in the API; <c>statusLabel</c> its Chinese label.</summary>
    internal sealed record ResultSelfEvaluation(Guid Id, string? Status, string? StatusLabel, bool Late, decimal? Score, string? Grade);

    internal sealed record ResultEvaluation(Guid Id, string? Status, string? StatusLabel, string? ReportNumber, decimal? Score, string? Grade);

    /// <summary>The unit's findings in the follow-up window; <c>rate</c> is 整改率 (0–1), null when nothing was to be rectified.</summary>
    internal sealed record ResultRectification(int Total, int Rectified, int Unrectifiable, int Open, int Overdue, decimal? Rate);

    internal sealed record ResultLine(string SubjectKind, Guid SubjectId, Guid OrganisationId, string UnitName, string Kind, string? ProjectName,
        ResultSelfEvaluation? SelfEvaluation, ResultEvaluation? Evaluation, string? FinalGrade, ResultRectification Rectification, string BudgetNote, bool Published);

    /// <summary>A year's results, one page of lines; <c>approved</c> is null until the year is approved.</summary>
    internal sealed record ResultsPage(int Year, ApprovalDto? Approved, int Total, int Page, int PageSize, IReadOnlyList<ResultLine> Rows);

    internal sealed record BudgetNoteRulesDto(string Excellent, string Good, string Pass, string Fail, string NoGrade, decimal LowRectificationBelowPercent,
        string LowRectification, DateTimeOffset? UpdatedAt, string? UpdatedByName, uint Version);

    public static ResultFilter Filter(string? unit, string? kind, bool publishedOnly) =>
        new(unit, Shared.EnumNames.TryParse<EvaluationKind>(kind, out var k) ? k : null, publishedOnly);

    /// <summary>Why a year cannot be shown, in Chinese; null when it can.</summary>
    public static string? YearError(int year) =>
        Shared.DateRange.IsYear(year) ? null : $"“年度”须在 {Shared.DateRange.Min.Year} 到 {Shared.DateRange.Max.Year} 之间。";

    private static IResult? Refused(HttpContext http, int year, string? kind)
    {
        if (!ResultsService.MayRead(WorkflowActor.From(http.User)))
        {
            return ApiProblems.NotFound();
        }

        var errors = new Dictionary<string, string[]>();
        if (YearError(year) is { } y)
        {
            errors["year"] = [y];
        }

        if (!string.IsNullOrEmpty(kind) && Filter(null, kind, false).Kind is null)
        {
            errors["kind"] = ["“评价对象类型”只能是 DepartmentWide（部门整体支出）或 Project（项目支出）。"];
        }

        return errors.Count > 0 ? ApiProblems.Validation(errors) : null;
    }

    private static IResult? ActionRefused(HttpContext http, int year) =>
        !ResultsService.MayRead(WorkflowActor.From(http.User)) ? Forbidden()
        : YearError(year) is { } y ? ApiProblems.Validation(new Dictionary<string, string[]> { ["year"] = [y] })
        : null;

    private static async Task<IResult> MarkAsync(int year, string subjectKind, Guid subjectId, bool publish, HttpContext http, ResultsService service, CancellationToken ct) =>
        ActionRefused(http, year) ?? Answer(await service.MarkAsync(year, subjectKind, subjectId, publish, WorkflowActor.From(http.User), ct));

    private static IResult Forbidden() => ApiProblems.Problem(StatusCodes.Status403Forbidden, "无权操作", "只有财政局可以办理评价结果。");

    private static IResult Answer(ResultsOutcome outcome) => outcome.Status switch
    {
        FireStatus.Ok => TypedResults.NoContent(),
        FireStatus.NotFound => ApiProblems.Problem(StatusCodes.Status404NotFound, "未找到", outcome.Message), // names what is missing in the year
        _ => ApiProblems.For(outcome.Status, outcome.Errors),
    };

    private static ResultsPage Dto(ResultsView view, Shared.ApiPage page) => new(
        view.Year,
        view.Approval is { } a ? new ApprovalDto(a.ApprovedAt, a.ApprovedByName) : null,
        view.Total,
        page.Page,
        page.Size,
        view.Rows.Select(r => new ResultLine(
            r.SubjectKind,
            r.SubjectId,
            r.OrganisationId,
            r.UnitName,
            r.Kind.ToString(),
            r.ProjectName,
            r.SelfEvaluationId is { } s ? new ResultSelfEvaluation(s, r.SelfStatus, r.SelfStatusLabel, r.SelfLate, r.SelfScore, r.SelfGrade) : null,
            r.EvaluationId is { } e ? new ResultEvaluation(e, r.EvaluationStatus, r.EvaluationStatusLabel, r.ReportNumber, r.EvaluationScore, r.EvaluationGrade) : null,
            r.FinalGrade,
            new ResultRectification(r.Rectification.Total, r.Rectification.Rectified, r.Rectification.Unrectifiable, r.Rectification.Open, r.Rectification.Overdue,
                r.Rectification.Rate),
            r.BudgetNote,
            r.Published)).ToList());

    private static BudgetNoteRulesDto RulesDto(BudgetNoteRules r) =>
        new(r.Excellent, r.Good, r.Pass, r.Fail, r.NoGrade, r.LowRectificationBelowPercent, r.LowRectification, r.UpdatedAt, r.UpdatedByName, r.RowVersion);
}
