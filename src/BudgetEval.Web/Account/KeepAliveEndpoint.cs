using BudgetEval.Web.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace BudgetEval.Web.Account;

/// <summary>
/// POST /account/keepalive: session.js calls it while the user types into a page (which sends nothing else),
/// so a long form does not outlive the sign-in. It re-issues the cookie outright, because the handler's own
/// sliding renewal waits until half the lifetime has passed. Browser sessions only (the bearer API has its
/// own tokens); no audit line, since it is not something the user did.
/// </summary>
internal static class KeepAliveEndpoint
{
    public const string Path = "/account/keepalive";

    internal sealed record KeepAliveResponse(int ExpiresInSeconds);

    public static void MapKeepAlive(this IEndpointRouteBuilder app) =>
        app.MapPost(Path, KeepAliveAsync)
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = IdentityConstants.ApplicationScheme })
            .DisableAntiforgery() // checked below, from the header session.js sends
            .ExcludeFromDescription();

    private static async Task<IResult> KeepAliveAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Results.StatusCode(StatusCodes.Status400BadRequest);
        }

        var current = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!current.Succeeded)
        {
            return Results.Unauthorized();
        }

        var properties = current.Properties;
        properties.IssuedUtc = null; // the handler sets both from its clock and the idle lifetime
        properties.ExpiresUtc = null;
        await http.SignInAsync(IdentityConstants.ApplicationScheme, current.Principal, properties);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new KeepAliveResponse(SessionLifetime.SecondsLeft(http) ?? 0));
    }
}
