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

    /// <summary>One series of a chart; <c>plotted</c> false: in the table and export but not drawn.</summary>
    internal sealed record ChartSeriesDto(string Name, IReadOnlyList<decimal?> Values, bool Plotted);

    /// <summary>The numbers behind one chart (<c>kind</c>: Bar, StackedBar, Funnel or Line).</summary>
    internal sealed record ChartDto(string Key, string Title, string Kind, string LabelHeader, IReadOnlyList<string> Labels, IReadOnlyList<ChartSeriesDto> Series, string? Note);

    /// <summary>The filters the figures were computed for, as understood (<c>unit</c>: an id, or the text matched against names).</summary>
    internal sealed record BureauFilters(int? Year, string? Unit, string? Category, string? Source);

    internal sealed record BureauDashboardDto(BureauFilters Filters, DateTimeOffset ComputedAt, int FindingsTotal, decimal? RectificationRate, string RateFormula,
        int RecurringFindings, int UnitsWithFindings, IReadOnlyList<ChartDto> Charts, OverdueList Overdue);

    /// <summary>One page (<c>?p=</c>) of the overdue findings, oldest deadline first.</summary>
    internal sealed record OverdueList(int Total, int Page, int PageSize, IReadOnlyList<OverdueFinding> Items);

    internal sealed record UnitTasks(int Total, IReadOnlyList<UnitTask> Tasks);

    internal sealed record UnitFindings(int Total, IReadOnlyList<UnitFinding> Items);

    internal sealed record UnitDashboardDto(IReadOnlyList<ChartDto> Charts, UnitTasks Tasks, UnitFindings Findings);

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
            .WithSummary("财政数据看板：自评进度、等级分布、重点评价进展、整改漏斗、整改率（按单位、类别）、重复发生数、逾期问题（分页）")
            .Produces<BureauDashboardDto>();

        group.MapGet("/bureau/export.xlsx", async (string? year, string? unit, string? category, string? source, string? p, BureauFigures figures, AppDbContext db, HttpContext http, TimeProvider clock, CancellationToken ct) =>
        {
            if (!Bureau(http.User))
            {
                return ApiProblems.NotFound();
            }

            var (filter, errors) = DashboardFilter.Parse(year, unit, category, source, p);
            if (errors.Count > 0)
            {
                return ApiProblems.Validation(errors);
            }

            var (content, name) = await DashboardExport.BureauAsync(db, await figures.LoadAsync(filter, forExport: true, ct), filter, http, clock, ct);
            return TypedResults.File(content, DashboardExport.ContentType, name);
        }).WithSummary("财政数据看板导出（.xlsx，每个图表一个工作表）").ProducesFile(DashboardExport.ContentType);

        group.MapGet("/unit", async (string? year, string? category, string? source, UnitFigures figures, HttpContext http, CancellationToken ct) =>
        {
            if (!Unit(http.User))
            {
                return ApiProblems.NotFound();
            }

            var (filter, errors) = DashboardFilter.Parse(year, null, category, source, null);
            return errors.Count > 0 ? ApiProblems.Validation(errors) : TypedResults.Ok(Dto(await figures.LoadAsync(WorkflowActor.From(http.User), filter, ct)));
        }).WithSummary("本单位数据看板：待办、未完成整改的问题、历年得分、整改情况").Produces<UnitDashboardDto>();

        group.MapGet("/unit/export.xlsx", async (string? year, string? category, string? source, UnitFigures figures, AppDbContext db, HttpContext http, TimeProvider clock, CancellationToken ct) =>
        {
            if (!Unit(http.User))
            {
                return ApiProblems.NotFound();
            }

            var (filter, errors) = DashboardFilter.Parse(year, null, category, source, null);
            if (errors.Count > 0)
            {
                return ApiProblems.Validation(errors);
            }

            var (content, name) = await DashboardExport.UnitAsync(db, await figures.LoadAsync(WorkflowActor.From(http.User), filter, ct), filter, http, clock, ct);
            return TypedResults.File(content, DashboardExport.ContentType, name);
        }).WithSummary("本单位数据看板导出（.xlsx）").ProducesFile(DashboardExport.ContentType);
    }

    private static bool Bureau(ClaimsPrincipal user) => BureauRoles.Split(',').Any(user.IsInRole);

    private static bool Unit(ClaimsPrincipal user) => UnitRoles.Split(',').Any(user.IsInRole);

    public static ChartDto Chart(Chart c) =>
        new(c.Key, c.Title, c.Kind.ToString(), c.LabelHeader, c.Labels, c.Series.Select(s => new ChartSeriesDto(s.Name, s.Values, s.Plot)).ToList(), c.Note);

    private static BureauDashboardDto Dto(DashboardFilter f, BureauDashboard d) => new(
        new BureauFilters(f.Year, f.UnitId?.ToString() ?? f.UnitText, f.Category, f.Source?.ToString()),
        d.ComputedAt,
        d.FindingsTotal,
        d.RectificationRate,
        BureauFigures.RateFormula,
        d.RecurringFindings,
        d.UnitsWithFindings,
        d.Charts.Select(Chart).ToList(),
        new OverdueList(d.Overdue.Total, d.Overdue.Page, d.Overdue.PageSize, d.Overdue.Items));

    private static UnitDashboardDto Dto(UnitDashboard d) =>
        new(d.Charts.Select(Chart).ToList(), new UnitTasks(d.TaskTotal, d.Tasks), new UnitFindings(d.FindingTotal, d.Findings));
}
