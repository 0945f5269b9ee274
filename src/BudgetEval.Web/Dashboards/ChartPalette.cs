namespace BudgetEval.Web.Dashboards;

/// <summary>
/// The charts' colours, named once. Each is at least 3:1 against the white card, as WCAG 2.1 1.4.11 asks of the
/// graphics a reader needs (a bar, a line, a legend swatch); orange and grey were #f79009 (2.35:1) and #98a2b3
/// (2.58:1) until they were darkened just enough to pass and still carry the ink colour's text at 4.5:1.
/// </summary>
internal static class ChartPalette
{
    public const string Navy = "#1f4e8c";
    public const string Blue = "#2e90fa";
    public const string Orange = "#e07004";
    public const string Green = "#067647";
    public const string Red = "#b42318";
    public const string Purple = "#7a5af8";
    public const string Grey = "#8a93a5";

    /// <summary>WCAG 2.1 1.4.11, non-text contrast.</summary>
    public const double GraphicsMinimum = 3.0;

    /// <summary>The order series take when a chart names no colour.</summary>
    public static readonly IReadOnlyList<string> Series = [Navy, Blue, Orange, Green, Red, Purple, Grey];
}
