using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Users;

namespace BudgetEval.Web.Admin.FindingCategories;

/// <summary>
/// The 问题类别 list for API clients: read by those who pick categories (the bureau, the firms' evaluators) and
/// kept by the administrator, as on /admin/finding-categories, with that page's rules (<see cref="FindingCategoryAdmin"/>).
/// </summary>
internal static class FindingCategoryEndpoints
{
    /// <summary><c>isActive</c>: offered and accepted for new findings and problems; only the administrator sees retired ones (false).</summary>
    internal sealed record FindingCategoryDto(int Id, string Name, bool IsActive);

    internal sealed record FindingCategoryRequest(string? Name);

    private const string AdminOnly = "只有系统管理员可以维护问题类别。";

    public static void MapFindingCategoryEndpoints(this IEndpointRouteBuilder app)
    {
        // Roles are checked in the handlers: a refused read answers 404, a refused action 403 (docs/authorization.md).
        var group = app.MapGroup("/api/finding-categories").RequireAuthorization(ApiAuth.Policy).WithTags("FindingCategories");

        group.MapGet("/", async (HttpContext http, AppDbContext db, CancellationToken ct) =>
        {
            if (!MayRead(http))
            {
                return ApiProblems.NotFound();
            }

            var rows = await FindingCategoryAdmin.ListAsync(db, includeInactive: IsAdmin(http), ct);
            return TypedResults.Ok(rows.Select(Dto).ToList());
        })
            .WithSummary("问题类别：登记问题、评价报告问题清单可选的类别（按顺序）；系统管理员另见已停用的类别（isActive 为 false）")
            .Produces<List<FindingCategoryDto>>();

        group.MapGet("/{id:int}", async (int id, HttpContext http, AppDbContext db, CancellationToken ct) =>
            MayRead(http) && await FindingCategoryAdmin.FindAsync(db, id, includeInactive: IsAdmin(http), ct) is { } row
                ? TypedResults.Ok(Dto(row))
                : ApiProblems.NotFound())
            .WithSummary("一个问题类别")
            .Produces<FindingCategoryDto>();

        group.MapPost("/", async (FindingCategoryRequest request, HttpContext http, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        {
            if (!IsAdmin(http))
            {
                return ApiProblems.Problem(StatusCodes.Status403Forbidden, "无权操作", AdminOnly);
            }

            var outcome = await FindingCategoryAdmin.AddAsync(db, http, clock.GetUtcNow(), request.Name, ct);
            return outcome.Status == CategoryChange.Ok
                ? TypedResults.Created($"/api/finding-categories/{outcome.Category!.Id}", Dto(outcome.Category))
                : Refusal(outcome);
        })
            .WithSummary("新增问题类别（系统管理员）：name 必填，不超过 50 个字符，不能与已有类别（含已停用的）重名（重名答 409）")
            .Produces<FindingCategoryDto>(StatusCodes.Status201Created);

        group.MapPost("/{id:int}/activate", (int id, HttpContext http, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
            SetActiveAsync(id, true, http, db, clock, ct))
            .WithSummary("启用问题类别（系统管理员）；已启用的不变")
            .Produces<FindingCategoryDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AddOpenApiOperationTransformer(NoSuchCategory);

        group.MapPost("/{id:int}/deactivate", (int id, HttpContext http, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
            SetActiveAsync(id, false, http, db, clock, ct))
            .WithSummary("停用问题类别（系统管理员）：不再可选，已登记的问题保留原类别；至少保留一个启用的类别（否则答 422）")
            .Produces<FindingCategoryDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AddOpenApiOperationTransformer(NoSuchCategory);
    }

    // The generator names the declared 404 "Not Found"; say when it comes, in Chinese like the other refusals.
    private static Task NoSuchCategory(Microsoft.OpenApi.OpenApiOperation operation, Microsoft.AspNetCore.OpenApi.OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        if (operation.Responses?.GetValueOrDefault("404") is Microsoft.OpenApi.OpenApiResponse notFound)
        {
            notFound.Description = "未找到：没有这个问题类别。";
        }

        return Task.CompletedTask;
    }

    private static async Task<IResult> SetActiveAsync(int id, bool active, HttpContext http, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (!IsAdmin(http))
        {
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, "无权操作", AdminOnly);
        }

        var outcome = await FindingCategoryAdmin.SetActiveAsync(db, http, clock.GetUtcNow(), id, active, ct);
        return outcome.Status == CategoryChange.Ok ? TypedResults.Ok(Dto(outcome.Category!)) : Refusal(outcome);
    }

    private static IResult Refusal(CategoryOutcome outcome) => outcome.Status switch
    {
        // Categories belong to no organisation: the administrator is told plainly that there is no such one.
        CategoryChange.NotFound => ApiProblems.Problem(StatusCodes.Status404NotFound, "未找到", "问题类别不存在。"),
        CategoryChange.Duplicate => TypedResults.Problem(new HttpValidationProblemDetails(new[] { outcome.Error! }.ByField())
        {
            Status = StatusCodes.Status409Conflict,
            Title = "数据冲突",
            Detail = outcome.Error!.Message,
        }),
        CategoryChange.LastActive => ApiProblems.UnprocessableByField([outcome.Error!]),
        _ => ApiProblems.Validation(new[] { outcome.Error! }.ByField()),
    };

    private static bool IsAdmin(HttpContext http) => http.User.IsInRole(Roles.Admin);

    // Those who pick categories today: the bureau (registering and correcting findings, the dashboard's filter) and
    // the firms' evaluators (the report's 问题清单). Units see a finding's category on the finding itself.
    private static bool MayRead(HttpContext http) =>
        http.User.IsInRole(Roles.Admin) || http.User.IsInRole(Roles.FinanceOfficer) || http.User.IsInRole(Roles.FinanceLead) || http.User.IsInRole(Roles.Evaluator);

    private static FindingCategoryDto Dto(CategoryRow row) => new(row.Id, row.Name, row.IsActive);
}
