using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;

namespace BudgetEval.Web.Auth;

/// <summary>
/// Cookies are re-checked against the user's security stamp by Identity; bearer tokens are not. This
/// does the same for API calls: a password change, a reset or a lock renews the stamp, and tokens issued
/// before it stop working within the same interval as other browser sessions (no waiting for expiry).
/// It also refuses the access tokens of a revoked bearer session (a replayed refresh token, a logout) at once,
/// on every node (ADR 0019).
/// </summary>
internal sealed class BearerStampMiddleware(RequestDelegate next, StampConfirmations confirmations)
{
    public async Task InvokeAsync(HttpContext context, SignInManager<AppUser> signIn, AppDbContext db)
    {
        if (context.User.Identity?.IsAuthenticated == true
            && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            if (!await ValidAsync(context, signIn))
            {
                await RefuseAsync(context, "密码已修改或账户已被锁定，原登录凭证已失效，请重新登录。");
                return;
            }

            // Per request, not cached like the stamp: a revocation is written on one node and must hold on all of
            // them at once, and the check is one primary-key lookup in a table that has rows for ended sessions only.
            if (RefreshTokens.SessionOf(context.User) is { } session
                && await RefreshTokens.RevocationAsync(db, session, context.RequestAborted) is { } reason)
            {
                await RefuseAsync(context, reason == BearerRevocationReason.Logout
                    ? "该登录已退出，访问令牌已失效，请重新登录。"
                    : "该登录已被撤销（刷新令牌被重复使用），请重新登录。");
                return;
            }
        }

        await next(context);
    }

    private static async Task RefuseAsync(HttpContext context, string detail)
    {
        context.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "登录已失效", detail: detail).ExecuteAsync(context);
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
