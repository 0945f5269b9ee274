using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using System.Security.Claims;

namespace BudgetEval.Web.Dashboards;

/// <summary>
/// The dashboards' figures over the API (bearer only, like the rest of /api): the same numbers as the pages'
/// charts and tables, from the same queries, with the same filters and the same roles.
/// </summary>
internal static class DashboardEndpoints
{
    public const string BureauRoles = Roles.Admin + "," + Roles.FinanceOfficer + "," + Roles.FinanceLead;

    public const string UnitRoles = Roles.UnitFiller + "," + Roles.UnitHead;

    public static void MapDashboardEndpoints(this IEndpointRouteBuilder app)
    {
        // Roles are checked in the handlers: a refused read answers 404 like every other (docs/authorization.md).
        var group = app.MapGroup("/api/dashboards").RequireAuthorization(ApiAuth.Policy).WithTags("Dashboards");

        group.MapGet("/bureau", async (string? year, string? unit, string? category, string? source, string? p, BureauFigures figures, HttpContext http, CancellationToken ct) =>
        {
            if (!Bureau(http.User))
            {
                return ApiProblems.NotFound();
            }

            var (filter, errors) = DashboardFilter.Parse(year, unit, category, source, p);
            return errors.Count > 0 ? ApiProblems.Validation(errors) : TypedResults.Ok(Dto(filter, await figures.LoadAsync(filter, forExport: false, ct)));
        })
            .WithSummary("财政数据看板：自评进度、等级分布、重点评价进展、整改漏斗、整改率（按单位、类别）、重复发生数、逾期问题（分页）");

        group.MapGet("/bureau/export.xlsx", async (string? year, string? unit, string? category, string? source, string? p, BureauFigures figures, AppDbContext db, HttpContext http, TimeProvider clock, CancellationToken ct) =>
        {
            if (!Bureau(http.User))
            {
                return ApiProblems.NotFound();
            }

            var (filter, errors) = DashboardFilter.Parse(year, unit, category, source, p);
            return errors.Count > 0
                ? ApiProblems.Validation(errors)
                : TypedResults.File(await DashboardExport.BureauAsync(db, await figures.LoadAsync(filter, forExport: true, ct), filter, http, clock, ct), DashboardExport.ContentType, "数据看板.xlsx");
        }).WithSummary("财政数据看板导出（.xlsx，每个图表一个工作表）");

        group.MapGet("/unit", async (string? year, string? category, string? source, UnitFigures figures, HttpContext http, CancellationToken ct) =>
        {
            if (!Unit(http.User))
            {
                return ApiProblems.NotFound();
            }

            var (filter, errors) = DashboardFilter.Parse(year, null, category, source, null);
            return errors.Count > 0 ? ApiProblems.Validation(errors) : TypedResults.Ok(Dto(await figures.LoadAsync(WorkflowActor.From(http.User), filter, ct)));
        }).WithSummary("本单位数据看板：待办、未完成整改的问题、历年得分、整改情况");

        group.MapGet("/unit/export.xlsx", async (string? year, string? category, string? source, UnitFigures figures, AppDbContext db, HttpContext http, TimeProvider clock, CancellationToken ct) =>
        {
            if (!Unit(http.User))
            {
                return ApiProblems.NotFound();
            }

            var (filter, errors) = DashboardFilter.Parse(year, null, category, source, null);
            return errors.Count > 0
                ? ApiProblems.Validation(errors)
                : TypedResults.File(await DashboardExport.UnitAsync(db, await figures.LoadAsync(WorkflowActor.From(http.User), filter, ct), filter, http, clock, ct), DashboardExport.ContentType, "本单位数据看板.xlsx");
        }).WithSummary("本单位数据看板导出（.xlsx）");
    }

    private static bool Bureau(ClaimsPrincipal user) => BureauRoles.Split(',').Any(user.IsInRole);

    private static bool Unit(ClaimsPrincipal user) => UnitRoles.Split(',').Any(user.IsInRole);

    public static object Chart(Chart c) => new
    {
        c.Key,
        c.Title,
        Kind = c.Kind.ToString(),
        c.LabelHeader,
        c.Labels,
        Series = c.Series.Select(s => new { s.Name, s.Values, Plotted = s.Plot }),
        c.Note,
    };

    private static object Dto(DashboardFilter f, BureauDashboard d) => new
    {
        Filters = new { f.Year, Unit = f.UnitId?.ToString() ?? f.UnitText, f.Category, Source = f.Source?.ToString() },
        d.ComputedAt,
        d.FindingsTotal,
        d.RectificationRate,
        RateFormula = BureauFigures.RateFormula,
        d.RecurringFindings,
        d.UnitsWithFindings,
        Charts = d.Charts.Select(Chart),
        Overdue = new { d.Overdue.Total, d.Overdue.Page, d.Overdue.PageSize, d.Overdue.Items },
    };

    private static object Dto(UnitDashboard d) => new
    {
        Charts = d.Charts.Select(Chart),
        Tasks = new { Total = d.TaskTotal, d.Tasks },
        Findings = new { Total = d.FindingTotal, Items = d.Findings },
    };
}
