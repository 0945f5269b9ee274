using System.Globalization;

namespace BudgetEval.Web.Dashboards;

/// <summary>
/// Text colours for the server-drawn charts that meet WCAG 2.1 AA (GB/T 37668) contrast, 4.5:1 for normal-size text.
/// The palette's lighter bars (blue #2e90fa 3.24:1, orange #e07004 3.24:1, grey #8a93a5 3.09:1 against white) cannot carry white numbers,
/// and a line chart's value written in the series colour on the white card would be as faint for those colours.
/// </summary>
internal static class ChartContrast
{
    /// <summary>WCAG AA for text below 18pt (the charts draw at 13px).</summary>
    public const double Minimum = 4.5;

    /// <summary>The chart cards' background (.card in site.css).</summary>
    public const string Card = "#ffffff";

    /// <summary>The page's text colour: 14.70:1 on white.</summary>
    public const string Ink = "#1d2939";

    /// <summary>White on a bar dark enough for it (#1f4e8c 8.31:1, #b42318 6.57:1, #067647 5.69:1), else the ink colour.</summary>
    public static string OnFill(string fill)
    {
        if (Ratio("#ffffff", fill) >= Minimum)
        {
            return "#ffffff";
        }

        // Blue 4.54:1, orange 4.54:1, grey 4.76:1 with the ink colour; black for a mid-tone neither white nor ink suits.
        return Ratio(Ink, fill) >= Minimum ? Ink : "#000000";
    }

    /// <summary>
    /// The series colour itself when it reads on the card, else that colour darkened just enough (keeping its hue,
    /// so a value still matches its line): orange becomes a brown of at least 4.5:1.
    /// </summary>
    public static string OnCard(string color)
    {
        var (r, g, b) = Rgb(color);
        for (var step = 0; step < 40 && Ratio(Hex(r, g, b), Card) < Minimum; step++)
        {
            (r, g, b) = ((int)(r * 0.95), (int)(g * 0.95), (int)(b * 0.95));
        }

        return Hex(r, g, b);
    }

    /// <summary>The WCAG 2.1 contrast ratio of two #rrggbb colours, from 1 to 21.</summary>
    public static double Ratio(string a, string b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    private static double Luminance(string color)
    {
        var (r, g, b) = Rgb(color);
        static double Channel(int v)
        {
            var c = v / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        return (0.2126 * Channel(r)) + (0.7152 * Channel(g)) + (0.0722 * Channel(b));
    }

    private static (int R, int G, int B) Rgb(string color)
    {
        var hex = color.TrimStart('#');
        if (hex.Length != 6)
        {
            throw new ArgumentException($"expected #rrggbb, got {color}", nameof(color));
        }

        int Part(int at) => int.Parse(hex.AsSpan(at, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return (Part(0), Part(2), Part(4));
    }

    private static string Hex(int r, int g, int b) => string.Create(CultureInfo.InvariantCulture, $"#{r:x2}{g:x2}{b:x2}");
}
