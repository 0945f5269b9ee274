using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Dashboards;
using Microsoft.Extensions.Options;

namespace BudgetEval.Tests.Dashboards;

/// <summary>The bureau dashboard's short reuse of figures: one computation for concurrent viewers, fresh after the interval.</summary>
public sealed class FigureCacheTests
{
    private static FigureCache<string, int> Cache(TestClock clock, int seconds) =>
        new(clock, Options.Create(new DashboardOptions { CacheSeconds = seconds }));

    [Fact]
    public async Task Given_many_viewers_at_once_When_figures_are_asked_Then_they_are_computed_once_and_again_after_the_interval()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero));
        var cache = Cache(clock, 30);
        var computed = 0;
        var gate = new TaskCompletionSource();
        async Task<int> Compute(CancellationToken ct)
        {
            Interlocked.Increment(ref computed);
            await gate.Task;
            return computed;
        }

        var viewers = Enumerable.Range(0, 64).Select(_ => cache.GetAsync("2025", Compute)).ToList();
        gate.SetResult();
        var answers = await Task.WhenAll(viewers);
        Assert.Equal(1, computed);
        Assert.All(answers, a => Assert.Equal(1, a.Value));

        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(1, (await cache.GetAsync("2025", Compute)).Value);
        Assert.Equal(2, (await cache.GetAsync("2024", Compute)).Value); // another filter is its own entry
        clock.Advance(TimeSpan.FromSeconds(2));
        var fresh = await cache.GetAsync("2025", Compute);
        Assert.Equal(3, fresh.Value);
        Assert.Equal(clock.GetUtcNow(), fresh.At);
    }

    [Fact]
    public async Task Given_a_failed_computation_or_no_interval_When_asked_again_Then_it_is_computed_anew()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero));
        var failing = Cache(clock, 30);
        var calls = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.GetAsync("x", _ => ++calls == 1 ? throw new InvalidOperationException("db down") : Task.FromResult(calls)));
        Assert.Equal(2, (await failing.GetAsync("x", _ => Task.FromResult(++calls))).Value);

        var off = Cache(clock, 0);
        var n = 0;
        Assert.Equal(1, (await off.GetAsync("x", _ => Task.FromResult(++n))).Value);
        Assert.Equal(2, (await off.GetAsync("x", _ => Task.FromResult(++n))).Value);
    }
}
