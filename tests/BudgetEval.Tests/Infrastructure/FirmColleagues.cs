using BudgetEval.Web.Demo;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.Infrastructure;

/// <summary>Extra users of the demo's evaluation firm 新财苑, made through Identity as the administrator's page would.</summary>
internal static class FirmColleagues
{
    /// <summary>
    /// Another 评价人员 of the firm (not the 主评人), with a mail address; answers the user's id. With <paramref name="firmName"/>
    /// a user of that firm instead, its 主评人 when <paramref name="lead"/>.
    /// </summary>
    public static async Task<Guid> AddEvaluatorAsync(AppFixture app, string login, string name, string firmName = DemoSeeder.XinCaiYuan, bool lead = false)
    {
        var firm = await app.OrganisationIdAsync(firmName);
        using var scope = app.Factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = login, DisplayName = name, OrganisationId = firm, Email = $"{login}@demo.budgeteval.local", IsLeadEvaluator = lead };
        Assert.True((await users.CreateAsync(user, AppFixture.DemoPassword)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.Evaluator)).Succeeded);
        return user.Id;
    }
}
