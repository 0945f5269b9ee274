using System.Collections.Concurrent;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BudgetEval.Web.Auth;

/// <summary>
/// Cookies are re-checked against the user's security stamp by Identity; bearer tokens are not. This
/// does the same for API calls: a password change, a reset or a lock renews the stamp, and tokens issued
/// before it stop working within the same interval as other browser sessions (no waiting for expiry).
/// </summary>
internal sealed class BearerStampMiddleware(RequestDelegate next, IOptions<SecurityStampValidatorOptions> options, TimeProvider clock)
{
    // (user, stamp in the token) → when the database last confirmed it; per node, bounded by the interval.
    private readonly ConcurrentDictionary<(Guid User, string Stamp), DateTimeOffset> _confirmed = new();

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
        var stamp = context.User.FindFirst(signIn.Options.ClaimsIdentity.SecurityStampClaimType)?.Value ?? string.Empty;
        if (context.User.UserId() is not { } user)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        var interval = options.Value.ValidationInterval;
        if (_confirmed.TryGetValue((user, stamp), out var at) && now - at < interval && now >= at)
        {
            return true;
        }

        if (await signIn.ValidateSecurityStampAsync(context.User) is null)
        {
            _confirmed.TryRemove((user, stamp), out _);
            return false;
        }

        if (_confirmed.Count > 10_000)
        {
            foreach (var old in _confirmed.Where(e => now - e.Value >= interval).Select(e => e.Key).ToList())
            {
                _confirmed.TryRemove(old, out _);
            }
        }

        _confirmed[(user, stamp)] = now;
        return true;
    }
}
