using BudgetEval.Web.Account;
using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;

namespace BudgetEval.Web.Auth;

internal static class AuthEndpoints
{
    internal sealed record LoginRequest(string? UserName, string? Password);

    internal sealed record RefreshRequest(string? RefreshToken);

    internal sealed record MeResponse(Guid Id, string UserName, string DisplayName, Guid? OrganisationId, string OrganisationName, string? OrganisationKind, IReadOnlyList<string> Roles);

    public static void MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        // Anonymous: exchanges a user name and password for a bearer token (the handler writes
        // {"tokenType","accessToken","expiresIn","refreshToken"}).
        app.MapPost("/api/auth/login", LoginAsync).AllowAnonymous().WithTags("Auth").DisableAntiforgery();

        // Anonymous: a refresh token from the login answer buys a new access token while the account may still
        // sign in and its security stamp is unchanged (a password change or an administrator's lock ends it).
        app.MapPost("/api/auth/refresh", RefreshAsync).AllowAnonymous().WithTags("Auth").DisableAntiforgery();

        // Signed in with a bearer token: ends the caller's API login (this session's access and refresh tokens, on
        // every node at once); the user's other logins keep working.
        app.MapPost("/api/auth/logout", LogoutAsync).RequireAuthorization(ApiAuth.Policy).WithTags("Auth").DisableAntiforgery()
            .WithSummary("退出本次接口登录：本次登录的访问令牌和刷新令牌立即失效，本人的其他登录不受影响")
            .Produces(StatusCodes.Status204NoContent);

        app.MapGet("/api/me", (HttpContext http) =>
        {
            var user = http.User;
            return TypedResults.Ok(new MeResponse(
                user.UserId() ?? Guid.Empty,
                user.Identity?.Name ?? string.Empty,
                user.DisplayName(),
                user.OrganisationId(),
                user.OrganisationName(),
                user.OrganisationKind()?.ToString(),
                Roles.All.Where(user.IsInRole).ToList()));
        }).RequireAuthorization(ApiAuth.Policy).WithTags("Auth");

        app.MapKeepAlive(); // the browser session's keep-alive (Account/KeepAliveEndpoint), not part of the API
    }

    private static async Task<IResult> RefreshAsync(RefreshRequest request, SignInManager<AppUser> signIn,
        Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.BearerToken.BearerTokenOptions> bearer, TimeProvider clock,
        Infrastructure.Data.AppDbContext db, HttpContext http, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.RefreshToken))
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["refreshToken"] = ["请填写 refreshToken（登录时返回）。"] });
        }

        var ticket = bearer.Get(IdentityConstants.BearerScheme).RefreshTokenProtector.Unprotect(request.RefreshToken);
        if (ticket?.Properties.ExpiresUtc is not { } expires || clock.GetUtcNow() >= expires
            || await signIn.ValidateSecurityStampAsync(ticket.Principal) is not { } user)
        {
            return ApiProblems.Problem(StatusCodes.Status401Unauthorized, "令牌无效", "refreshToken 无效或已过期，请重新登录。");
        }

        // One-time: a token from before sessions were recorded, or one already exchanged, buys nothing.
        if (!Guid.TryParse(ticket.Principal.FindFirst(RefreshTokens.Session)?.Value, out var session)
            || !Guid.TryParse(ticket.Principal.FindFirst(RefreshTokens.TokenId)?.Value, out var tokenId))
        {
            return ApiProblems.Problem(StatusCodes.Status401Unauthorized, "令牌无效", "refreshToken 无效或已过期，请重新登录。");
        }

        switch (await RefreshTokens.TryUseAsync(db, http, user, session, tokenId, clock.GetUtcNow(), ct))
        {
            case RefreshUse.Replayed:
                return ApiProblems.Problem(StatusCodes.Status401Unauthorized, "令牌无效",
                    "refreshToken 已使用过（每个只能换取一次），为安全起见本次登录的访问令牌和刷新令牌已全部失效，请重新登录。");
            case RefreshUse.Revoked:
                return ApiProblems.Problem(StatusCodes.Status401Unauthorized, "令牌无效", "本次登录已退出或已被撤销，refreshToken 已失效，请重新登录。");
        }

        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        await signIn.SignInWithClaimsAsync(user, new Microsoft.AspNetCore.Authentication.AuthenticationProperties { IsPersistent = false },
            [new System.Security.Claims.Claim(RefreshTokens.Session, session.ToString("N"))]);
        return Results.Empty; // the bearer handler has written the new token response (a new refresh token, same session)
    }

    private static async Task<IResult> LogoutAsync(HttpContext http, TimeProvider clock, Infrastructure.Data.AppDbContext db, UserManager<AppUser> users, CancellationToken ct)
    {
        // Every token issued since sessions are recorded carries one; an older one cannot be told apart from its siblings.
        if (RefreshTokens.SessionOf(http.User) is not { } session || await users.GetUserAsync(http.User) is not { } user)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "无法退出", "该访问令牌签发于登录记录启用之前，无法单独撤销，请等待其过期（至多 1 小时）。");
        }

        await RefreshTokens.RevokeAsync(db, http, user, session, BearerRevocationReason.Logout, clock.GetUtcNow(), ct);
        return Results.NoContent();
    }

    private static async Task<IResult> LoginAsync(LoginRequest request, AppSignInManager signIn, HttpContext http)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.UserName))
        {
            errors["userName"] = ["请填写用户名。"];
        }

        if (string.IsNullOrEmpty(request.Password))
        {
            errors["password"] = ["请填写密码。"];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var check = await signIn.CheckLoginAsync(request.UserName!.Trim(), request.Password!);
        if (check.RetryAfter is { } wait)
        {
            return LoginMessages.Throttled(http, wait);
        }

        if (!check.Succeeded)
        {
            // One answer for every failure: unknown name, wrong password, locked, deactivated unit (the audit log says which).
            return ApiProblems.Problem(StatusCodes.Status401Unauthorized, "登录失败", LoginMessages.Failed);
        }

        // A password the administrator set (new account or reset) is not for machines: the person sets their own on the web first.
        if (check.User!.MustChangePassword)
        {
            await signIn.RecordRefusalAsync(check.User, "密码由系统管理员设置（新建或重置），接口登录须先在网页修改密码");
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, "须先修改密码", "您的密码由系统管理员设置（新建账户或重置密码），请先登录网页修改密码后再使用接口。");
        }

        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        await signIn.CompleteLoginAsync(check.User, isPersistent: false);
        return Results.Empty; // the bearer handler has written the token response
    }
}

internal static class LoginMessages
{
    /// <summary>
    /// The one answer to every failed sign-in, on the login page and the API alike, whatever the cause: it tells
    /// an honest user what may be wrong without telling anyone which accounts exist or are locked.
    /// </summary>
    public const string Failed = "用户名或密码错误。连续输错 5 次账户将锁定 15 分钟；如账户已被锁定或停用，请联系系统管理员。";

    public static string ThrottledMessage(TimeSpan wait) =>
        $"此网络地址登录失败次数过多，请 {Seconds(wait)} 秒后再试。如需帮助请联系系统管理员。";

    /// <summary>429 with Retry-After: the address is over its failed sign-ins per minute.</summary>
    public static IResult Throttled(HttpContext http, TimeSpan wait)
    {
        SetRetryAfter(http, wait);
        return ApiProblems.Problem(StatusCodes.Status429TooManyRequests, "登录尝试过于频繁", ThrottledMessage(wait));
    }

    public static void SetRetryAfter(HttpContext http, TimeSpan wait) =>
        http.Response.Headers.RetryAfter = Seconds(wait).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
}

internal static class ApiAuth
{
    /// <summary>The API takes bearer tokens only, so browser cookies can never be used for cross-site API calls.</summary>
    public const string Policy = "api";
}
