using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Plans;

internal static class PlanEndpoints
{
    internal sealed record TargetRequest(Guid? OrganisationId, string? OrganisationName, string? Kind, string? ProjectName, decimal? ProjectBudget);

    internal sealed record PlanRequest(int? FiscalYear, string? Title, string? NoticeNumber, DateOnly? Deadline, ScoringRules? Scoring, string? TemplateId, List<TargetRequest>? Targets);

    internal sealed record AmendRequest(TargetRequest? AddTarget, DateOnly? Deadline, string? Reason);

    public static void MapPlanEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/plans").RequireAuthorization(ApiAuth.Policy).WithTags("Plans");

        group.MapGet("/", async (AppDbContext db, CancellationToken ct) =>
            TypedResults.Ok(await db.Plans.AsNoTracking().OrderByDescending(p => p.FiscalYear).ThenByDescending(p => p.CreatedAt)
                .Select(p => new { p.Id, p.FiscalYear, p.Title, p.NoticeNumber, p.Deadline, status = p.Status.ToString() }).ToListAsync(ct)));

        group.MapGet("/templates", () => TypedResults.Ok(IndicatorTemplates.All));

        group.MapGet("/{id:guid}", async (Guid id, AppDbContext db, CancellationToken ct) =>
            await LoadAsync(db, id, ct) is { } plan ? TypedResults.Ok(await DtoAsync(db, plan, ct)) : ApiProblems.NotFound());

        group.MapPost("/", async (PlanRequest request, HttpContext http, PlanService service, AppDbContext db, CancellationToken ct) =>
        {
            if (PlanService.Denied(WorkflowActor.From(http.User)) is { } denied)
            {
                return Failure(denied);
            }

            var (targets, errors) = await TargetsAsync(db, request.Targets ?? [], ct);
            if (errors.Count > 0)
            {
                return ApiProblems.Validation(new Dictionary<string, string[]> { ["targets"] = [.. errors] });
            }

            var result = await service.CreateAsync(new PlanInput(request.FiscalYear, request.Title, request.NoticeNumber, request.Deadline, request.Scoring,
                request.TemplateId, targets), WorkflowActor.From(http.User), ct);
            return result.Status == FireStatus.Ok
                ? TypedResults.Created($"/api/plans/{result.Plan!.Id}", await DtoAsync(db, (await LoadAsync(db, result.Plan.Id, ct))!, ct))
                : Failure(result);
        });

        group.MapPost("/{id:guid}/publish", async (Guid id, HttpContext http, PlanService service, AppDbContext db, CancellationToken ct) =>
        {
            var result = await service.PublishAsync(id, WorkflowActor.From(http.User), ct);
            return result.Status == FireStatus.Ok ? TypedResults.Ok(await DtoAsync(db, (await LoadAsync(db, id, ct))!, ct)) : Failure(result);
        });

        group.MapPost("/{id:guid}/amendments", async (Guid id, AmendRequest request, HttpContext http, PlanService service, AppDbContext db, CancellationToken ct) =>
        {
            PlanTargetInput? add = null;
            if (request.AddTarget is not null)
            {
                var (targets, errors) = await TargetsAsync(db, [request.AddTarget], ct);
                if (errors.Count > 0)
                {
                    return ApiProblems.Validation(new Dictionary<string, string[]> { ["addTarget"] = [.. errors] });
                }

                add = targets[0];
            }

            var result = await service.AmendAsync(id, add, request.Deadline, request.Reason, WorkflowActor.From(http.User), ct);
            return result.Status == FireStatus.Ok ? TypedResults.Ok(await DtoAsync(db, (await LoadAsync(db, id, ct))!, ct)) : Failure(result);
        });
    }

    public static Task<Plan?> LoadAsync(AppDbContext db, Guid id, CancellationToken ct) =>
        db.Plans.AsNoTracking().Include(p => p.Targets).Include(p => p.Amendments).AsSplitQuery().SingleOrDefaultAsync(p => p.Id == id, ct);

    /// <summary>Organisations may be named by id or by full name (what a finance officer has at hand).</summary>
    private static async Task<(List<PlanTargetInput> Targets, List<string> Errors)> TargetsAsync(AppDbContext db, IReadOnlyList<TargetRequest> requests, CancellationToken ct)
    {
        var targets = new List<PlanTargetInput>();
        var errors = new List<string>();
        foreach (var t in requests)
        {
            var orgId = t.OrganisationId ?? await db.Organisations.Where(o => o.Name == t.OrganisationName).Select(o => (Guid?)o.Id).SingleOrDefaultAsync(ct);
            var kind = EvaluationKinds.Parse(t.Kind);
            if (orgId is null)
            {
                errors.Add($"找不到单位「{t.OrganisationName ?? t.OrganisationId?.ToString()}」。");
            }
            else if (kind is null)
            {
                errors.Add($"自评类型「{t.Kind}」无效，应为 部门整体支出 或 项目支出。");
            }
            else
            {
                targets.Add(new PlanTargetInput(orgId.Value, kind.Value, t.ProjectName, t.ProjectBudget));
            }
        }

        return (targets, errors);
    }

    private static async Task<object> DtoAsync(AppDbContext db, Plan plan, CancellationToken ct)
    {
        var names = await Organisations.OrganisationNames.ForAsync(db, plan.Targets.Select(t => (Guid?)t.OrganisationId), ct);
        return new
        {
            plan.Id,
            plan.FiscalYear,
            plan.Title,
            plan.NoticeNumber,
            plan.Deadline,
            status = plan.Status.ToString(),
            plan.PublishedAt,
            scoring = plan.Rules,
            plan.TemplateId,
            template = plan.Template,
            targets = plan.Targets.OrderBy(t => names.GetValueOrDefault(t.OrganisationId)).ThenBy(t => t.Kind).Select(t => new
            {
                t.Id,
                t.OrganisationId,
                unitName = names.GetValueOrDefault(t.OrganisationId),
                kind = t.Kind.ToString(),
                kindLabel = EvaluationKinds.Label(t.Kind),
                t.ProjectName,
                t.ProjectBudget,
                t.SelfEvaluationId,
            }),
            amendments = plan.Amendments.OrderBy(a => a.At).Select(a => new { a.At, a.ByName, a.Description }),
        };
    }

    private static IResult Failure(PlanResult result) => ApiProblems.For(result.Status, result.Errors);
}
