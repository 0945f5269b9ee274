namespace BudgetEval.Web.Shared;

/// <summary>
/// The dates the product deals with: deadlines of a budget cycle lie between 2000 and 2100. A date outside
/// (a typo such as 0202 or 9999) is refused with the field's name instead of being saved.
/// </summary>
internal static class DateRange
{
    public static readonly DateOnly Min = new(2000, 1, 1);
    public static readonly DateOnly Max = new(2100, 12, 31);

    /// <summary>A fiscal year the product accepts (the years of <see cref="Min"/> to <see cref="Max"/>).</summary>
    public static bool IsYear(int? year) => year is { } y && y >= Min.Year && y <= Max.Year;

    /// <summary>The typed date keeps its digits (0202 shows the typo); the bounds read as the page's dates do.</summary>
    public static string? Problem(string label, DateOnly? date) =>
        date is { } d && (d < Min || d > Max) ? $"「{label}」{d:yyyy-MM-dd} 超出范围，应在{ChineseFormat.Date(Min)}至{ChineseFormat.Date(Max)}之间。" : null;
}
