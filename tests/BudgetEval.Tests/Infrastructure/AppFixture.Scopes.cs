using System.Security.Claims;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.Infrastructure;

/// <summary>A DI scope acting as a signed-in user, for tests that use the app's services without HTTP.</summary>
public sealed partial class AppFixture
{
    /// <summary>
    /// Signs the user in for a new DI scope. The HttpContext is an AsyncLocal, so this stays synchronous: it is set
    /// in the caller's own frame (a value set inside an async helper would not flow back).
    /// </summary>
    internal IServiceScope SignedInScope(ClaimsPrincipal principal)
    {
        var scope = Factory.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext = new DefaultHttpContext { User = principal, RequestServices = scope.ServiceProvider };
        return scope;
    }

    internal async Task<ClaimsPrincipal> PrincipalAsync(string userName)
    {
        using var scope = Factory.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByNameAsync(userName);
        return await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>().CreateAsync(user!);
    }
}
