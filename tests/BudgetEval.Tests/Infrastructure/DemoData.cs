using BudgetEval.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Infrastructure;

internal static class DemoData
{
    public static Task<Guid> OrganisationIdAsync(this AppFixture app, string name) =>
        app.DbAsync(db => db.Organisations.Where(o => o.Name == name).Select(o => o.Id).SingleAsync());

    public static Task<Guid> SocialGovernanceCentreAsync(this AppFixture app) => app.OrganisationIdAsync(DemoSeeder.SocialGovernanceCentre);
}
