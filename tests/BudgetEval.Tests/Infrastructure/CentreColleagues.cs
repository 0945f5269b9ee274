using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.Infrastructure;

/// <summary>Extra users of the demo's 社会治理服务中心, made through Identity as the administrator's page would.</summary>
internal static class CentreColleagues
{
    /// <summary>Another 单位填报人 of the centre, with a mail address; locked by an administrator when <paramref name="locked"/>.</summary>
    public static async Task<Guid> AddFillerAsync(AppFixture app, string login, string name, bool locked = false)
    {
        var centre = await app.SocialGovernanceCentreAsync();
        using var scope = app.Factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = login, DisplayName = name, OrganisationId = centre, Email = $"{login}@demo.budgeteval.local" };
        Assert.True((await users.CreateAsync(user, AppFixture.DemoPassword)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.UnitFiller)).Succeeded);
        if (locked)
        {
            Assert.True((await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue)).Succeeded);
        }

        return user.Id;
    }
}
