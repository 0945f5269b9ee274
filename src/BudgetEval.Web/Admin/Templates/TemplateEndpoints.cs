using System.Globalization;
using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.Plans;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Users;

namespace BudgetEval.Web.Admin.Templates;

/// <summary>
/// 指标模板管理 for API clients, with /admin/templates' rules (<see cref="TemplateAdmin"/>): the bureau reads the
/// list, the administrator creates, edits (against the version read), retires and brings back.
/// </summary>
internal static class TemplateEndpoints
{
    /// <summary>
    /// A template. <c>groups</c>: the 一级 groups in order (自评: each with its 二级 names; 重点评价: four, level2 empty);
    /// <c>rows</c> and <c>weightTotal</c>: 重点评价 only. <c>usedBy</c>: plans (自评) or commissioned evaluations (重点评价)
    /// that took it; they keep their copy whatever happens to the template. <c>version</c>: send it back as expectedVersion.
    /// </summary>
    internal sealed record TemplateDto(int Id, string Kind, string KindLabel, string Key, string Name, bool IsActive, IReadOnlyList<TemplateGroup> Groups,
        IReadOnlyList<TemplateRowDto> Rows, decimal? WeightTotal, int UsedBy, uint Version);

    internal sealed record TemplateRowDto(string Level1, string? Level2, string Level3, decimal Weight, string? Points, string? Standard);

    internal sealed record GroupRequest(string? Level1, List<string?>? Level2);

    internal sealed record RowRequest(string? Level1, string? Level2, string? Level3, decimal? Weight, string? Points, string? Standard);

    /// <summary><c>kind</c>: SelfEvaluation or Evaluation (on creation only; a template keeps its kind).</summary>
    internal sealed record TemplateRequest(string? Kind, string? Name, List<GroupRequest>? Groups, List<RowRequest>? Rows, uint? ExpectedVersion);

    private const string AdminOnly = "只有系统管理员可以维护指标模板。";

    public static void MapTemplateEndpoints(this IEndpointRouteBuilder app)
    {
        // Roles are checked in the handlers: a refused read answers 404, a refused action 403 (docs/authorization.md).
        var group = app.MapGroup("/api/admin/templates").RequireAuthorization(ApiAuth.Policy).WithTags("Templates");

        group.MapGet("/", async (HttpContext http, AppDbContext db, CancellationToken ct) =>
            MayRead(http) ? TypedResults.Ok((await TemplateAdmin.ListAsync(db, ct)).Select(Dto).ToList()) : ApiProblems.NotFound())
            .WithSummary("指标模板（自评、重点评价），含已停用的；系统管理员、绩效管理员、财政局领导可读")
            .Produces<List<TemplateDto>>();

        group.MapGet("/{id:int}", async (int id, HttpContext http, AppDbContext db, CancellationToken ct) =>
            MayRead(http) && await TemplateAdmin.FindAsync(db, id, ct) is { } t ? TypedResults.Ok(Dto(t)) : ApiProblems.NotFound())
            .WithSummary("一个指标模板")
            .Produces<TemplateDto>();

        group.MapPost("/", async (TemplateRequest request, HttpContext http, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        {
            if (!IsAdmin(http))
            {
                return ApiProblems.Problem(StatusCodes.Status403Forbidden, "无权操作", AdminOnly);
            }

            if (TemplateKinds.Parse(request.Kind) is not { } kind)
            {
                return ApiProblems.Validation(new Dictionary<string, string[]> { ["kind"] = ["「模板类型」：须为 SelfEvaluation（自评）或 Evaluation（重点评价）。"] });
            }

            var outcome = await TemplateAdmin.CreateAsync(db, http, clock.GetUtcNow(), kind, Input(request), null, ct);
            return outcome.Status == TemplateChange.Ok ? TypedResults.Created($"/api/admin/templates/{outcome.Template!.Id}", Dto(outcome.Template)) : Refusal(outcome);
        })
            .WithSummary("新增指标模板（系统管理员）：名称同类不重复；重点评价模板四个一级指标，各行分值合计 100；有误时一次答出全部（400），不保存")
            .Produces<TemplateDto>(StatusCodes.Status201Created);

        group.MapPut("/{id:int}", async (int id, TemplateRequest request, HttpContext http, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        {
            if (!IsAdmin(http))
            {
                return ApiProblems.Problem(StatusCodes.Status403Forbidden, "无权操作", AdminOnly);
            }

            var outcome = await TemplateAdmin.UpdateAsync(db, http, clock.GetUtcNow(), id, Input(request), request.ExpectedVersion, ct);
            return outcome.Status == TemplateChange.Ok ? TypedResults.Ok(Dto(outcome.Template!)) : Refusal(outcome);
        })
            .WithSummary("修改指标模板（系统管理员）：整份替换，expectedVersion 为读取时的 version（他人已修改答 409）；已使用它的计划和评价不受影响")
            .Produces<TemplateDto>();

        group.MapPost("/{id:int}/deactivate", (int id, HttpContext http, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
            SetActiveAsync(id, false, http, db, clock, ct))
            .WithSummary("停用指标模板（系统管理员）：新建计划、委托评价不再可选，已使用的照常；每类至少保留一个启用的（否则答 422）")
            .Produces<TemplateDto>();

        group.MapPost("/{id:int}/activate", (int id, HttpContext http, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
            SetActiveAsync(id, true, http, db, clock, ct))
            .WithSummary("启用指标模板（系统管理员）")
            .Produces<TemplateDto>();
    }

    private static async Task<IResult> SetActiveAsync(int id, bool active, HttpContext http, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (!IsAdmin(http))
        {
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, "无权操作", AdminOnly);
        }

        var outcome = await TemplateAdmin.SetActiveAsync(db, http, clock.GetUtcNow(), id, active, ct);
        return outcome.Status == TemplateChange.Ok ? TypedResults.Ok(Dto(outcome.Template!)) : Refusal(outcome);
    }

    private static TemplateInput Input(TemplateRequest request) => new(
        request.Name,
        request.Groups?.Select(g => new TemplateGroupInput(g.Level1, g.Level2)).ToList(),
        request.Rows?.Select(r => new TemplateRowInput(r.Level1, r.Level2, r.Level3, r.Weight?.ToString(CultureInfo.InvariantCulture), r.Points, r.Standard)).ToList());

    private static IResult Refusal(TemplateOutcome outcome) => outcome.Status switch
    {
        // Templates belong to no organisation: the administrator is told plainly that there is no such one.
        TemplateChange.NotFound => ApiProblems.Problem(StatusCodes.Status404NotFound, "未找到", "指标模板不存在。"),
        TemplateChange.Conflict => ApiProblems.Conflict(TemplateAdmin.ConflictMessage),
        TemplateChange.LastActive => ApiProblems.UnprocessableByField(outcome.Errors),
        _ => ApiProblems.Validation(outcome.Errors.ByField()),
    };

    private static bool IsAdmin(HttpContext http) => http.User.IsInRole(Roles.Admin);

    /// <summary>The administrator keeps the templates; the bureau's officers and lead choose among them.</summary>
    internal static bool MayRead(System.Security.Claims.ClaimsPrincipal user) =>
        user.IsInRole(Roles.Admin) || user.IsInRole(Roles.FinanceOfficer) || user.IsInRole(Roles.FinanceLead);

    private static bool MayRead(HttpContext http) => MayRead(http.User);

    private static TemplateDto Dto(TemplateSummary t) => new(t.Id, t.Kind.ToString(), TemplateKinds.Label(t.Kind), t.Key, t.Name, t.IsActive, t.Groups,
        t.Rows.Select(r => new TemplateRowDto(r.Level1, r.Level2, r.Level3, r.Weight, r.Points, r.Standard)).ToList(), t.WeightTotal, t.UsedBy, t.Version);
}
