using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace BudgetEval.Web.Shared;

/// <summary>Counts shown on the bureau's pages (待办, 首页, 数据看板) are reused for this long before a background refresh.</summary>
internal sealed class FigureOptions
{
    public const string Section = "Figures";

    /// <summary>Age in seconds after which a bureau-wide count is recounted in the background; 0 counts on every view.</summary>
    public int RefreshSeconds { get; set; } = 30;
}

/// <summary>A value and when it was counted (the pages say "统计于 …"); <c>At</c> is null for a live, exact count.</summary>
internal sealed record Counted<T>(T Value, DateTimeOffset? At);

/// <summary>
/// Bureau-wide figures (a province's tens of thousands of open items, a million self-evaluations) cost
/// hundreds of milliseconds to seconds to count, and 64 viewers must not each pay that. Stale-while-revalidate,
/// per node and in memory: a view gets the last value at once; when it is older than the given age, one
/// refresh per key starts in the background (the next views see its result). Only the very first view of a
/// key, and a view of a value older than twice the age (nobody looked for a while), waits, and concurrent first views share that one computation. Nothing here is state: every node
/// counts for itself, a restart counts anew, and the pages say when the figure was counted.
/// Computations run in a DI scope of their own, outside the request (its DbContext and HttpContext are gone
/// by the time a background refresh runs), so they see with the system's scope: use this only for figures
/// whose viewers see everything (the bureau), and put everything the figure depends on into the key.
/// </summary>
internal sealed class FigureReader<TKey, TValue>(IServiceScopeFactory scopes, TimeProvider clock, ILogger<FigureReader<TKey, TValue>> log)
    where TKey : notnull
{
    /// <summary>Distinct keys kept per node (filters of the dashboard, bureau users' queues); beyond, start over.</summary>
    internal const int MaxEntries = 1_000;

    private readonly ConcurrentDictionary<TKey, Entry> _entries = new();

    public async Task<(TValue Value, DateTimeOffset At)> GetAsync(TKey key, TimeSpan maxAge, Func<IServiceProvider, CancellationToken, Task<TValue>> compute)
    {
        if (maxAge <= TimeSpan.Zero)
        {
            return await RunAsync(compute); // switched off: always exact
        }

        if (_entries.Count >= MaxEntries && !_entries.ContainsKey(key))
        {
            _entries.Clear();
        }

        var entry = _entries.GetOrAdd(key, _ => new Entry(RunAsync(compute)));
        (TValue Value, DateTimeOffset At) current;
        try
        {
            current = entry.Latest ?? await entry.First; // shared by every first viewer; one leaving cancels nothing
        }
        catch
        {
            _entries.TryRemove(new KeyValuePair<TKey, Entry>(key, entry)); // the next view tries again
            throw;
        }

        entry.Latest ??= current;
        var age = clock.GetUtcNow() - current.At;
        if (age < maxAge && age >= TimeSpan.Zero)
        {
            return current;
        }

        if (Interlocked.CompareExchange(ref entry.Refreshing, 1, 0) == 0)
        {
            entry.Pending = RefreshAsync(key, entry, compute);
        }

        // Under steady viewing a figure is never much older than maxAge. After a quiet spell (no view for
        // twice that) the last value could be of any age, and the viewer's own recent work missing from it:
        // that viewer waits for the recount instead, as the very first one does.
        if (age >= maxAge * 2 && entry.Pending is { } pending && await pending is { } fresh)
        {
            return fresh;
        }

        return current;
    }

    /// <summary>The refresh; a failure keeps the last value (logged, null returned) and the next view tries again.</summary>
    private async Task<(TValue Value, DateTimeOffset At)?> RefreshAsync(TKey key, Entry entry, Func<IServiceProvider, CancellationToken, Task<TValue>> compute)
    {
        try
        {
            var fresh = await RunAsync(compute);
            entry.Latest = fresh;
            return fresh;
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Recounting the figures {Key} failed; the last ones stay shown", key);
            return null;
        }
        finally
        {
            Volatile.Write(ref entry.Refreshing, 0);
        }
    }

    private Task<(TValue, DateTimeOffset)> RunAsync(Func<IServiceProvider, CancellationToken, Task<TValue>> compute)
    {
        // No request context flows into the computation: it may outlive the request that started it.
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(async () =>
            {
                var at = clock.GetUtcNow();
                await using var scope = scopes.CreateAsyncScope();
                return (await compute(scope.ServiceProvider, CancellationToken.None), at);
            });
        }
    }

    private sealed class Entry(Task<(TValue, DateTimeOffset)> first)
    {
        public readonly Task<(TValue Value, DateTimeOffset At)> First = first;

        private volatile StrongBox<(TValue Value, DateTimeOffset At)>? _latest;

        public int Refreshing;

        /// <summary>The latest refresh started (a viewer of a much older value awaits it).</summary>
        public volatile Task<(TValue Value, DateTimeOffset At)?>? Pending;

        public (TValue Value, DateTimeOffset At)? Latest
        {
            get => _latest?.Value;
            set => _latest = value is { } v ? new StrongBox<(TValue, DateTimeOffset)>(v) : null;
        }
    }
}
