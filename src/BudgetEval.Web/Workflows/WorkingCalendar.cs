namespace BudgetEval.Web.Workflows;

/// <summary>Working days for due dates and escalations. The Chinese holiday calendar (with 调休 make-up days) replaces the weekday rule later.</summary>
internal interface IWorkingCalendar
{
    bool IsWorkingDay(DateOnly date);

    /// <summary>The date N working days after <paramref name="from"/> (from itself does not count).</summary>
    DateOnly AddWorkingDays(DateOnly from, int days);
}

/// <summary>Monday to Friday; a stand-in until admins maintain the holiday calendar.</summary>
internal sealed class WeekdayCalendar : IWorkingCalendar
{
    public bool IsWorkingDay(DateOnly date) => date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    public DateOnly AddWorkingDays(DateOnly from, int days)
    {
        var date = from;
        while (days > 0)
        {
            date = date.AddDays(1);
            if (IsWorkingDay(date))
            {
                days--;
            }
        }

        return date;
    }
}
