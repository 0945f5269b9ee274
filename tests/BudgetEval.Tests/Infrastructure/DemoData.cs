using BudgetEval.Web.Demo;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.Infrastructure;

internal static class DemoData
{
    public static Task<Guid> OrganisationIdAsync(this AppFixture app, string name) =>
        app.DbAsync(db => db.Organisations.Where(o => o.Name == name).Select(o => o.Id).SingleAsync());

    public static Task<Guid> SocialGovernanceCentreAsync(this AppFixture app) => app.OrganisationIdAsync(DemoSeeder.SocialGovernanceCentre);

    /// <summary>A fresh 单位填报人 with the demo password, in the given unit or the first budget unit.</summary>
    public static async Task<Guid> CreateUnitUserAsync(this AppFixture app, string userName, Guid? organisationId = null)
    {
        using var scope = app.Factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var db = scope.ServiceProvider.GetRequiredService<BudgetEval.Web.Infrastructure.Data.AppDbContext>();
        var org = organisationId ?? await db.Organisations.Where(o => o.Kind == OrganisationKind.BudgetUnit).Select(o => o.Id).FirstAsync();
        var user = new AppUser { UserName = userName, DisplayName = "测试用户", OrganisationId = org };
        var result = await users.CreateAsync(user, AppFixture.DemoPassword);
        Assert.True(result.Succeeded, string.Join(";", result.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, Roles.UnitFiller);
        return user.Id;
    }
}
