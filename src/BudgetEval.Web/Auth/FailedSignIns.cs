using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace BudgetEval.Web.Auth;

/// <summary>
/// Counts a wrong password against an account in one statement. Identity's AccessFailedAsync reads the count,
/// adds one and saves under the row's concurrency stamp: wrong passwords sent at the same moment (on one node or
/// several) made all but one fail with a concurrency error (HTTP 500) and go uncounted, so the lockout never came.
/// </summary>
internal static class FailedSignIns
{
    /// <returns>The failures counted now (0 once this one locked the account) and whether it locked it.</returns>
    public static async Task<(int Count, bool LockedNow)> CountAsync(AppDbContext db, AppUser user, LockoutOptions lockout)
    {
        // Identity's lockout check reads the system clock (it takes no TimeProvider), so the end is set on that clock.
        var until = DateTimeOffset.UtcNow + lockout.DefaultLockoutTimeSpan;
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = conn.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await conn.OpenAsync();
        }

        try
        {
            // Reaching the limit locks and starts counting afresh, as Identity does.
            await using var cmd = new NpgsqlCommand("""
                UPDATE budgeteval.users SET
                    "AccessFailedCount" = CASE WHEN "AccessFailedCount" + 1 >= @max THEN 0 ELSE "AccessFailedCount" + 1 END,
                    "LockoutEnd" = CASE WHEN "AccessFailedCount" + 1 >= @max THEN @until ELSE "LockoutEnd" END
                WHERE "Id" = @id AND "LockoutEnabled"
                RETURNING "AccessFailedCount", COALESCE("LockoutEnd" = @until, false)
                """, conn);
            cmd.Transaction = (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction();
            cmd.Parameters.AddWithValue("max", lockout.MaxFailedAccessAttempts);
            cmd.Parameters.AddWithValue("until", until);
            cmd.Parameters.AddWithValue("id", user.Id);
            await using var reader = await cmd.ExecuteReaderAsync();
            if (!await reader.ReadAsync())
            {
                return (0, false); // lockout switched off for this account
            }

            var (count, locked) = (reader.GetInt32(0), reader.GetBoolean(1));

            // The tracked user takes the stored values as unchanged ones: a later save must not write them back.
            var entry = db.Entry(user);
            entry.Property(u => u.AccessFailedCount).OriginalValue = count;
            entry.Property(u => u.AccessFailedCount).CurrentValue = count;
            if (locked)
            {
                entry.Property(u => u.LockoutEnd).OriginalValue = until;
                entry.Property(u => u.LockoutEnd).CurrentValue = until;
            }

            return (count, locked);
        }
        finally
        {
            if (opened)
            {
                await conn.CloseAsync();
            }
        }
    }
}
