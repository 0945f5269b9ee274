namespace BudgetEval.Web.Workflows;

/// <summary>Working days for due dates and reminders; implemented by the admin-maintained holiday calendar (Calendar/HolidayCalendar).</summary>
internal interface IWorkingCalendar
{
    bool IsWorkingDay(DateOnly date);

    /// <summary>The date N working days after <paramref name="from"/> (from itself does not count).</summary>
    DateOnly AddWorkingDays(DateOnly from, int days)
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
