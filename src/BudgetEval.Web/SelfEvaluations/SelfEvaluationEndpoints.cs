using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.SelfEvaluations;

internal static class SelfEvaluationEndpoints
{
    internal sealed record SaveRequest(string? Title, int? FiscalYear, DateOnly? Deadline, string? Summary, decimal? TotalBudget, uint? ExpectedVersion);

    /// <summary>PUT /{id}: the fields of <see cref="SaveRequest"/> and the required <c>expectedVersion</c> (the <c>version</c> of GET /{id}).</summary>
    internal sealed record UpdateRequest(string? Title, int? FiscalYear, DateOnly? Deadline, string? Summary, decimal? TotalBudget,
        [property: ConcurrencyToken] uint? ExpectedVersion);

    internal sealed record SelfEvaluationDto(Guid Id, Guid OrganisationId, int FiscalYear, string Title, DateOnly Deadline, string? Summary,
        decimal? TotalBudget, string Status, bool IsLate, int CurrentVersion, Guid? CaseId, uint Version);

    /// <summary>A list row: the record's fields plus who and what, flattened for clients.</summary>
    internal sealed record SelfEvaluationListItem(Guid Id, Guid OrganisationId, int FiscalYear, string Title, DateOnly Deadline, string Status, bool IsLate,
        int CurrentVersion, Guid? CaseId, uint Version, string UnitName, string Kind, string KindLabel, string? ProjectName, Guid? PlanId, string StatusLabel)
    {
        public SelfEvaluationListItem(SelfEvaluationDto d, string unitName, string kind, string kindLabel, string? projectName, Guid? planId, string statusLabel)
            : this(d.Id, d.OrganisationId, d.FiscalYear, d.Title, d.Deadline, d.Status, d.IsLate, d.CurrentVersion, d.CaseId, d.Version, unitName, kind, kindLabel, projectName, planId, statusLabel)
        {
        }
    }

    public static void MapSelfEvaluationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/self-evaluations").RequireAuthorization(ApiAuth.Policy).WithTags("SelfEvaluations").OnlyEditorsChangeSelfEvaluations();

        // Scoped by the query filter: a unit sees its own, the bureau all. GET /{id} is in FormEndpoints.
        // The 绩效自评 page's filters and orders with the same meaning (SelfEvaluationFilter; the parameters are described in ApiDocument).
        group.MapGet("/", async (int? fiscalYear, string? unit, string? status, string? kind, string? late, string? sort,
            HttpContext http, AppDbContext db, WorkflowRegistry registry, TimeProvider clock, CancellationToken ct) =>
        {
            if (!ApiPage.TryFrom(http.Request, out var page, out var problem))
            {
                return problem;
            }

            var (query, errors) = SelfEvaluationFilter.Apply(db, registry, fiscalYear, unit, status, kind, late, sort, clock.GetUtcNow());
            if (errors.Count > 0)
            {
                return ApiProblems.Validation(errors);
            }

            var rows = await page.ReadAsync(query, http, ct);

            var names = await Organisations.OrganisationNames.ForAsync(db, rows.Select(r => (Guid?)r.OrganisationId), ct);
            return Results.Ok(rows.Select(r => new SelfEvaluationListItem(ToDto(r), names[r.OrganisationId], r.Kind.ToString(), Plans.EvaluationKinds.Label(r.Kind),
                r.ProjectName, r.PlanId, FormEndpoints.StatusLabel(registry, r.Status))).ToList());
        }).Produces<List<SelfEvaluationListItem>>();

        // The API's key is the shared one of the creating calls (a different body with the same key is refused);
        // the service's own key is the 新建自评 form's.
        group.MapPost("/", (SaveRequest request, HttpContext http, SelfEvaluationService service, CancellationToken ct) =>
            IdempotentCreates.RunAsync(http, "self-evaluations", request, async () =>
                ToResult(await service.CreateAsync(ToInput(request), WorkflowActor.From(http.User), ct), created: true)))
            .Produces<SelfEvaluationDto>(StatusCodes.Status201Created);

        group.MapPut("/{id:guid}", async (Guid id, UpdateRequest request, HttpContext http, SelfEvaluationService service, CancellationToken ct) =>
        {
            if (request.ExpectedVersion is not { } expected)
            {
                return ApiProblems.Validation(new Dictionary<string, string[]> { ["expectedVersion"] = [FormEndpoints.MissingVersion(id)] });
            }

            return ToResult(await service.UpdateAsync(id, new(request.Title, request.FiscalYear, request.Deadline, request.Summary, request.TotalBudget), expected,
                WorkflowActor.From(http.User), ct), created: false);
        }).Produces<SelfEvaluationDto>();
    }

    private static SelfEvaluationInput ToInput(SaveRequest r) => new(r.Title, r.FiscalYear, r.Deadline, r.Summary, r.TotalBudget);

    private static IResult ToResult(SelfEvaluationSaveResult result, bool created) => result.Status switch
    {
        FireStatus.Ok when created => TypedResults.Created($"/api/self-evaluations/{result.Record!.Id}", ToDto(result.Record)),
        FireStatus.Ok => TypedResults.Ok(ToDto(result.Record!)),
        _ => ApiProblems.For(result.Status, result.Errors),
    };

    public static SelfEvaluationDto ToDto(SelfEvaluation s) => new(s.Id, s.OrganisationId, s.FiscalYear, s.Title, s.Deadline, s.Summary, s.TotalBudget,
        s.Status, s.IsLate, s.CurrentVersion, s.CaseId, s.RowVersion);
}
