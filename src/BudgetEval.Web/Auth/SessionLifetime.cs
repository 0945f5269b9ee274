using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BudgetEval.Web.Auth;

/// <summary>How long a signed-in browser session lasts without activity.</summary>
internal sealed class SessionOptions
{
    public const string Section = "Auth";

    /// <summary>
    /// Minutes without a request (or a keep-alive from a page being typed into) after which the sign-in cookie
    /// expires. Sliding: activity renews it. Fractions are allowed (the browser tests use a few seconds).
    /// </summary>
    public double IdleMinutes { get; set; } = 30;
}

/// <summary>
/// The sign-in cookie's idle lifetime, and when the current request's cookie will expire, so session.js can
/// warn before it does (WCAG 2.2.1) and keep it alive while the user types into a long form.
/// </summary>
internal static class SessionLifetime
{
    private const string ExpiresItem = "BudgetEval.SessionExpires";

    public static void AddSessionLifetime(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<SessionOptions>(config.GetSection(SessionOptions.Section));
        // Registered after Identity's and ConfigureApplicationCookie's own settings, so it wraps their events.
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<SessionOptions>>((o, session) => Configure(o, session.Value));
    }

    private static void Configure(CookieAuthenticationOptions o, SessionOptions session)
    {
        o.ExpireTimeSpan = TimeSpan.FromMinutes(session.IdleMinutes > 0 ? session.IdleMinutes : 30);
        o.SlidingExpiration = true;

        // The handler renews a cookie in three ways (sliding past half its life, after the security stamp check,
        // a new sign-in) without saying so on the request; each is noted here, for the layout and the keep-alive.
        var checkSliding = o.Events.OnCheckSlidingExpiration;
        o.Events.OnCheckSlidingExpiration = async ctx =>
        {
            await checkSliding(ctx);
            Note(ctx.HttpContext, ctx.ShouldRenew ? Renewed(ctx, ctx.ElapsedTime + ctx.RemainingTime) : ctx.Properties.ExpiresUtc);
        };

        var validate = o.Events.OnValidatePrincipal;
        o.Events.OnValidatePrincipal = async ctx =>
        {
            await validate(ctx);
            if (ctx.ShouldRenew && ctx.Properties.IssuedUtc is { } issued && ctx.Properties.ExpiresUtc is { } expires)
            {
                Note(ctx.HttpContext, Renewed(ctx, expires - issued));
            }
        };

        var signingIn = o.Events.OnSigningIn;
        o.Events.OnSigningIn = async ctx =>
        {
            await signingIn(ctx);
            Note(ctx.HttpContext, ctx.Properties.ExpiresUtc);
        };
    }

    // The handler renews to "now + the ticket's lifetime", by the clock it uses itself.
    private static DateTimeOffset Renewed(BaseContext<CookieAuthenticationOptions> ctx, TimeSpan lifetime) =>
        (ctx.Options.TimeProvider ?? ctx.HttpContext.RequestServices.GetRequiredService<TimeProvider>()).GetUtcNow() + lifetime;

    private static void Note(HttpContext http, DateTimeOffset? expires)
    {
        if (expires is { } at)
        {
            http.Items[ExpiresItem] = at;
        }
    }

    /// <summary>Whole seconds until this request's sign-in cookie (as renewed by it) expires; null without one.</summary>
    public static int? SecondsLeft(HttpContext http)
    {
        if (http.Items[ExpiresItem] is not DateTimeOffset expires)
        {
            return null;
        }

        var left = expires - http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        return Math.Max(0, (int)Math.Floor(left.TotalSeconds));
    }

    /// <summary>The idle lifetime in whole seconds (at least 1), for session.js's timing.</summary>
    public static int IdleSeconds(HttpContext http) =>
        Math.Max(1, (int)http.RequestServices.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>()
            .Get(IdentityConstants.ApplicationScheme).ExpireTimeSpan.TotalSeconds);

    /// <summary>The idle lifetime as people read it: "30 分钟" (or seconds when it is shorter than a minute).</summary>
    public static string IdleText(HttpContext http)
    {
        var seconds = IdleSeconds(http);
        return seconds % 60 == 0
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{seconds / 60} 分钟")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{seconds} 秒");
    }
}
