using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BudgetEval.Web.Auth;

/// <summary>
/// Identity's sign-in, plus one rule: users of a deactivated (停用) organisation cannot sign in, on the
/// login page or the API, and the cookie check refuses them at the next validation.
/// </summary>
internal sealed class AppSignInManager(
    UserManager<AppUser> users,
    IHttpContextAccessor http,
    IUserClaimsPrincipalFactory<AppUser> claims,
    IOptions<IdentityOptions> options,
    ILogger<SignInManager<AppUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AppUser> confirmation,
    AppDbContext db,
    DataScopeAccessor scope)
    : SignInManager<AppUser>(users, http, claims, options, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(AppUser user)
    {
        if (!await base.CanSignInAsync(user))
        {
            return false;
        }

        using (scope.RunAsSystem())
        {
            return await db.Organisations.AnyAsync(o => o.Id == user.OrganisationId && o.IsActive);
        }
    }
}

internal static class LockoutKinds
{
    /// <summary>An administrator's lock is "until the end of time"; the failure lockout lasts 15 minutes.</summary>
    public static bool IsAdministrativeLock(DateTimeOffset? lockoutEnd, TimeProvider clock) =>
        lockoutEnd is { } end && end > clock.GetUtcNow().AddYears(1);
}
