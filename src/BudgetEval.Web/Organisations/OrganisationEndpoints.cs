using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.Shared;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Organisations;

internal static class OrganisationEndpoints
{
    internal sealed record OrganisationDto(Guid Id, string Name, string? ShortName, string Kind, string KindLabel, Guid? ParentId, string? ParentName, bool IsActive);

    public static void MapOrganisationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/organisations").RequireAuthorization(ApiAuth.Policy).WithTags("Organisations");

        // Lists what the caller's data scope lets them see: everything for the bureau, their own otherwise.
        group.MapGet("/", async (HttpContext http, AppDbContext db, CancellationToken ct) =>
        {
            return !ApiPage.TryFrom(http.Request, out var page, out var problem)
                ? problem
                : Results.Ok((await page.ReadAsync(db.Organisations.AsNoTracking().Include(o => o.Parent)
                    .OrderBy(o => o.Kind).ThenBy(o => o.Name).ThenBy(o => o.Id), http, ct)).Select(ToDto).ToList());
        }).Produces<List<OrganisationDto>>();

        group.MapGet("/{id:guid}", async (Guid id, AppDbContext db, CancellationToken ct) =>
        {
            var org = await db.Organisations.AsNoTracking().Include(o => o.Parent).SingleOrDefaultAsync(o => o.Id == id, ct);
            return org is null
                ? ApiProblems.NotFound()
                : TypedResults.Ok(ToDto(org));
        }).Produces<OrganisationDto>();
    }

    private static OrganisationDto ToDto(Organisation o) =>
        new(o.Id, o.Name, o.ShortName, o.Kind.ToString(), o.Kind.Label(), o.ParentId, o.Parent?.Name, o.IsActive);
}
