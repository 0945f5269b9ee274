namespace BudgetEval.Tests.Infrastructure;

/// <summary>A TimeProvider the tests can move (Microsoft.Extensions.TimeProvider.Testing does not restore here).</summary>
internal sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;

    public void Set(DateTimeOffset to) => _now = to;

    /// <summary>Runs <paramref name="body"/> with the clock moved on by <paramref name="by"/>, and moves it back after, whatever happens.</summary>
    public async Task LaterAsync(TimeSpan by, Func<Task> body)
    {
        Advance(by);
        try
        {
            await body();
        }
        finally
        {
            Advance(-by);
        }
    }
}
