using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;

namespace BudgetEval.Web.Auth;

/// <summary>
/// Cookies are re-checked against the user's security stamp by Identity; bearer tokens are not. This
/// does the same for API calls: a password change, a reset or a lock renews the stamp, and tokens issued
/// before it stop working within the same interval as other browser sessions (no waiting for expiry).
/// </summary>
internal sealed class BearerStampMiddleware(RequestDelegate next, StampConfirmations confirmations)
{
    public async Task InvokeAsync(HttpContext context, SignInManager<AppUser> signIn)
    {
        if (context.User.Identity?.IsAuthenticated == true
            && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && !await ValidAsync(context, signIn))
        {
            context.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "登录已失效",
                detail: "密码已修改或账户已被锁定，原登录凭证已失效，请重新登录。").ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private async Task<bool> ValidAsync(HttpContext context, SignInManager<AppUser> signIn)
    {
        var stamp = StampConfirmations.Stamp(context.User, signIn.Options);
        if (context.User.UserId() is not { } user)
        {
            return false;
        }

        if (confirmations.IsFresh(user, stamp))
        {
            return true;
        }

        if (await signIn.ValidateSecurityStampAsync(context.User) is null)
        {
            confirmations.Forget(user, stamp);
            return false;
        }

        confirmations.Confirm(user, stamp);
        return true;
    }
}
