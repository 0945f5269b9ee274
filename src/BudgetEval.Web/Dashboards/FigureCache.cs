using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace BudgetEval.Web.Dashboards;

internal sealed class DashboardOptions
{
    public const string Section = "Dashboards";

    /// <summary>How long the bureau dashboard's figures are reused on a node; 0 computes them on every view.</summary>
    public int CacheSeconds { get; set; } = 30;
}

/// <summary>
/// The bureau dashboard aggregates the whole province (over a million self-evaluations), which costs
/// seconds of database time; at 64 concurrent viewers nothing would ever answer. Each node therefore
/// reuses a filter's figures for a short while, and viewers who ask while they are being computed wait
/// for that one computation instead of starting their own. Per node and in memory on purpose: the figures
/// are a view, not state, and the page says when they were computed.
/// </summary>
internal sealed class FigureCache<TKey, TValue>(TimeProvider clock, IOptions<DashboardOptions> options)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Lazy<Task<(DateTimeOffset At, TValue Value)>>> _entries = new();

    public async Task<(TValue Value, DateTimeOffset At)> GetAsync(TKey key, Func<CancellationToken, Task<TValue>> compute)
    {
        var ttl = TimeSpan.FromSeconds(Math.Max(0, options.Value.CacheSeconds));
        if (ttl == TimeSpan.Zero)
        {
            return (await compute(CancellationToken.None), clock.GetUtcNow());
        }

        while (true)
        {
            // Shared by every waiting viewer, so one viewer leaving must not cancel it for the others.
            var entry = _entries.GetOrAdd(key, _ => new Lazy<Task<(DateTimeOffset, TValue)>>(async () =>
                (clock.GetUtcNow(), await compute(CancellationToken.None))));
            (DateTimeOffset At, TValue Value) result;
            try
            {
                result = await entry.Value;
            }
            catch
            {
                _entries.TryRemove(new KeyValuePair<TKey, Lazy<Task<(DateTimeOffset, TValue)>>>(key, entry));
                throw;
            }

            var age = clock.GetUtcNow() - result.At;
            if (age < ttl && age >= TimeSpan.Zero)
            {
                return (result.Value, result.At);
            }

            _entries.TryRemove(new KeyValuePair<TKey, Lazy<Task<(DateTimeOffset, TValue)>>>(key, entry)); // stale: the next round computes anew
            if (_entries.Count > 1_000)
            {
                _entries.Clear(); // many distinct filters: start over rather than grow
            }
        }
    }
}
