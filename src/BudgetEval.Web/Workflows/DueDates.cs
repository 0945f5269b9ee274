using BudgetEval.Web.Reminders;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Workflows.Definitions;

namespace BudgetEval.Web.Workflows;

/// <summary>Turns a state's due rule and reminder policy into instants, in the product's civil time zone.</summary>
internal sealed class DueDates(IWorkingCalendar calendar, ChinaClock china, ReminderSchedule reminders)
{
    public DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(china.ToLocal(now).DateTime);

    /// <summary>A due date means "by the end of that day": the instant is the next local midnight.</summary>
    /// <remarks><paramref name="deadline"/> is the plan's deadline, or the subject's own for <c>subjectDeadline</c> (see <see cref="WorkflowEngine.DeadlineForAsync"/>).</remarks>
    public DateTimeOffset? DueAt(DueRule? rule, DateOnly? deadline, DateTimeOffset now)
    {
        DateOnly? day = rule?.Kind switch
        {
            DueRuleKind.PlanDeadline or DueRuleKind.SubjectDeadline => deadline,
            DueRuleKind.WorkingDaysAfterEntry => calendar.AddWorkingDays(Today(now), rule.WorkingDays),
            _ => null,
        };
        return day is { } d ? LocalMidnight(d.AddDays(1)) : null;
    }

    /// <summary>
    /// A finding's rectification deadline when none is given: <see cref="Findings.FindingLabels.DefaultDeadlineDays"/> days
    /// after <paramref name="today"/>, moved on to the next working day, so it never falls on a weekend or in a holiday
    /// (a 整改 due on 劳动节 was reminded "今日到期" on a day off).
    /// </summary>
    public DateOnly DefaultRectificationDeadline(DateOnly today) =>
        calendar.AddWorkingDays(today.AddDays(Findings.FindingLabels.DefaultDeadlineDays - 1), 1); // the day itself if it is a working day

    /// <summary>The civil day a due instant ends.</summary>
    public DateOnly DueDay(DateTimeOffset dueAt) => reminders.DueDay(dueAt);

    /// <summary>The first reminder still ahead (the reminder sweep takes it from there).</summary>
    public DateTimeOffset? FirstReminderAt(ReminderPolicy? policy, DateTimeOffset? dueAt, DateTimeOffset now) =>
        reminders.FirstAfter(policy, dueAt, now);

    private DateTimeOffset LocalMidnight(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, china.Zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
