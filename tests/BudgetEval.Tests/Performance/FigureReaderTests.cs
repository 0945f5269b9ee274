using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace BudgetEval.Tests.Performance;

/// <summary>
/// Bureau-wide figures, stale-while-revalidate: one computation for concurrent first viewers; later views
/// never wait; one background refresh when the value is older than the age; failures keep the last value.
/// </summary>
public sealed class FigureReaderTests
{
    private static readonly TimeSpan Age = TimeSpan.FromSeconds(30);

    private static FigureReader<string, int> Reader(TestClock clock) =>
        new(new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>(), clock, NullLogger<FigureReader<string, int>>.Instance);

    private static TestClock Clock() => new(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Given_many_first_viewers_at_once_When_figures_are_asked_Then_they_are_computed_once_and_all_get_that_value()
    {
        var clock = Clock();
        var reader = Reader(clock);
        var computed = 0;
        var gate = new TaskCompletionSource();
        async Task<int> Compute(IServiceProvider services, CancellationToken ct)
        {
            Interlocked.Increment(ref computed);
            await gate.Task;
            return 7;
        }

        var viewers = Enumerable.Range(0, 64).Select(_ => reader.GetAsync("2025", Age, Compute)).ToList();
        gate.SetResult();
        var answers = await Task.WhenAll(viewers);
        Assert.Equal(1, computed);
        Assert.All(answers, a => Assert.Equal((7, clock.GetUtcNow()), a));
        Assert.Equal(1, (await reader.GetAsync("2024", Age, (_, _) => Task.FromResult(1))).Value); // another key is its own figure
    }

    [Fact]
    public async Task Given_a_stale_value_When_viewers_ask_Then_they_get_it_at_once_and_one_background_refresh_replaces_it()
    {
        var clock = Clock();
        var reader = Reader(clock);
        var computed = 0;
        var gate = new TaskCompletionSource();
        Task<int> First(IServiceProvider services, CancellationToken ct) => Task.FromResult(Interlocked.Increment(ref computed));
        async Task<int> Slow(IServiceProvider services, CancellationToken ct)
        {
            var n = Interlocked.Increment(ref computed);
            await gate.Task;
            return n;
        }

        var start = clock.GetUtcNow();
        Assert.Equal((1, start), await reader.GetAsync("k", Age, First));
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal((1, start), await reader.GetAsync("k", Age, Slow)); // young enough: nothing recounted
        Assert.Equal(1, computed);

        clock.Advance(TimeSpan.FromSeconds(2));
        var refreshedAt = clock.GetUtcNow();
        // 31 s old: every viewer gets the old value without waiting for the (blocked) refresh, and only one refresh runs.
        var views = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => reader.GetAsync("k", Age, Slow)));
        Assert.All(views, v => Assert.Equal((1, start), v));
        Assert.Equal(2, await Eventually.ReadAsync(() => Task.FromResult(Volatile.Read(ref computed)), c => c >= 2));

        gate.SetResult();
        var fresh = await Eventually.ReadAsync(() => reader.GetAsync("k", Age, Slow), v => v.Value == 2);
        Assert.Equal((2, refreshedAt), fresh);
        Assert.Equal(2, Volatile.Read(ref computed));
    }

    [Fact]
    public async Task Given_a_value_not_viewed_for_twice_the_age_When_a_viewer_asks_Then_it_waits_for_the_recount()
    {
        var clock = Clock();
        var reader = Reader(clock);
        var computed = 0;
        Task<int> Count(IServiceProvider services, CancellationToken ct) => Task.FromResult(Interlocked.Increment(ref computed));
        Assert.Equal(1, (await reader.GetAsync("k", Age, Count)).Value);

        // A quiet spell: the last count is 8.5 minutes old, older than the officer's own work since. Shown as
        // it was, the page said 待办 1 above an empty list; it is recounted before it is shown.
        clock.Advance(TimeSpan.FromSeconds(510));
        var view = await reader.GetAsync("k", Age, Count);
        Assert.Equal((2, clock.GetUtcNow()), view);
        Assert.Equal(2, computed);
    }

    [Fact]
    public async Task Given_a_failing_computation_When_asked_Then_a_first_failure_is_thrown_and_retried_and_a_refresh_failure_keeps_the_last_value()
    {
        var clock = Clock();
        var reader = Reader(clock);
        await Assert.ThrowsAsync<InvalidOperationException>(() => reader.GetAsync("x", Age, (_, _) => throw new InvalidOperationException("db down")));
        var start = clock.GetUtcNow();
        Assert.Equal((5, start), await reader.GetAsync("x", Age, (_, _) => Task.FromResult(5)));

        clock.Advance(TimeSpan.FromMinutes(1));
        var failures = 0;
        Assert.Equal((5, start), await reader.GetAsync("x", Age, (_, _) => { Interlocked.Increment(ref failures); throw new InvalidOperationException("db down"); }));
        await Eventually.ReadAsync(() => Task.FromResult(Volatile.Read(ref failures)), f => f == 1);
        // The failed refresh left the old value, and the next view starts another refresh, which succeeds.
        var after = await Eventually.ReadAsync(() => reader.GetAsync("x", Age, (_, _) => Task.FromResult(6)), v => v.Value == 6);
        Assert.Equal((6, clock.GetUtcNow()), after);
    }

    [Fact]
    public async Task Given_no_age_When_asked_Then_every_view_computes()
    {
        var reader = Reader(Clock());
        var n = 0;
        Assert.Equal(1, (await reader.GetAsync("x", TimeSpan.Zero, (_, _) => Task.FromResult(++n))).Value);
        Assert.Equal(2, (await reader.GetAsync("x", TimeSpan.Zero, (_, _) => Task.FromResult(++n))).Value);
    }

    [Fact]
    public async Task Given_a_computation_When_it_runs_Then_it_has_a_scope_of_its_own_and_no_request_context()
    {
        var services = new ServiceCollection().AddScoped<ScopeMarker>().BuildServiceProvider();
        var reader = new FigureReader<string, bool>(services.GetRequiredService<IServiceScopeFactory>(), Clock(), NullLogger<FigureReader<string, bool>>.Instance);
        var outer = services.CreateScope().ServiceProvider.GetRequiredService<ScopeMarker>();
        Ambient.Value = "request";
        var (separate, _) = await reader.GetAsync("x", Age, (sp, _) => Task.FromResult(!ReferenceEquals(sp.GetRequiredService<ScopeMarker>(), outer) && Ambient.Value is null));
        Assert.True(separate);
    }

    private static readonly AsyncLocal<string?> Ambient = new();

    private sealed class ScopeMarker;

}
