using BudgetEval.Web.Audit;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BudgetEval.Web.Auth;

/// <summary>
/// Identity's sign-in, plus: users of a deactivated (停用) organisation cannot sign in, on the login page or the
/// API, and the cookie check refuses them at the next validation; every password check goes through
/// <see cref="CheckLoginAsync"/> (uniform failures, equal timing, audit with the real reason, per-address throttle).
/// </summary>
internal sealed class AppSignInManager(
    UserManager<AppUser> users,
    IHttpContextAccessor http,
    IUserClaimsPrincipalFactory<AppUser> claims,
    IOptions<IdentityOptions> options,
    ILogger<SignInManager<AppUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AppUser> confirmation,
    AppDbContext db,
    DataScopeAccessor scope,
    TimeProvider clock,
    LoginThrottle throttle,
    IOptions<LoginThrottleOptions> throttleOptions)
    : SignInManager<AppUser>(users, http, claims, options, logger, schemes, confirmation)
{
    /// <summary>
    /// A bearer sign-in (API login or refresh) carries a session id, kept across refreshes, and a new token id,
    /// so that each refresh token can be exchanged once (<see cref="RefreshTokens"/>).
    /// </summary>
    public override Task SignInWithClaimsAsync(AppUser user, AuthenticationProperties? authenticationProperties, IEnumerable<System.Security.Claims.Claim> additionalClaims)
    {
        if (AuthenticationScheme == IdentityConstants.BearerScheme)
        {
            var claims = additionalClaims.ToList();
            if (!claims.Any(c => c.Type == RefreshTokens.Session))
            {
                claims.Add(new(RefreshTokens.Session, Guid.NewGuid().ToString("N")));
            }

            claims.Add(new(RefreshTokens.TokenId, Guid.NewGuid().ToString("N")));
            additionalClaims = claims;
        }

        return base.SignInWithClaimsAsync(user, authenticationProperties, additionalClaims);
    }

    /// <summary>Longer typed user names are refused before any lookup (the column holds 256 characters).</summary>
    public const int MaxUserNameLength = 256;

    /// <summary>How much of a typed user name a failed sign-in's audit entry keeps.</summary>
    public const int AuditedUserNameLength = 64;

    private static string? _dummyHash;

    /// <summary>
    /// Checks a user name and password for the login page and the API alike, without signing in. Every failure
    /// verifies exactly one password hash, a dummy one when there is no account to check or the account may not
    /// sign in (locked, deactivated unit), so the answer's timing does not tell which; the password of such an
    /// account is never checked, so nothing about the answer depends on it. The real reason goes to the audit log
    /// only; callers must give one uniform answer (<see cref="LoginMessages.Failed"/>) for every failure.
    /// Failures count against the client address (<see cref="LoginThrottle"/>); over its limit the attempt is not
    /// checked at all and <see cref="LoginCheck.RetryAfter"/> says how long to wait.
    /// </summary>
    internal async Task<LoginCheck> CheckLoginAsync(string userName, string password)
    {
        var address = LoginThrottle.AddressOf(Context);
        var attempt = await throttle.BeginAsync(address, Context.RequestAborted);
        if (attempt.RetryAfter is { } wait)
        {
            return new LoginCheck(SignInResult.Failed, null, wait);
        }

        var failed = true;
        try
        {
            var check = await CheckCredentialsAsync(userName, password);
            failed = !check.Succeeded;
            return check;
        }
        finally
        {
            if (await throttle.EndAsync(attempt, failed))
            {
                Logger.LogWarning("Sign-in attempts from {Address} paused: too many failures within a minute", address);
                AuditTrail.Add(db, Context, clock.GetUtcNow(), AuditActions.LoginThrottled, address,
                    $"该地址 1 分钟内登录失败 {throttleOptions.Value.FailedLoginsPerMinutePerAddress} 次，暂停其登录尝试",
                    actorName: address);
                await db.SaveChangesAsync();
            }
        }
    }

    /// <summary>Signs in a user whose password <see cref="CheckLoginAsync"/> accepted, and records it.</summary>
    internal async Task CompleteLoginAsync(AppUser user, bool isPersistent)
    {
        await SignInOrTwoFactorAsync(user, isPersistent);
        var now = clock.GetUtcNow();
        AuditTrail.Add(db, Context, now, AuditActions.LoginSucceeded, user.UserName, null,
            actorId: user.Id, actorName: AuditTrail.ActorName(user.DisplayName, user.UserName), organisationId: user.OrganisationId);
        user.LastLoginAt = now;
        await db.SaveChangesAsync();
    }

    /// <summary>A right password that still gets no sign-in (e.g. the API and a password reset by the administrator).</summary>
    internal async Task RecordRefusalAsync(AppUser user, string reason)
    {
        AuditTrail.Add(db, Context, clock.GetUtcNow(), AuditActions.LoginRefused, user.UserName, reason,
            actorId: user.Id, actorName: AuditTrail.ActorName(user.DisplayName, user.UserName), organisationId: user.OrganisationId);
        await db.SaveChangesAsync();
    }

    /// <summary>Identity's sign-in by name, routed through <see cref="CheckLoginAsync"/> (a throttled attempt fails).</summary>
    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var check = await CheckLoginAsync(userName, password);
        if (!check.Succeeded)
        {
            return check.Result.Succeeded ? SignInResult.Failed : check.Result;
        }

        await CompleteLoginAsync(check.User!, isPersistent);
        return SignInResult.Success;
    }

    private async Task<LoginCheck> CheckCredentialsAsync(string userName, string password)
    {
        var now = clock.GetUtcNow();
        if (userName.Length > MaxUserNameLength)
        {
            VerifyDummyHash(password);
            AuditFailure(now, AuditActions.LoginFailed, userName, $"用户名过长（{userName.Length} 个字符），未查找账户", null);
            await db.SaveChangesAsync();
            return new LoginCheck(SignInResult.Failed, null);
        }

        var user = await UserManager.FindByNameAsync(userName);
        if (user is null)
        {
            VerifyDummyHash(password);
            AuditFailure(now, AuditActions.LoginFailed, userName, "用户名不存在", null);
            await db.SaveChangesAsync();
            return new LoginCheck(SignInResult.Failed, null);
        }

        // Locked or not allowed: Identity answers before hashing anything; hash the dummy so the time is the same.
        if (await PreSignInCheck(user) is { } refused)
        {
            VerifyDummyHash(password);
            var reason = refused.IsLockedOut
                ? LockoutKinds.IsAdministrativeLock(user.LockoutEnd, clock) ? "账户已被系统管理员锁定" : "账户处于锁定期（连续输错密码后 15 分钟内）"
                : await base.CanSignInAsync(user) ? "账户所属单位已停用" : "账户不允许登录";
            AuditFailure(now, AuditActions.LoginRefused, userName, reason, user);
            await db.SaveChangesAsync();
            return new LoginCheck(refused, null);
        }

        // Identity counts nothing here (lockoutOnFailure: false); FailedSignIns counts in one statement instead.
        var result = await base.CheckPasswordSignInAsync(user, password, lockoutOnFailure: false);
        if (result.Succeeded)
        {
            return new LoginCheck(result, user);
        }

        if (!result.IsLockedOut && !result.IsNotAllowed && (await FailedSignIns.CountAsync(db, user, Options.Lockout)).LockedNow)
        {
            result = SignInResult.LockedOut;
        }

        AuditFailure(now, AuditActions.LoginFailed, userName, "密码错误", user);
        if (result.IsLockedOut)
        {
            AuditFailure(now, AuditActions.LockedOut, userName, "连续输错密码，锁定 15 分钟", user);
        }

        await db.SaveChangesAsync();
        return new LoginCheck(result, null);
    }

    /// <summary>Hashes once, as checking a real account's password does; the outcome is thrown away.</summary>
    private void VerifyDummyHash(string password)
    {
        var dummy = new AppUser { DisplayName = string.Empty };
        _dummyHash ??= UserManager.PasswordHasher.HashPassword(dummy, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));
        _ = UserManager.PasswordHasher.VerifyHashedPassword(dummy, _dummyHash, password);
    }

    // The name typed is kept, shortened: an anonymous client decides how long it is.
    private void AuditFailure(DateTimeOffset now, string action, string userName, string reason, AppUser? user)
    {
        var typed = userName.Length <= AuditedUserNameLength ? userName : userName[..AuditedUserNameLength] + "…";
        AuditTrail.Add(db, Context, now, action, typed, reason,
            actorId: user?.Id, actorName: user is null ? typed : AuditTrail.ActorName(user.DisplayName, user.UserName), organisationId: user?.OrganisationId);
    }

    /// <summary>
    /// The periodic check of a signed-in cookie or bearer token: the stamp must still match, and the user must
    /// still be allowed to sign in, so a deactivated organisation's users are cut off at the next check.
    /// </summary>
    public override async Task<bool> ValidateSecurityStampAsync(AppUser? user, string? securityStamp) =>
        await base.ValidateSecurityStampAsync(user, securityStamp) && await CanSignInAsync(user!);

    public override async Task<bool> CanSignInAsync(AppUser user)
    {
        if (!await base.CanSignInAsync(user))
        {
            return false;
        }

        using (scope.RunAsSystem())
        {
            return await db.Organisations.AnyAsync(o => o.Id == user.OrganisationId && o.IsActive);
        }
    }
}

/// <summary>
/// The outcome of <see cref="AppSignInManager.CheckLoginAsync"/>: the user when the password was accepted; the real
/// result (failed, locked out, not allowed) for logs and tests only; RetryAfter when the address was throttled.
/// </summary>
internal sealed record LoginCheck(SignInResult Result, AppUser? User, TimeSpan? RetryAfter = null)
{
    public bool Succeeded => Result.Succeeded && User is not null;
}

internal static class LockoutKinds
{
    /// <summary>An administrator's lock is "until the end of time"; the failure lockout lasts 15 minutes.</summary>
    public static bool IsAdministrativeLock(DateTimeOffset? lockoutEnd, TimeProvider clock) =>
        lockoutEnd is { } end && end > AdministrativeFrom(clock.GetUtcNow());

    /// <summary>
    /// A LockoutEnd after this instant is an administrator's lock. Such accounts also get no notices, reminders or mail
    /// (they cannot sign in to act, and mail about a unit's cases should not follow someone who left it); the failure
    /// lockout keeps its mail.
    /// </summary>
    public static DateTimeOffset AdministrativeFrom(DateTimeOffset now) => now.AddYears(1);
}
