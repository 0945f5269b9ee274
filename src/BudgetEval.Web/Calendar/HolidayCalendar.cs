using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Calendar;

/// <summary>
/// Working days per the admin-maintained holiday calendar: Monday–Friday unless the table says a day is
/// a holiday, and a weekend day that the table lists as 调休 is a working day.
/// The whole table is a few hundred rows, so it is read at once and kept for a short while: an import
/// on this node clears the copy at once, other nodes see it within <see cref="Lifetime"/>.
/// </summary>
internal sealed class HolidayCalendar(IServiceScopeFactory scopes, TimeProvider clock) : IWorkingCalendar
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private Snapshot? _snapshot;

    public bool IsWorkingDay(DateOnly date) => Current().Days.TryGetValue(date, out var kind)
        ? kind == CalendarDayKind.Workday
        : date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>Drops the cached copy (after an import on this node).</summary>
    public void Invalidate()
    {
        lock (_gate)
        {
            _snapshot = null;
        }
    }

    private Snapshot Current()
    {
        var now = clock.GetTimestamp();
        var snapshot = _snapshot;
        if (snapshot is not null && clock.GetElapsedTime(snapshot.LoadedAt, now) < Lifetime)
        {
            return snapshot;
        }

        lock (_gate)
        {
            if (_snapshot is { } again && clock.GetElapsedTime(again.LoadedAt, now) < Lifetime)
            {
                return again;
            }

            // Synchronous on purpose: IWorkingCalendar is called from synchronous date arithmetic, and this
            // runs once per Lifetime per node on a tiny table.
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var days = db.CalendarDays.AsNoTracking().ToDictionary(d => d.Date, d => d.Kind);
            _snapshot = new Snapshot(days, now);
            return _snapshot;
        }
    }

    private sealed record Snapshot(IReadOnlyDictionary<DateOnly, CalendarDayKind> Days, long LoadedAt);
}
