using BudgetEval.Web.Audit;
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
    DataScopeAccessor scope,
    TimeProvider clock)
    : SignInManager<AppUser>(users, http, claims, options, logger, schemes, confirmation)
{
    /// <summary>
    /// A bearer sign-in (API login or refresh) carries a session id, kept across refreshes, and a new token id,
    /// so that each refresh token can be exchanged once (<see cref="RefreshTokens"/>).
    /// </summary>
    public override Task SignInWithClaimsAsync(AppUser user, AuthenticationProperties? authenticationProperties, IEnumerable<System.Security.Claims.Claim> additionalClaims)
    {
        if (AuthenticationScheme == IdentityConstants.BearerScheme)
        {
            var claims = additionalClaims.ToList();
            if (!claims.Any(c => c.Type == RefreshTokens.Session))
            {
                claims.Add(new(RefreshTokens.Session, Guid.NewGuid().ToString("N")));
            }

            claims.Add(new(RefreshTokens.TokenId, Guid.NewGuid().ToString("N")));
            additionalClaims = claims;
        }

        return base.SignInWithClaimsAsync(user, authenticationProperties, additionalClaims);
    }

    /// <summary>Every password sign-in (login page and API alike) leaves an audit line, and a lockout one more.</summary>
    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var wasLocked = await UserManager.FindByNameAsync(userName) is { } before && await UserManager.IsLockedOutAsync(before);
        var result = await base.PasswordSignInAsync(userName, password, isPersistent, lockoutOnFailure);
        var user = await UserManager.FindByNameAsync(userName);
        var now = clock.GetUtcNow();
        var action = result.Succeeded ? AuditActions.LoginSucceeded
            : result.IsLockedOut || result.IsNotAllowed ? AuditActions.LoginRefused
            : AuditActions.LoginFailed;
        var actorName = AuditTrail.ActorName(user?.DisplayName, userName);
        AuditTrail.Add(db, Context, now, action, userName, user is null && !result.Succeeded ? "用户名不存在" : null,
            actorId: user?.Id, actorName: actorName, organisationId: user?.OrganisationId);
        if (!wasLocked && result.IsLockedOut && user is not null)
        {
            AuditTrail.Add(db, Context, now, AuditActions.LockedOut, userName, "连续输错密码，锁定 15 分钟",
                actorId: user.Id, actorName: actorName, organisationId: user.OrganisationId);
        }

        if (result.Succeeded && user is not null)
        {
            user.LastLoginAt = now;
        }

        await db.SaveChangesAsync();
        return result;
    }

    /// <summary>
    /// The periodic check of a signed-in cookie or bearer token: the stamp must still match, and the user must
    /// still be allowed to sign in, so a deactivated organisation's users are cut off at the next check.
    /// </summary>
    public override async Task<bool> ValidateSecurityStampAsync(AppUser? user, string? securityStamp) =>
        await base.ValidateSecurityStampAsync(user, securityStamp) && await CanSignInAsync(user!);

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
