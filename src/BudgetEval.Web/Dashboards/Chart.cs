using System.Globalization;
using System.Runtime.CompilerServices;

namespace BudgetEval.Web.Dashboards;

internal enum ChartKind
{
    /// <summary>One horizontal bar per label (long Chinese labels read better on the left than under a column).</summary>
    Bar,

    /// <summary>Each label's bar split into the plotted series.</summary>
    StackedBar,

    /// <summary>Centred bars narrowing by value: the rectification funnel.</summary>
    Funnel,

    /// <summary>One line per plotted series over the labels (years).</summary>
    Line,
}

/// <summary>
/// One series of a chart. <paramref name="Plot"/> false keeps the column in the table, the export and the
/// API but out of the drawing (e.g. 逾期 cuts across the progress buckets and would be counted twice if stacked).
/// </summary>
/// <paramref name="NumberFormat"/> fixes the decimals where they mean something (整改率 one, scores two); by default
/// a value shows as few as it needs.
internal sealed record ChartSeries(string Name, IReadOnlyList<decimal?> Values, bool Plot = true, string? Color = null, string? NumberFormat = null)
{
    public const string Rate = "0.0";

    public const string Score = "0.00";

    public string? Show(decimal? value) => NumberFormat is null ? Chart.Format(value) : value?.ToString(NumberFormat, CultureInfo.InvariantCulture);
}

/// <summary>
/// The numbers behind one chart. The SVG, the HTML table beside it, the sheet of the .xlsx export and the
/// JSON of the API are all drawn from this one object, so they cannot disagree.
/// </summary>
internal sealed record Chart(string Key, string Title, ChartKind Kind, string LabelHeader, IReadOnlyList<string> Labels, IReadOnlyList<ChartSeries> Series, string? Note = null)
{
    // Built once per chart, as its drawing is (SvgChart): the charts of a dashboard are shared by every request.
    private static readonly ConditionalWeakTable<Chart, IReadOnlyList<IReadOnlyList<string?>>> Tables = new();

    /// <summary>Header row, then one row per label; empty cells where a value is missing.</summary>
    public IReadOnlyList<IReadOnlyList<string?>> Table() => Tables.GetValue(this, static c => c.BuildTable());

    private IReadOnlyList<IReadOnlyList<string?>> BuildTable()
    {
        var rows = new List<IReadOnlyList<string?>> { new[] { LabelHeader }.Concat(Series.Select(s => s.Name)).ToList() };
        for (var i = 0; i < Labels.Count; i++)
        {
            var index = i;
            rows.Add(new[] { Labels[i] }.Concat(Series.Select(s => s.Show(s.Values[index]))).ToList());
        }

        return rows;
    }

    public decimal? Value(string series, string label) =>
        Series.Single(s => s.Name == series).Values[Labels.ToList().IndexOf(label)];

    public static string? Format(decimal? value) => value?.ToString(value % 1 == 0 ? "0" : "0.0#", CultureInfo.InvariantCulture);
}
