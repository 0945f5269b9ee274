using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.SelfEvaluations;

internal static class SelfEvaluationEndpoints
{
    internal sealed record SaveRequest(string? Title, int? FiscalYear, DateOnly? Deadline, string? Summary, decimal? TotalBudget, uint? ExpectedVersion);

    internal sealed record SelfEvaluationDto(Guid Id, Guid OrganisationId, int FiscalYear, string Title, DateOnly Deadline, string? Summary,
        decimal? TotalBudget, string Status, bool IsLate, int CurrentVersion, Guid? CaseId, uint Version);

    public static void MapSelfEvaluationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/self-evaluations").RequireAuthorization(ApiAuth.Policy).WithTags("SelfEvaluations");

        group.MapGet("/", async (AppDbContext db, CancellationToken ct) =>
            TypedResults.Ok((await db.SelfEvaluations.AsNoTracking().OrderByDescending(s => s.CreatedAt).Take(500).ToListAsync(ct)).Select(ToDto).ToList()));

        group.MapGet("/{id:guid}", async (Guid id, AppDbContext db, CancellationToken ct) =>
            await db.SelfEvaluations.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct) is { } se ? TypedResults.Ok(ToDto(se)) : ApiProblems.NotFound());

        group.MapPost("/", async (SaveRequest request, HttpContext http, SelfEvaluationService service, CancellationToken ct) =>
            ToResult(await service.CreateAsync(ToInput(request), WorkflowActor.From(http.User), ct), created: true));

        group.MapPut("/{id:guid}", async (Guid id, SaveRequest request, HttpContext http, SelfEvaluationService service, CancellationToken ct) =>
        {
            if (request.ExpectedVersion is not { } expected)
            {
                return ApiProblems.Validation(new Dictionary<string, string[]> { ["expectedVersion"] = ["请提供 expectedVersion（记录当前版本号）。"] });
            }

            return ToResult(await service.UpdateAsync(id, ToInput(request), expected, WorkflowActor.From(http.User), ct), created: false);
        });
    }

    private static SelfEvaluationInput ToInput(SaveRequest r) => new(r.Title, r.FiscalYear, r.Deadline, r.Summary, r.TotalBudget);

    private static IResult ToResult(SelfEvaluationSaveResult result, bool created) => result.Status switch
    {
        FireStatus.Ok when created => TypedResults.Created($"/api/self-evaluations/{result.Record!.Id}", ToDto(result.Record)),
        FireStatus.Ok => TypedResults.Ok(ToDto(result.Record!)),
        FireStatus.NotFound => ApiProblems.NotFound(),
        FireStatus.Forbidden => ApiProblems.Problem(StatusCodes.Status403Forbidden, "无权操作", string.Join(" ", result.Errors.SelectMany(e => e.Value))),
        FireStatus.Conflict => ApiProblems.Conflict(string.Join(" ", result.Errors.SelectMany(e => e.Value))),
        _ => ApiProblems.Validation(new Dictionary<string, string[]>(result.Errors)),
    };

    public static SelfEvaluationDto ToDto(SelfEvaluation s) => new(s.Id, s.OrganisationId, s.FiscalYear, s.Title, s.Deadline, s.Summary, s.TotalBudget,
        s.Status, s.IsLate, s.CurrentVersion, s.CaseId, s.RowVersion);
}
