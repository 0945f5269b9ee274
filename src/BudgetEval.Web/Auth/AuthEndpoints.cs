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
    }

    private static async Task<IResult> RefreshAsync(RefreshRequest request, SignInManager<AppUser> signIn,
        Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.BearerToken.BearerTokenOptions> bearer, TimeProvider clock,
        Infrastructure.Data.AppDbContext db, CancellationToken ct)
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

        if (!await RefreshTokens.TryUseAsync(db, user.Id, session, tokenId, clock.GetUtcNow(), ct))
        {
            return ApiProblems.Problem(StatusCodes.Status401Unauthorized, "令牌无效",
                "refreshToken 已使用过（每个只能换取一次），为安全起见本次登录的刷新令牌已全部失效，请重新登录。");
        }

        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        await signIn.SignInWithClaimsAsync(user, new Microsoft.AspNetCore.Authentication.AuthenticationProperties { IsPersistent = false },
            [new System.Security.Claims.Claim(RefreshTokens.Session, session.ToString("N"))]);
        return Results.Empty; // the bearer handler has written the new token response (a new refresh token, same session)
    }

    private static async Task<IResult> LoginAsync(LoginRequest request, SignInManager<AppUser> signIn, TimeProvider clock)
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

        // An administrator's reset password is not for machines: the person sets their own on the web first.
        var userName = request.UserName!.Trim();
        if (await signIn.UserManager.FindByNameAsync(userName) is { MustChangePassword: true } pending)
        {
            var check = await signIn.CheckPasswordSignInAsync(pending, request.Password!, lockoutOnFailure: true);
            return check.Succeeded
                ? ApiProblems.Problem(StatusCodes.Status403Forbidden, "须先修改密码", "您的密码已由系统管理员重置，请先登录网页修改密码后再使用接口。")
                : await FailureAsync(check, userName, request.Password!, signIn.UserManager, clock);
        }

        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        var result = await signIn.PasswordSignInAsync(request.UserName!.Trim(), request.Password!, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return Results.Empty; // the bearer handler has written the token response
        }

        return await FailureAsync(result, userName, request.Password!, signIn.UserManager, clock);
    }

    // 423 only when the message may say the account is locked; otherwise the plain 401 of a wrong password.
    private static async Task<IResult> FailureAsync(SignInResult result, string userName, string password, UserManager<AppUser> users, TimeProvider clock)
    {
        var message = await LoginMessages.ForFailureAsync(result, userName, password, users, clock);
        return result.IsLockedOut && message != LoginMessages.Failed
            ? ApiProblems.Problem(StatusCodes.Status423Locked, "账户已锁定", message)
            : ApiProblems.Problem(StatusCodes.Status401Unauthorized, "登录失败", message);
    }
}

internal static class LoginMessages
{
    public const string Failed = "用户名或密码不正确。";
    public const string LockedOut = "登录失败次数过多，账户已锁定 15 分钟，请稍后再试或联系系统管理员。";
    public const string LockedByAdmin = "该账户已被系统管理员锁定，请联系系统管理员。";
    public const string NotAllowed = "该账户所属单位已停用，无法登录。如有疑问请联系系统管理员。";

    /// <summary>The one message a failed sign-in shows, on the login page and the API alike.</summary>
    public static async Task<string> ForFailureAsync(SignInResult result, string userName, string password, UserManager<AppUser> users, TimeProvider clock)
    {
        if (result.IsLockedOut)
        {
            // An administrator's lock is said only to someone who knows the password: otherwise the message
            // would tell a stranger that the account exists (the 15-minute lock comes from trying it anyway).
            var user = await users.FindByNameAsync(userName);
            return !LockoutKinds.IsAdministrativeLock(user?.LockoutEnd, clock) ? LockedOut
                : await users.CheckPasswordAsync(user!, password) ? LockedByAdmin
                : Failed;
        }

        // Identity refuses a deactivated unit before it checks the password; say why only to someone
        // who knows the password, so the message does not reveal which accounts exist.
        return result.IsNotAllowed && await users.FindByNameAsync(userName) is { } u && await users.CheckPasswordAsync(u, password)
            ? NotAllowed
            : Failed;
    }
}

internal static class ApiAuth
{
    /// <summary>The API takes bearer tokens only, so browser cookies can never be used for cross-site API calls.</summary>
    public const string Policy = "api";
}
