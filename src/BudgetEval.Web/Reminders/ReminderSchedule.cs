using BudgetEval.Web.Shared;
using BudgetEval.Web.Workflows;
using BudgetEval.Web.Workflows.Definitions;

namespace BudgetEval.Web.Reminders;

internal enum ReminderKind
{
    Before,
    DueDay,
    Overdue,
    Escalation,
}

/// <summary>One reminder a work item is owed on a day. Stage is the ledger's key part.</summary>
/// <param name="LedgerDay">The day the reminder ledger records it under, when not the day it is sent: an escalation is
/// owed once, on its threshold day, however late it is sent.</param>
internal sealed record ReminderStage(string Stage, ReminderKind Kind, int OverdueWorkingDays, string? EscalateTo, DateOnly? LedgerDay = null);

/// <summary>
/// A state's reminder policy as days on the working-day calendar (Asia/Shanghai):
/// "N days before" counts working days back from the due day, so no advance reminder falls on a holiday
/// and a 调休 Saturday counts; the due day itself always gets one; after it, every working day gets an
/// overdue reminder (overdueEvery: workingDay) and the N-th overdue working day escalates once to the
/// role named. Reminders go out at 09:00 local time.
/// </summary>
internal sealed class ReminderSchedule(IWorkingCalendar calendar, ChinaClock china)
{
    public static readonly TimeSpan ReminderHour = TimeSpan.FromHours(9);

    public const string DueStage = "due";
    public const string OverdueStage = "overdue";

    /// <summary>A due instant is the midnight ending the due day; this is that day.</summary>
    public DateOnly DueDay(DateTimeOffset dueAt) => DateOnly.FromDateTime(china.ToLocal(dueAt).DateTime).AddDays(-1);

    public DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(china.ToLocal(now).DateTime);

    public DateTimeOffset At(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.FromTimeSpan(ReminderHour));
        return new DateTimeOffset(local, china.Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>The reminders owed on <paramref name="day"/>.</summary>
    public IReadOnlyList<ReminderStage> StagesOn(ReminderPolicy policy, DateOnly dueDay, DateOnly day)
    {
        var stages = new List<ReminderStage>();
        if (day < dueDay)
        {
            if (calendar.IsWorkingDay(day))
            {
                stages.AddRange(policy.DaysBefore.Where(n => WorkingDaysBefore(dueDay, n) == day)
                    .Select(n => new ReminderStage($"before-{n}", ReminderKind.Before, 0, null)));
            }
        }
        else if (day == dueDay)
        {
            stages.Add(new ReminderStage(DueStage, ReminderKind.DueDay, 0, null));
        }
        else if (calendar.IsWorkingDay(day))
        {
            var overdue = OverdueWorkingDays(dueDay, day);
            if (policy.OverdueEvery is not null)
            {
                stages.Add(new ReminderStage(OverdueStage, ReminderKind.Overdue, overdue, null));
            }

            // ≥, not ==: a task that was never swept on its threshold day (its deadline moved into the past, or it
            // started overdue) still escalates. Recorded under the threshold day, so it goes out once.
            stages.AddRange(policy.Escalate.Where(e => overdue >= e.AfterWorkingDays)
                .Select(e => new ReminderStage($"escalate-{e.To}", ReminderKind.Escalation, overdue, e.To, OverdueWorkingDay(dueDay, e.AfterWorkingDays))));
        }

        return stages;
    }

    /// <summary>The first day after <paramref name="day"/> that owes a reminder, or null when none ever will.</summary>
    public DateOnly? NextDayAfter(ReminderPolicy policy, DateOnly dueDay, DateOnly day)
    {
        // Advance reminders and the due day are all on or before the due day, so the earliest still ahead wins.
        var ahead = policy.DaysBefore.Select(n => WorkingDaysBefore(dueDay, n)).Append(dueDay).Where(d => d > day).ToList();
        if (ahead.Count > 0)
        {
            return ahead.Min();
        }

        var lastEscalation = policy.Escalate.Count == 0 ? 0 : policy.Escalate.Max(e => e.AfterWorkingDays);
        var overdue = day > dueDay ? OverdueWorkingDays(dueDay, day) : 0;
        // Bounded so a calendar with an absurd run of holidays cannot hang the sweep.
        var start = day > dueDay ? day : dueDay;
        for (var d = start.AddDays(1); d <= start.AddDays(400); d = d.AddDays(1))
        {
            if (policy.OverdueEvery is null && overdue >= lastEscalation)
            {
                return null;
            }

            if (!calendar.IsWorkingDay(d))
            {
                continue;
            }

            overdue++;
            if (policy.OverdueEvery is not null || policy.Escalate.Any(e => e.AfterWorkingDays == overdue))
            {
                return d;
            }
        }

        return null;
    }

    /// <summary>The first reminder instant after <paramref name="now"/>: what a new work item starts with.</summary>
    public DateTimeOffset? FirstAfter(ReminderPolicy? policy, DateTimeOffset? dueAt, DateTimeOffset now)
    {
        if (policy is null || dueAt is null)
        {
            return null;
        }

        var dueDay = DueDay(dueAt.Value);
        var today = Today(now);

        // Today still counts if its 09:00 has not passed yet.
        var day = At(today) > now && StagesOn(policy, dueDay, today).Count > 0 ? today : NextDayAfter(policy, dueDay, today);
        if (day is null && today > dueDay && policy.Escalate.Count > 0)
        {
            // Already past every escalation threshold when the task starts: its escalations go out on the next
            // working day instead of never.
            day = Enumerable.Range(1, 400).Select(n => today.AddDays(n)).FirstOrDefault(calendar.IsWorkingDay);
        }

        return day is { } d && d != default ? At(d) : null;
    }

    /// <summary>The working day <paramref name="n"/> working days before <paramref name="dueDay"/>.</summary>
    public DateOnly WorkingDaysBefore(DateOnly dueDay, int n)
    {
        var d = dueDay;
        while (n > 0)
        {
            d = d.AddDays(-1);
            if (calendar.IsWorkingDay(d))
            {
                n--;
            }
        }

        return d;
    }

    /// <summary>The date of the <paramref name="n"/>-th working day after <paramref name="dueDay"/>.</summary>
    public DateOnly OverdueWorkingDay(DateOnly dueDay, int n)
    {
        var d = dueDay;
        while (n > 0)
        {
            d = d.AddDays(1);
            if (calendar.IsWorkingDay(d))
            {
                n--;
            }
        }

        return d;
    }

    /// <summary>Working days in (dueDay, day].</summary>
    public int OverdueWorkingDays(DateOnly dueDay, DateOnly day)
    {
        var count = 0;
        for (var d = dueDay.AddDays(1); d <= day; d = d.AddDays(1))
        {
            if (calendar.IsWorkingDay(d))
            {
                count++;
            }
        }

        return count;
    }
}
