using System.Collections.Concurrent;
using System.Security.Claims;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BudgetEval.Web.Auth;

/// <summary>
/// When this node last found a (user, security stamp) pair current in the database. A password change, a
/// reset, a lock and every change of roles or organisation renew the stamp (Admin/Users/Edit), so a pair
/// confirmed less than <see cref="SecurityStampValidatorOptions.ValidationInterval"/> ago is as good as a new
/// read: sessions and tokens still end within that interval of the change, without a database read per
/// request for every client that keeps an older cookie or a token.
/// </summary>
internal sealed class StampConfirmations(IOptions<SecurityStampValidatorOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<(Guid User, string Stamp), DateTimeOffset> _confirmed = new();

    private TimeSpan Interval => options.Value.ValidationInterval;

    public static string Stamp(ClaimsPrincipal principal, IdentityOptions identity) =>
        principal.FindFirst(identity.ClaimsIdentity.SecurityStampClaimType)?.Value ?? string.Empty;

    public bool IsFresh(Guid user, string stamp)
    {
        var now = clock.GetUtcNow();
        return _confirmed.TryGetValue((user, stamp), out var at) && now - at < Interval && now >= at;
    }

    public void Confirm(Guid user, string stamp)
    {
        var now = clock.GetUtcNow();
        if (_confirmed.Count > 10_000)
        {
            foreach (var old in _confirmed.Where(e => now - e.Value >= Interval).Select(e => e.Key).ToList())
            {
                _confirmed.TryRemove(old, out _);
            }
        }

        _confirmed[(user, stamp)] = now;
    }

    public void Forget(Guid user, string stamp) => _confirmed.TryRemove((user, stamp), out _);
}

/// <summary>
/// Identity's cookie check, which reads the user (and rebuilds and re-encrypts the cookie) on every request
/// whose cookie is older than the interval, until the client stores the renewed cookie; clients that do not
/// (two tabs racing, scripts, load tools) paid a user read, a claims rebuild and a cookie encryption per
/// request. A pair this node confirmed within the interval is accepted without that; otherwise Identity's
/// own validation runs unchanged (and rejects, signs out, or renews as before).
/// </summary>
internal sealed class ConfirmedStampValidator(
    IOptions<SecurityStampValidatorOptions> options,
    SignInManager<AppUser> signIn,
    ILoggerFactory logger,
    StampConfirmations confirmations)
    : SecurityStampValidator<AppUser>(options, signIn, logger)
{
    public override Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is { } principal && principal.UserId() is { } user
            && confirmations.IsFresh(user, StampConfirmations.Stamp(principal, SignInManager.Options)))
        {
            return Task.CompletedTask;
        }

        return base.ValidateAsync(context);
    }

    protected override async Task SecurityStampVerified(AppUser user, CookieValidatePrincipalContext context)
    {
        await base.SecurityStampVerified(user, context);
        if (context.Principal is { } principal)
        {
            confirmations.Confirm(user.Id, StampConfirmations.Stamp(principal, SignInManager.Options));
        }
    }
}
