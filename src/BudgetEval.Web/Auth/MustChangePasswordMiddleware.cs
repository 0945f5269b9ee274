namespace BudgetEval.Web.Auth;

/// <summary>
/// After an administrator's reset, the user's pages all lead to 修改密码 until they have chosen their own
/// password (signing out still works). The flag travels in the cookie's claims.
/// </summary>
internal sealed class MustChangePasswordMiddleware(RequestDelegate next)
{
    private static readonly string[] Allowed = ["/account/password", "/account/keepalive", "/logout", "/css", "/js", "/error", "/healthz", "/api"];

    public Task InvokeAsync(HttpContext context)
    {
        if (context.User.HasClaim(AppClaims.MustChangePassword, "true")
            && !Allowed.Any(p => context.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
        {
            context.Response.Redirect("/account/password");
            return Task.CompletedTask;
        }

        return next(context);
    }
}
