using System.Net;
using System.Net.Sockets;
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
/// Throttles failed sign-ins per client address, in this node's memory (an extra layer over the per-account
/// lockout: it stops one address from spraying passwords across many accounts, or keeping many of them locked).
/// Only failures count, so people signing in often from one address (an office behind NAT, the tests) are not
/// slowed. Attempts in flight count as failures until they end, so parallel requests cannot overshoot the limit.
/// </summary>
internal sealed class LoginThrottle(IOptions<LoginThrottleOptions> options)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    /// <summary>
    /// Starts an attempt from <paramref name="address"/>; null if it may go on (then <see cref="End"/> must follow),
    /// or how long the address must wait.
    /// </summary>
    public TimeSpan? TryBegin(string address, DateTimeOffset now)
    {
        var limit = options.Value.FailedLoginsPerMinutePerAddress;
        lock (_lock)
        {
            Sweep(now);
            if (!_buckets.TryGetValue(address, out var bucket))
            {
                _buckets[address] = bucket = new Bucket();
            }

            bucket.Expire(now);
            if (limit > 0 && bucket.Failures.Count + bucket.Pending >= limit)
            {
                // Free again when the oldest failure leaves the window (at least a second: Retry-After is in seconds).
                var wait = bucket.Failures.Count > 0 ? bucket.Failures.Peek() + Window - now : TimeSpan.Zero;
                return wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait;
            }

            bucket.Pending++;
            return null;
        }
    }

    /// <summary>Ends an attempt begun by <see cref="TryBegin"/>; true when this failure made the address reach the limit.</summary>
    public bool End(string address, DateTimeOffset now, bool failed)
    {
        var limit = options.Value.FailedLoginsPerMinutePerAddress;
        lock (_lock)
        {
            if (!_buckets.TryGetValue(address, out var bucket))
            {
                _buckets[address] = bucket = new Bucket();
            }

            bucket.Pending = Math.Max(0, bucket.Pending - 1);
            if (!failed)
            {
                return false;
            }

            bucket.Expire(now);
            bucket.Failures.Enqueue(now);
            return limit > 0 && bucket.Failures.Count == limit;
        }
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

    // Forget addresses with nothing left in the window, at most once a minute, so the table stays small.
    private void Sweep(DateTimeOffset now)
    {
        if (now >= _lastSweep && now < _lastSweep + Window)
        {
            return;
        }

        _lastSweep = now;
        foreach (var (address, bucket) in _buckets.ToList())
        {
            bucket.Expire(now);
            if (bucket.Pending == 0 && bucket.Failures.Count == 0)
            {
                _buckets.Remove(address);
            }
        }
    }

    private sealed class Bucket
    {
        /// <summary>Times of the failures in the window, oldest first (at most the limit of them).</summary>
        public Queue<DateTimeOffset> Failures { get; private set; } = new();

        public int Pending { get; set; }

        public void Expire(DateTimeOffset now)
        {
            // Failures "in the future" go too: a clock set back (tests move theirs) must not block an address for ever.
            if (Failures.Any(f => f <= now - Window || f > now))
            {
                Failures = new Queue<DateTimeOffset>(Failures.Where(f => f > now - Window && f <= now));
            }
        }
    }
}
