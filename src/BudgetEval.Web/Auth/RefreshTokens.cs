using System.Security.Claims;
using BudgetEval.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Auth;

/// <summary>The outcome of exchanging a refresh token.</summary>
internal enum RefreshUse
{
    Accepted,

    /// <summary>The token was exchanged before: its session is now revoked.</summary>
    Replayed,

    /// <summary>The session was revoked before (a replay or a logout).</summary>
    Revoked,
}

/// <summary>
/// Refresh tokens are one-time: every bearer sign-in carries a session id (kept across refreshes) and a token id
/// (new each time). Exchanging a token records its id; a second exchange of the same token is a replay (stolen or
/// copied), so the whole session is revoked: its refresh tokens and its access tokens answer 401 from then on. A
/// logout revokes the session the same way. The records live in PostgreSQL (refresh_token_uses, one row per used
/// token; revoked_bearer_sessions, one row per ended session), so every node sees them; the tokens themselves stay
/// stateless. The nightly housekeeping removes rows once no token can refer to them (<see cref="Retention"/>).
/// </summary>
internal static class RefreshTokens
{
    public const string Session = "be:token_session";
    public const string TokenId = "be:token_id";

    // Compiled once: it runs on every bearer request (BearerStampMiddleware), a primary-key lookup.
    private static readonly Func<AppDbContext, Guid, CancellationToken, Task<BearerRevocationReason?>> Revocation = EF.CompileAsyncQuery(
        (AppDbContext db, Guid session, CancellationToken ct) => db.Set<RevokedBearerSession>()
            .Where(r => r.SessionId == session).Select(r => (BearerRevocationReason?)r.Reason).FirstOrDefault());

    /// <summary>The session id a bearer token carries; null for one without (issued before sessions were recorded).</summary>
    public static Guid? SessionOf(ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirst(Session)?.Value, out var session) ? session : null;

    /// <summary>Why the session was revoked; null while it is not.</summary>
    public static Task<BearerRevocationReason?> RevocationAsync(AppDbContext db, Guid session, CancellationToken ct) =>
        Revocation(db, session, ct);

    /// <summary>
    /// How long the rows are needed: a used token stays a replay until it expires (it was issued before it was
    /// used, so it expires within the refresh lifetime of its use), and a revoked session's tokens were all
    /// issued before the revocation. A day more leaves room for clocks that differ between nodes.
    /// </summary>
    public static TimeSpan Retention(Microsoft.AspNetCore.Authentication.BearerToken.BearerTokenOptions bearer) =>
        (bearer.RefreshTokenExpiration > bearer.BearerTokenExpiration ? bearer.RefreshTokenExpiration : bearer.BearerTokenExpiration)
        + TimeSpan.FromDays(1);

    /// <summary>Marks the token used; otherwise says why it buys nothing (a replay revokes the session here).</summary>
    public static async Task<RefreshUse> TryUseAsync(AppDbContext db, HttpContext http, Users.AppUser user, Guid session, Guid tokenId, DateTimeOffset now, CancellationToken ct)
    {
        var userId = user.Id;
        if (await RevocationAsync(db, session, ct) is not null)
        {
            return RefreshUse.Revoked;
        }

        // One statement, decided by the primary key: of two exchanges of one token (even on two nodes) one wins.
        if (await db.Database.ExecuteSqlAsync($"""
            INSERT INTO budgeteval.refresh_token_uses ("TokenId", "SessionId", "UserId", "UsedAt")
            VALUES ({tokenId}, {session}, {userId}, {now})
            ON CONFLICT ("TokenId") DO NOTHING
            """, ct) == 1)
        {
            return RefreshUse.Accepted;
        }

        await RevokeAsync(db, http, user, session, BearerRevocationReason.Replay, now, ct);
        return RefreshUse.Replayed;
    }

    /// <summary>
    /// Ends the session on every node, with its audit line in the same transaction (a logout, or a revocation after
    /// a replay: a stolen token is a security event). Revoking one twice keeps the first reason and its one line.
    /// </summary>
    public static Task RevokeAsync(AppDbContext db, HttpContext http, Users.AppUser user, Guid session, BearerRevocationReason reason, DateTimeOffset now, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var revoked = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO budgeteval.revoked_bearer_sessions ("SessionId", "UserId", "RevokedAt", "Reason")
                VALUES ({session}, {user.Id}, {now}, {(int)reason})
                ON CONFLICT ("SessionId") DO NOTHING
                """, ct);
            if (revoked == 1)
            {
                Audit.AuditTrail.Add(db, http, now, reason == BearerRevocationReason.Logout ? Audit.AuditActions.Logout : Audit.AuditActions.SessionRevoked,
                    user.UserName, reason == BearerRevocationReason.Logout ? "接口登录（访问令牌）" : "同一刷新令牌被第二次使用，本次登录的全部令牌已失效",
                    actorId: user.Id, actorName: Audit.AuditTrail.ActorName(user.DisplayName, user.UserName), organisationId: user.OrganisationId);
                await db.SaveChangesAsync(ct);
            }

            await tx.CommitAsync(ct);
        });
}
