namespace BudgetEval.Tests.Infrastructure;

/// <summary>A TimeProvider the tests can move (Microsoft.Extensions.TimeProvider.Testing does not restore here).</summary>
internal sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;

    public void Set(DateTimeOffset to) => _now = to;
}
