namespace BudgetEval.Web.Infrastructure.Hosting;

/// <summary>
/// The system clock moved to another start (then running at normal speed). Only for the Testing
/// environment: fault tests run the app as a separate process and need, say, a working day's morning so
/// that reminders fall due, without waiting for one.
/// </summary>
internal sealed class ShiftedTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly TimeSpan _shift = start - System.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _shift;
}
