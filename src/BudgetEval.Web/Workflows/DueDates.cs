using BudgetEval.Web.Shared;
using BudgetEval.Web.Workflows.Definitions;

namespace BudgetEval.Web.Workflows;

/// <summary>Turns a state's due rule and reminder policy into instants, in the product's civil time zone.</summary>
internal sealed class DueDates(IWorkingCalendar calendar, ChinaClock china)
{
    /// <summary>Reminders go out in the morning of their day, not at midnight.</summary>
    private static readonly TimeSpan ReminderHour = TimeSpan.FromHours(9);

    public DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(china.ToLocal(now).DateTime);

    /// <summary>A due date means "by the end of that day": the instant is the next local midnight.</summary>
    public DateTimeOffset? DueAt(DueRule? rule, DateOnly? planDeadline, DateTimeOffset now)
    {
        DateOnly? day = rule?.Kind switch
        {
            DueRuleKind.PlanDeadline => planDeadline,
            DueRuleKind.WorkingDaysAfterEntry => calendar.AddWorkingDays(Today(now), rule.WorkingDays),
            _ => null,
        };
        return day is { } d ? LocalInstant(d.AddDays(1), TimeSpan.Zero) : null;
    }

    /// <summary>The first reminder still ahead, or the due instant itself once every advance reminder has passed.</summary>
    public DateTimeOffset? FirstReminderAt(ReminderPolicy? policy, DateTimeOffset? dueAt, DateTimeOffset now)
    {
        if (policy is null || dueAt is null)
        {
            return null;
        }

        var dueDay = DateOnly.FromDateTime(china.ToLocal(dueAt.Value).DateTime).AddDays(-1);
        var next = policy.DaysBefore.OrderDescending()
            .Select(d => LocalInstant(dueDay.AddDays(-d), ReminderHour))
            .FirstOrDefault(at => at > now);
        if (next != default)
        {
            return next;
        }

        return policy.OverdueEvery is null ? null : dueAt;
    }

    private DateTimeOffset LocalInstant(DateOnly day, TimeSpan time)
    {
        var local = day.ToDateTime(TimeOnly.FromTimeSpan(time));
        return new DateTimeOffset(local, china.Zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
