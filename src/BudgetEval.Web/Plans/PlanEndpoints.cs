using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Plans;

internal static class PlanEndpoints
{
    internal sealed record TargetRequest(Guid? OrganisationId, string? OrganisationName, string? Kind, string? ProjectName, decimal? ProjectBudget);

    internal sealed record PlanRequest(int? FiscalYear, string? Title, string? NoticeNumber, DateOnly? Deadline, ScoringRules? Scoring, string? TemplateId, List<TargetRequest>? Targets);

    internal sealed record AmendRequest(TargetRequest? AddTarget, DateOnly? Deadline, string? Reason);

    internal sealed record PlanListItem(Guid Id, int FiscalYear, string Title, string? NoticeNumber, DateOnly Deadline, string Status);

    internal sealed record PlanTargetDto(Guid Id, Guid OrganisationId, string UnitName, string Kind, string KindLabel, string? ProjectName, decimal? ProjectBudget,
        Guid? SelfEvaluationId);

    internal sealed record PlanAmendmentDto(DateTimeOffset At, string ByName, string Description);

    /// <summary>
    /// A plan with <c>targetCount</c> and one page of its targets; <c>amendments</c> is the bureau's record (empty for
    /// anyone else).
    /// </summary>
    internal sealed record PlanDto(Guid Id, int FiscalYear, string Title, string? NoticeNumber, DateOnly Deadline, string Status, DateTimeOffset? PublishedAt,
        ScoringRules Scoring, string TemplateId, IReadOnlyList<TemplateGroup> Template, int TargetCount, IReadOnlyList<PlanTargetDto> Targets,
        IReadOnlyList<PlanAmendmentDto> Amendments);

    public static void MapPlanEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/plans").RequireAuthorization(ApiAuth.Policy).WithTags("Plans");

        group.MapGet("/", async (HttpContext http, AppDbContext db, CancellationToken ct) =>
            TypedResults.Ok(await Visible(db, http).OrderByDescending(p => p.FiscalYear).ThenByDescending(p => p.CreatedAt)
                .Select(p => new PlanListItem(p.Id, p.FiscalYear, p.Title, p.NoticeNumber, p.Deadline, p.Status.ToString())).ToListAsync(ct)));

        // The active templates the administrator keeps (/admin/templates), as offered on /plans/new.
        group.MapGet("/templates", async (AppDbContext db, CancellationToken ct) => TypedResults.Ok(await Admin.Templates.TemplateCatalog.SelfEvaluationAsync(db, ct)));

        group.MapGet("/{id:guid}", async (Guid id, HttpContext http, AppDbContext db, CancellationToken ct) =>
        {
            return !ApiPage.TryFrom(http.Request, out var page, out var problem) ? problem
                : await DtoAsync(db, id, page, http, ct) is { } dto ? TypedResults.Ok(dto) : ApiProblems.NotFound();
        }).Produces<PlanDto>();

        group.MapPost("/", (PlanRequest request, HttpContext http, PlanService service, AppDbContext db, CancellationToken ct) =>
            IdempotentCreates.RunAsync(http, "plans", request, async () =>
            {
                if (PlanService.Denied(WorkflowActor.From(http.User)) is { } denied)
                {
                    return Failure(denied);
                }

                var (targets, errors) = await TargetsAsync(db, request.Targets ?? [], ct);
                var input = new PlanInput(request.FiscalYear, request.Title, request.NoticeNumber, request.Deadline, request.Scoring, request.TemplateId, targets);
                if (errors.Count > 0)
                {
                    // The rest of the plan is checked too, so one answer names every problem.
                    var all = await service.ValidateAsync(input, ct);
                    foreach (var group in errors.GroupBy(e => e.Field))
                    {
                        all[group.Key] = [.. group.Select(e => e.Message), .. (all.GetValueOrDefault(group.Key) ?? [])];
                    }

                    return ApiProblems.Validation(all);
                }

                var result = await service.CreateAsync(input, WorkflowActor.From(http.User), ct);
                return result.Status == FireStatus.Ok
                    ? TypedResults.Created($"/api/plans/{result.Plan!.Id}", await DtoAsync(db, result.Plan.Id, http, ct))
                    : Failure(result);
            })).Produces<PlanDto>(StatusCodes.Status201Created);

        group.MapPost("/{id:guid}/publish", async (Guid id, HttpContext http, PlanService service, AppDbContext db, CancellationToken ct) =>
        {
            var result = await service.PublishAsync(id, WorkflowActor.From(http.User), ct);
            return result.Status == FireStatus.Ok ? TypedResults.Ok(await DtoAsync(db, id, http, ct)) : Failure(result);
        }).Produces<PlanDto>();

        group.MapPost("/{id:guid}/amendments", async (Guid id, AmendRequest request, HttpContext http, PlanService service, AppDbContext db, CancellationToken ct) =>
        {
            PlanTargetInput? add = null;
            if (request.AddTarget is not null)
            {
                var (targets, errors) = await TargetsAsync(db, [request.AddTarget], ct);
                if (errors.Count > 0)
                {
                    // This request calls the target addTarget (targets[0].kind → addTarget.kind).
                    return ApiProblems.Validation(errors.GroupBy(e => e.Field == "targets" ? "addTarget" : "addTarget.kind")
                        .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));
                }

                add = targets[0];
            }

            var result = await service.AmendAsync(id, add, request.Deadline, request.Reason, WorkflowActor.From(http.User), ct);
            // The service names the plan's own field (targets); this request calls it addTarget.
            return result.Status == FireStatus.Ok ? TypedResults.Ok(await DtoAsync(db, id, http, ct))
                : Failure(result with { Errors = result.Errors.ToDictionary(e => e.Key == "targets" ? "addTarget" : e.Key, e => e.Value) });
        }).Produces<PlanDto>();
    }

    /// <summary>
    /// A plan's targets with their units' names, in the order its lists show them (unit, kind, project, id),
    /// optionally only units whose name contains <paramref name="unit"/>; read a page at a time by the plan's
    /// page and by <c>GET /api/plans/{id}</c> (a province's plan has 120,000).
    /// </summary>
    public static IQueryable<PlanTargetRow> TargetRows(AppDbContext db, Guid planId, string? unit = null)
    {
        var rows = db.PlanTargets.AsNoTracking().Where(t => t.PlanId == planId)
            .Join(db.Organisations, t => t.OrganisationId, o => o.Id, (t, o) => new { Target = t, UnitName = o.Name });
        if (!string.IsNullOrWhiteSpace(unit))
        {
            var part = unit.Trim();
            rows = rows.Where(r => r.UnitName.Contains(part));
        }

        return rows.OrderBy(r => r.UnitName).ThenBy(r => r.Target.Kind).ThenBy(r => r.Target.ProjectName).ThenBy(r => r.Target.Id)
            .Select(r => new PlanTargetRow(r.Target.Id, r.Target.OrganisationId, r.UnitName, r.Target.Kind, r.Target.ProjectName,
                r.Target.ProjectBudget, r.Target.SelfEvaluationId));
    }

    public static Task<Plan?> LoadAsync(AppDbContext db, Guid id, CancellationToken ct) =>
        db.Plans.AsNoTracking().Include(p => p.Targets).Include(p => p.Amendments).AsSplitQuery().SingleOrDefaultAsync(p => p.Id == id, ct);

    /// <summary>
    /// Organisations may be named by id or by full name (what a finance officer has at hand). The names are
    /// looked up in one query (names are unique): a province's plan names tens of thousands.
    /// </summary>
    private static async Task<(List<PlanTargetInput> Targets, List<(string Field, string Message)> Errors)> TargetsAsync(AppDbContext db, IReadOnlyList<TargetRequest> requests, CancellationToken ct)
    {
        var names = requests.Where(t => t.OrganisationId is null && t.OrganisationName is not null).Select(t => t.OrganisationName!).Distinct().ToList();
        var ids = names.Count == 0
            ? []
            : await db.Organisations.Where(o => names.Contains(o.Name)).ToDictionaryAsync(o => o.Name, o => o.Id, StringComparer.Ordinal, ct);
        var targets = new List<PlanTargetInput>();
        var errors = new List<(string Field, string Message)>();
        for (var i = 0; i < requests.Count; i++)
        {
            var t = requests[i];
            var orgId = t.OrganisationId ?? (t.OrganisationName is { } name && ids.TryGetValue(name, out var found) ? found : null);
            var kind = EvaluationKinds.Parse(t.Kind);
            if (orgId is null)
            {
                errors.Add(("targets", string.IsNullOrWhiteSpace(t.OrganisationName)
                    ? $"第{i + 1}项：请填写单位（organisationId 或 organisationName）。"
                    : $"找不到单位「{t.OrganisationName}」。"));
            }

            if (kind is null)
            {
                errors.Add(($"targets[{i}].kind", $"第{i + 1}项：自评类型（kind）「{t.Kind}」无效，应为 DepartmentWide（部门整体支出）或 Project（项目支出）。"));
            }

            if (orgId is null && kind is { } k)
            {
                // Not a target the service checks: the rest of it is checked here.
                errors.AddRange(PlanService.TargetProblems(k, t.ProjectName, t.ProjectBudget, string.IsNullOrWhiteSpace(t.OrganisationName) ? $"第{i + 1}项" : $"「{t.OrganisationName}」")
                    .Select(m => ("targets", m)));
            }

            if (orgId is { } org && kind is { } known)
            {
                targets.Add(new PlanTargetInput(org, known, t.ProjectName, t.ProjectBudget));
            }
        }

        return (targets, errors);
    }

    /// <summary>After a change: the plan with the first page of its targets.</summary>
    private static async Task<PlanDto> DtoAsync(AppDbContext db, Guid id, HttpContext http, CancellationToken ct) =>
        (await DtoAsync(db, id, new ApiPage(1, ApiPage.DefaultSize), http, ct))!;

    /// <summary>
    /// The plan, <c>targetCount</c>, and one page of its targets (<c>?page=</c>, <c>?pageSize=</c>, the list
    /// headers of <see cref="ApiPage"/>): a province's plan has 120,000.
    /// </summary>
    private static async Task<PlanDto?> DtoAsync(AppDbContext db, Guid id, ApiPage page, HttpContext http, CancellationToken ct)
    {
        var plan = await Visible(db, http).Include(p => p.Amendments).SingleOrDefaultAsync(p => p.Id == id, ct);
        if (plan is null)
        {
            return null;
        }

        var bureau = IsBureau(http);

        var targets = await page.ReadAsync(TargetRows(db, id), http, ct);
        return new PlanDto(
            plan.Id,
            plan.FiscalYear,
            plan.Title,
            plan.NoticeNumber,
            plan.Deadline,
            plan.Status.ToString(),
            plan.PublishedAt,
            plan.Rules,
            plan.TemplateId,
            plan.Template,
            await db.PlanTargets.CountAsync(t => t.PlanId == id, ct),
            targets.Select(t => new PlanTargetDto(t.Id, t.OrganisationId, t.UnitName, t.Kind.ToString(), EvaluationKinds.Label(t.Kind), t.ProjectName,
                t.ProjectBudget, t.SelfEvaluationId)).ToList(),
            // An amendment's text names the units added and the bureau's reasons: the bureau's own record.
            bureau ? plan.Amendments.OrderBy(a => a.At).Select(a => new PlanAmendmentDto(a.At, a.ByName, a.Description)).ToList() : []);
    }

    private static bool IsBureau(HttpContext http) => http.User.OrganisationKind() == OrganisationKind.FinanceBureau;

    /// <summary>A draft is the bureau's work in progress: units and firms see published plans only (the pages show them none).</summary>
    private static IQueryable<Plan> Visible(AppDbContext db, HttpContext http) =>
        IsBureau(http) ? db.Plans.AsNoTracking() : db.Plans.AsNoTracking().Where(p => p.Status == PlanStatus.Published);

    private static IResult Failure(PlanResult result) => ApiProblems.For(result.Status, result.Errors);
}

/// <summary>One target of a plan with its unit's name, as the plan's lists show it.</summary>
internal sealed record PlanTargetRow(Guid Id, Guid OrganisationId, string UnitName, EvaluationKind Kind, string? ProjectName, decimal? ProjectBudget,
    Guid? SelfEvaluationId);
