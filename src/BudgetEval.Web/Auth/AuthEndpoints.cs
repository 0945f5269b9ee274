using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;

namespace BudgetEval.Web.Auth;

internal static class AuthEndpoints
{
    internal sealed record LoginRequest(string? UserName, string? Password);

    internal sealed record MeResponse(Guid Id, string UserName, string DisplayName, Guid? OrganisationId, string OrganisationName, string? OrganisationKind, IReadOnlyList<string> Roles);

    public static void MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        // Anonymous: exchanges a user name and password for a bearer token (the handler writes
        // {"tokenType","accessToken","expiresIn","refreshToken"}).
        app.MapPost("/api/auth/login", LoginAsync).AllowAnonymous().WithTags("Auth").DisableAntiforgery();

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

    private static async Task<IResult> LoginAsync(LoginRequest request, SignInManager<AppUser> signIn)
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

        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        var result = await signIn.PasswordSignInAsync(request.UserName!.Trim(), request.Password!, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return Results.Empty; // the bearer handler has written the token response
        }

        return result.IsLockedOut
            ? ApiProblems.Problem(StatusCodes.Status423Locked, "账户已锁定", LoginMessages.LockedOut)
            : ApiProblems.Problem(StatusCodes.Status401Unauthorized, "登录失败", LoginMessages.Failed);
    }
}

internal static class LoginMessages
{
    public const string Failed = "用户名或密码不正确。";
    public const string LockedOut = "登录失败次数过多，账户已锁定 15 分钟，请稍后再试或联系系统管理员。";
}

internal static class ApiAuth
{
    /// <summary>The API takes bearer tokens only, so browser cookies can never be used for cross-site API calls.</summary>
    public const string Policy = "api";
}
