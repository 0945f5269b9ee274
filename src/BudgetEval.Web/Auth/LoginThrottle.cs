using System.Net;
using System.Net.Sockets;
using BudgetEval.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BudgetEval.Web.Auth;

/// <summary>Sign-in settings beyond Identity's lockout.</summary>
internal sealed class LoginThrottleOptions
{
    public const string Section = "Auth";

    /// <summary>
    /// Failed sign-ins one client address may make in a sliding minute before its further attempts are answered
    /// 429 without checking anything; 0 or less turns the throttle off.
    /// </summary>
    public int FailedLoginsPerMinutePerAddress { get; set; } = 20;
}

/// <summary>
/// Throttles failed sign-ins per client address (an extra layer over the per-account lockout: it stops one address
/// from spraying passwords across many accounts, or keeping many of them locked). The count lives in PostgreSQL
/// (<see cref="LoginAttempt"/> rows), so the limit holds for the address across all web nodes together, not once per
/// node. Only failures count, so people signing in often from one address (an office behind NAT, the tests) are not
/// slowed. Attempts in flight count as failures until they end (a pending row), so parallel requests, on one node
/// or several, cannot overshoot the limit; each decision is taken under a transaction-scoped advisory lock on the
/// address, so two nodes cannot both let the last allowed attempt through.
/// </summary>
internal sealed class LoginThrottle(AppDbContext db, TimeProvider clock, IOptions<LoginThrottleOptions> options)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Starts an attempt from <paramref name="address"/>: either it may go on (then <see cref="EndAsync"/> must
    /// follow, whatever happens) or <see cref="LoginAttemptTicket.RetryAfter"/> says how long the address must wait.
    /// </summary>
    public async Task<LoginAttemptTicket> BeginAsync(string address, CancellationToken ct = default)
    {
        var limit = options.Value.FailedLoginsPerMinutePerAddress;
        if (limit <= 0)
        {
            return new LoginAttemptTicket(address, null, null); // off: nothing is counted, nothing is written
        }

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await LockAsync(address, ct);
            var now = clock.GetUtcNow();
            var attempts = await PruneAsync(address, now, ct);
            if (await attempts.CountAsync(ct) >= limit)
            {
                // Free again when the oldest failure leaves the window (at least a second: Retry-After is in seconds).
                var oldest = await attempts.Where(a => !a.Pending).MinAsync(a => (DateTimeOffset?)a.At, ct);
                await tx.CommitAsync(ct); // keeps the pruning
                var wait = oldest is { } first ? first + Window - now : TimeSpan.Zero;
                return new LoginAttemptTicket(address, null, wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait);
            }

            var id = Guid.NewGuid();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO budgeteval.login_attempts ("Id", "Address", "At", "Pending") VALUES ({id}, {address}, {now}, true)
                """, ct);
            await tx.CommitAsync(ct);
            return new LoginAttemptTicket(address, id, null);
        });
    }

    /// <summary>
    /// Ends an attempt begun by <see cref="BeginAsync"/>; true when this failure made the address reach the limit
    /// (said once: the decisions are serialised by the lock). Takes no cancellation token: a client that went away
    /// must not leave its pending row behind to count for the rest of the minute.
    /// </summary>
    public async Task<bool> EndAsync(LoginAttemptTicket ticket, bool failed)
    {
        if (ticket.AttemptId is not { } id)
        {
            return false;
        }

        var rows = db.Set<LoginAttempt>();
        if (!failed)
        {
            await rows.Where(a => a.Id == id).ExecuteDeleteAsync();
            return false;
        }

        var limit = options.Value.FailedLoginsPerMinutePerAddress;
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await LockAsync(ticket.Address, default);
            var now = clock.GetUtcNow();
            var attempts = await PruneAsync(ticket.Address, now, default);

            // The pending row becomes the failure; if it has already expired (the clock moved on), a new row is it.
            if (await rows.Where(a => a.Id == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Pending, false).SetProperty(a => a.At, now)) == 0)
            {
                var failure = Guid.NewGuid();
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO budgeteval.login_attempts ("Id", "Address", "At", "Pending") VALUES ({failure}, {ticket.Address}, {now}, false)
                    """);
            }

            var failures = await attempts.CountAsync(a => !a.Pending);
            await tx.CommitAsync();
            return limit > 0 && failures == limit;
        });
    }

    /// <summary>
    /// The key an attempt is counted under: the client address (after the trusted proxy's X-Forwarded-For), an
    /// IPv6 client by its /64, since one connection usually holds the whole /64.
    /// </summary>
    public static string AddressOf(HttpContext? http)
    {
        var ip = http?.Connection.RemoteIpAddress;
        if (ip is null)
        {
            return "unknown";
        }

        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        if (ip.AddressFamily == AddressFamily.InterNetworkV6 && !IPAddress.IsLoopback(ip))
        {
            var bytes = ip.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes) + "/64";
        }

        return ip.ToString();
    }

    // One address's decisions take turns on every node; other addresses are not held up.
    private Task LockAsync(string address, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({"login-throttle:" + address}, 0))", ct);

    /// <summary>
    /// Deletes the address's rows outside the window and returns the rest. Rows up to a window ahead of this
    /// node's clock still count: nodes' clocks differ a little, and an attempt a node ahead has just begun must hold
    /// here too. Rows further ahead (a clock set back; tests move theirs) go, so they cannot block for ever.
    /// </summary>
    private async Task<IQueryable<LoginAttempt>> PruneAsync(string address, DateTimeOffset now, CancellationToken ct)
    {
        var (from, to) = (now - Window, now + Window);
        var rows = db.Set<LoginAttempt>().Where(a => a.Address == address);
        await rows.Where(a => a.At <= from || a.At > to).ExecuteDeleteAsync(ct);
        return rows;
    }
}

/// <summary>
/// An attempt begun by <see cref="LoginThrottle.BeginAsync"/>: refused (<see cref="RetryAfter"/> set), or let
/// through and counted as the pending row <see cref="AttemptId"/> (null when the throttle is off).
/// </summary>
internal sealed record LoginAttemptTicket(string Address, Guid? AttemptId, TimeSpan? RetryAfter);
