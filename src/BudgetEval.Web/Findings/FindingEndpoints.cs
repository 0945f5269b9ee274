using BudgetEval.Web.Auth;
using BudgetEval.Web.Findings.Import;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Findings;

/// <summary>The 问题台账 over the API: the bureau sees every unit's findings, a unit its own.</summary>
internal static class FindingEndpoints
{
    public static void MapFindingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/findings").RequireAuthorization(ApiAuth.Policy).WithTags("Findings");

        group.MapGet("/", async (string? unit, int? fiscalYear, string? status, string? source, HttpContext http, AppDbContext db, CancellationToken ct) =>
        {
            var (query, errors) = Filter(db, unit, fiscalYear, status, source);
            var (page, pageErrors) = ApiPage.From(http.Request);
            foreach (var (field, messages) in pageErrors)
            {
                errors[field] = messages;
            }

            if (errors.Count > 0)
            {
                return ApiProblems.Validation(errors);
            }

            var rows = await page.ReadAsync(query.OrderByDescending(f => f.FiscalYear).ThenBy(f => f.Number).ThenBy(f => f.Id), http, ct);
            var recurring = await RecurringFindings.AmongAsync(db, rows, ct);
            return TypedResults.Ok(rows.Select(f => Dto(f, recurring.Contains(f.Id))).ToList());
        }).Produces<List<FindingDto>>();

        group.MapGet("/export.xlsx", async (string? unit, int? fiscalYear, string? status, string? source, AppDbContext db, HttpContext http, TimeProvider clock, CancellationToken ct) =>
        {
            var (query, errors) = Filter(db, unit, fiscalYear, status, source);
            if (errors.Count > 0)
            {
                return ApiProblems.Validation(errors);
            }

            return await FindingLedger.BuildAsync(db, query, http, clock, ct) is { } ledger
                ? TypedResults.File(ledger.Content, FormWorkbookContentType, ledger.FileName)
                : ApiProblems.Problem(StatusCodes.Status400BadRequest, "导出范围过大", FindingLedger.TooMany);
        }).ProducesFile(FormWorkbookContentType);

        group.MapPost("/", (FindingInput input, HttpContext http, FindingRegister register, AppDbContext db, CancellationToken ct) =>
            IdempotentCreates.RunAsync(http, "findings", input, async () =>
            {
                var (finding, errors, status) = await register.RegisterAsync(input, WorkflowActor.From(http.User), ct);
                return status switch
                {
                    FireStatus.Ok => TypedResults.Ok(Dto(finding!, (await RecurringFindings.AmongAsync(db, [finding!], ct)).Count > 0)),
                    FireStatus.Forbidden => ApiProblems.Problem(StatusCodes.Status403Forbidden, "无权办理", string.Join(" ", errors.SelectMany(e => e.Value))),
                    _ => ApiProblems.Validation(new Dictionary<string, string[]>(errors)),
                };
            })).Produces<FindingDto>();

        group.MapFindingImport(); // POST /api/findings/import (问题台账批量登记)
        Rectifications.Report.RectificationReportEndpoint.MapRectificationReport(group); // GET /api/findings/rectification-report.docx
    }

    private const string FormWorkbookContentType = SelfEvaluations.Export.FormWorkbook.ContentType;

    /// <summary>The register's filters, shared by the API and the page: unit by id or (part of) its name, year, status, source.</summary>
    public static (IQueryable<Finding> Query, Dictionary<string, string[]> Errors) Filter(AppDbContext db, string? unit, int? fiscalYear, string? status, string? source)
    {
        var errors = new Dictionary<string, string[]>();
        var query = db.Findings.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(unit))
        {
            var named = db.Organisations.NamedLike(unit).Select(o => o.Id); // composed as a subquery, never loaded
            query = Guid.TryParse(unit, out var unitId)
                ? query.Where(f => f.OrganisationId == unitId)
                : query.Where(f => named.Contains(f.OrganisationId));
        }

        if (fiscalYear is { } year)
        {
            query = query.Where(f => f.FiscalYear == year);
        }

        if (!string.IsNullOrWhiteSpace(status))
        {
            if (FindingLabels.ParseStatus(status) is { } s)
            {
                query = query.Where(f => f.Status == s);
            }
            else
            {
                errors["status"] = ["状态应为 Open（未整改）、InProgress（整改中）、Partial（部分整改）、Rectified（已整改）或 Unrectifiable（无法整改）。"];
            }
        }

        if (!string.IsNullOrWhiteSpace(source))
        {
            if (FindingLabels.ParseSource(source) is { } s)
            {
                query = query.Where(f => f.Source == s);
            }
            else
            {
                errors["source"] = ["来源应为 ThirdParty（第三方评价）、Audit（审计）、Inspection（巡察）或 SelfEvaluation（自评）。"];
            }
        }

        return (query, errors);
    }

    /// <summary>A finding as the register lists it (GET /api/findings, and inside a finding's or an evaluation's answer).</summary>
    internal sealed record FindingDto(Guid Id, bool Recurring, string Number, Guid OrganisationId, int FiscalYear, string Category, string Title,
        string Detail, string? IndicatorRow, string? Recommendation, DateOnly Deadline, string Source, string SourceLabel, string? SourceDocument,
        DateOnly? SourceDate, Guid? EvaluationId, string? PriorSourceKind, string? PriorSourceDocument, string? UnitComment, bool UnitDisputed,
        string? FirmAnswer, string Status, string StatusLabel, bool RectifiedBeforeReport, DateOnly? RectifiedOn, string? RectifiedEvidence,
        bool FollowUp, DateOnly? ClosedOn);

    public static FindingDto Dto(Finding f, bool recurring = false) => new(
        f.Id,
        recurring,
        f.Number,
        f.OrganisationId,
        f.FiscalYear,
        f.Category,
        f.Title,
        f.Detail,
        f.IndicatorRow,
        f.Recommendation,
        f.Deadline,
        f.Source.ToString(),
        FindingLabels.Source(f.Source),
        f.SourceDocument,
        f.SourceDate,
        f.EvaluationId,
        f.PriorSourceKind,
        f.PriorSourceDocument,
        f.UnitComment,
        f.UnitDisputed,
        f.FirmAnswer,
        f.Status.ToString(),
        FindingLabels.Status(f.Status),
        f.RectifiedBeforeReport,
        f.RectifiedOn,
        f.RectifiedEvidence,
        FindingLabels.FollowedUp(f.Status),
        f.FinishedOn); // closedOn as the ledger's 完成日期: a finding fixed before the report was closed then
}
