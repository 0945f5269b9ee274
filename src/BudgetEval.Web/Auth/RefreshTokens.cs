using BudgetEval.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Auth;

/// <summary>
/// Refresh tokens are one-time: every bearer sign-in carries a session id (kept across refreshes) and a token id
/// (new each time). Exchanging a token records its id; a second exchange of the same token is a replay (stolen or
/// copied), so the whole session is revoked and every refresh token of it answers 401 from then on. The records
/// live in PostgreSQL (the idempotency_keys table, one row per used token: unique by user and key), so every
/// node sees them; the tokens themselves stay stateless.
/// </summary>
internal static class RefreshTokens
{
    public const string Session = "be:token_session";
    public const string TokenId = "be:token_id";

    private const string UsedPrefix = "refresh-used:";
    private const string RevokedPrefix = "refresh-revoked:";

    /// <summary>Marks the token used; false when it was used before (the session is then revoked) or its session is revoked.</summary>
    public static async Task<bool> TryUseAsync(AppDbContext db, Guid userId, Guid session, Guid tokenId, DateTimeOffset now, CancellationToken ct)
    {
        var revoked = RevokedPrefix + session.ToString("N");
        if (await db.IdempotencyKeys.AsNoTracking().AnyAsync(k => k.UserId == userId && k.Key == revoked, ct))
        {
            return false;
        }

        // One statement, decided by the unique index: of two exchanges of one token (even on two nodes) one wins.
        if (await InsertAsync(db, userId, UsedPrefix + tokenId.ToString("N"), session, now, ct) == 1)
        {
            return true;
        }

        await InsertAsync(db, userId, revoked, session, now, ct);
        return false;
    }

    private static Task<int> InsertAsync(AppDbContext db, Guid userId, string key, Guid session, DateTimeOffset now, CancellationToken ct)
    {
        const string empty = "{}";
        return db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO budgeteval.idempotency_keys ("Key", "UserId", "InstanceId", "StatusCode", "ResponseJson", "CreatedAt")
            VALUES ({key}, {userId}, {session}, 0, CAST({empty} AS jsonb), {now})
            ON CONFLICT ("UserId", "Key") DO NOTHING
            """, ct);
    }
}
