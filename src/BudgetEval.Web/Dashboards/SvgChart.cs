using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace BudgetEval.Web.Dashboards;

/// <summary>
/// Draws a <see cref="Chart"/> as inline SVG on the server: no script (the CSP forbids inline script and
/// there is no CDN), presentation attributes only (no style attributes), a &lt;title&gt; on the chart and
/// on every bar or point for screen readers and tooltips, values written on the bars. Every text colour is at least
/// 4.5:1 against what it is drawn on (<see cref="ChartContrast"/>): #1d2939 14.70:1 and #667085 4.97:1 on the white card.
/// </summary>
internal static class SvgChart
{
    // Sized for two charts side by side in the 1200px layout, so the browser draws them at about 1:1.
    private const int Width = 540;
    private const int LabelWidth = 150;
    private const int RowHeight = 30;
    private const int BarHeight = 20;
    private const int LegendHeight = 26;
    private const int ValueRoom = 56;
    private const int StackedValueRoom = 110;
    private const string Font = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif";

    // A dashboard's charts are shared by every request until they are recounted (FigureReader), so each is drawn
    // once, not on every page view. Keyed by reference: a chart built anew (or copied with `with`) is drawn anew,
    // and a drawing goes with its chart.
    private static readonly ConditionalWeakTable<Chart, IHtmlContent> Drawn = new();

    public static IHtmlContent Render(Chart chart) => Drawn.GetValue(chart, c => new HtmlString(c.Kind == ChartKind.Line ? Line(c) : Bars(c)));

    private static string Bars(Chart chart)
    {
        var plotted = chart.Series.Where(s => s.Plot).ToList();
        var legend = plotted.Count > 1;
        var top = legend ? LegendHeight + 6 : 6;
        var height = top + Math.Max(1, chart.Labels.Count) * RowHeight + 8;
        var plotWidth = Width - LabelWidth - (chart.Kind == ChartKind.StackedBar ? StackedValueRoom : ValueRoom);
        var totals = chart.Labels.Select((_, i) => chart.Kind == ChartKind.StackedBar ? plotted.Sum(s => s.Values[i] ?? 0) : plotted.Max(s => s.Values[i] ?? 0)).ToList();
        var max = totals.Count == 0 ? 0 : totals.Max();
        var sb = Open(chart, height);
        if (legend)
        {
            Legend(sb, plotted);
        }

        if (chart.Labels.Count == 0)
        {
            Text(sb, LabelWidth, top + 18, "暂无数据", "#667085", "start");
        }

        for (var i = 0; i < chart.Labels.Count; i++)
        {
            var y = top + (i * RowHeight);
            Text(sb, LabelWidth - 8, y + 15, Short(chart.Labels[i], 11), "#1d2939", "end", chart.Labels[i]);
            var x = (double)LabelWidth;
            var overlay = chart.Series.Where(s => !s.Plot && s.Values[i] is > 0).Select(s => $"{s.Name}{s.Show(s.Values[i])}").ToList();
            for (var k = 0; k < plotted.Count; k++)
            {
                var series = plotted[k];
                var value = series.Values[i] ?? 0;
                var w = max == 0 ? 0 : (double)(value / max) * plotWidth;
                var start = chart.Kind == ChartKind.Funnel ? LabelWidth + ((plotWidth - w) / 2) : x;
                var color = series.Color ?? ChartPalette.Series[k % ChartPalette.Series.Count];
                sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{N(start)}\" y=\"{y + 3}\" width=\"{N(w)}\" height=\"{BarHeight}\" fill=\"{color}\" data-label=\"{E(chart.Labels[i])}\" data-series=\"{E(series.Name)}\" data-value=\"{series.Show(value)}\">");
                sb.Append(CultureInfo.InvariantCulture, $"<title>{E(chart.Labels[i])} · {E(series.Name)}：{series.Show(value)}</title></rect>");
                if (chart.Kind == ChartKind.StackedBar)
                {
                    // A segment too narrow for its number keeps it in the tooltip and the table.
                    if (value > 0 && Fits(series.Show(value)!, w))
                    {
                        Text(sb, start + (w / 2), y + 17, series.Show(value)!, ChartContrast.OnFill(color), "middle");
                    }

                    x += w;
                }
                else if (chart.Kind == ChartKind.Funnel)
                {
                    // On the bar in a colour readable there; beside it, on the card, when it would spill over the bar's ends.
                    var shown = series.Show(value)!;
                    if (Fits(shown, w))
                    {
                        Text(sb, LabelWidth + (plotWidth / 2.0), y + 17, shown, ChartContrast.OnFill(color), "middle");
                    }
                    else
                    {
                        Text(sb, start + w + 4, y + 17, shown, ChartContrast.Ink, "start");
                    }
                }
                else
                {
                    Text(sb, start + w + 4, y + 17, series.Show(value) + (series.Name.Contains('%') ? "%" : string.Empty), "#1d2939", "start");
                }
            }

            if (chart.Kind == ChartKind.StackedBar)
            {
                var label = Chart.Format(totals[i]) + (overlay.Count > 0 ? "（" + string.Join("，", overlay) + "）" : string.Empty);
                Text(sb, x + 4, y + 17, label, "#1d2939", "start");
            }
        }

        return sb.Append("</svg>").ToString();
    }

    private static string Line(Chart chart)
    {
        var plotted = chart.Series.Where(s => s.Plot).ToList();
        const int height = 300;
        const int left = 50, right = 30, bottom = 40;
        var top = LegendHeight + 16;
        var plotWidth = Width - left - right;
        var plotHeight = height - top - bottom;
        var max = Math.Max(100m, plotted.SelectMany(s => s.Values).Max() ?? 0);
        var sb = Open(chart, height);
        Legend(sb, plotted);
        for (var tick = 0; tick <= 4; tick++)
        {
            var value = max * tick / 4;
            var y = top + plotHeight - ((double)(value / max) * plotHeight);
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{left + plotWidth}\" y1=\"{N(y)}\" y2=\"{N(y)}\" stroke=\"#d9dee7\"/>");
            Text(sb, left - 6, y + 4, Chart.Format(value)!, "#667085", "end");
        }

        double X(int i) => left + (chart.Labels.Count == 1 ? plotWidth / 2.0 : i * (plotWidth / (double)(chart.Labels.Count - 1)));
        double Y(decimal v) => top + plotHeight - ((double)(v / max) * plotHeight);
        for (var i = 0; i < chart.Labels.Count; i++)
        {
            Text(sb, X(i), height - bottom + 20, chart.Labels[i], "#1d2939", "middle");
        }

        if (chart.Labels.Count == 0)
        {
            Text(sb, left + 10, top + 20, "暂无数据", "#667085", "start");
        }

        for (var k = 0; k < plotted.Count; k++)
        {
            var series = plotted[k];
            var color = series.Color ?? ChartPalette.Series[k % ChartPalette.Series.Count];
            var points = series.Values.Select((v, i) => (v, i)).Where(p => p.v is not null).Select(p => $"{N(X(p.i))},{N(Y(p.v!.Value))}").ToList();
            if (points.Count > 1)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{string.Join(' ', points)}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"/>");
            }

            for (var i = 0; i < series.Values.Count; i++)
            {
                if (series.Values[i] is not { } v)
                {
                    continue;
                }

                sb.Append(CultureInfo.InvariantCulture, $"<circle class=\"point\" cx=\"{N(X(i))}\" cy=\"{N(Y(v))}\" r=\"4\" fill=\"{color}\" data-label=\"{E(chart.Labels[i])}\" data-series=\"{E(series.Name)}\" data-value=\"{series.Show(v)}\">");
                sb.Append(CultureInfo.InvariantCulture, $"<title>{E(chart.Labels[i])} · {E(series.Name)}：{series.Show(v)}</title></circle>");
                Text(sb, X(i), Y(v) - (k % 2 == 0 ? 8 : -16), series.Show(v)!, ChartContrast.OnCard(color), "middle");
            }
        }

        return sb.Append("</svg>").ToString();
    }

    private static StringBuilder Open(Chart chart, int height)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"chart-{chart.Key}-title\" data-chart=\"{chart.Key}\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\" font-family=\"{Font}\" font-size=\"13\">");
        sb.Append(CultureInfo.InvariantCulture, $"<title id=\"chart-{chart.Key}-title\">{E(chart.Title)}</title>");
        return sb;
    }

    private static void Legend(StringBuilder sb, IReadOnlyList<ChartSeries> plotted)
    {
        var x = 10.0;
        for (var k = 0; k < plotted.Count; k++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(x)}\" y=\"6\" width=\"12\" height=\"12\" fill=\"{plotted[k].Color ?? ChartPalette.Series[k % ChartPalette.Series.Count]}\"/>");
            Text(sb, x + 16, 17, plotted[k].Name, "#1d2939", "start");
            x += 34 + (plotted[k].Name.Length * 13);
        }
    }

    private static void Text(StringBuilder sb, double x, double y, string text, string color, string anchor, string? tooltip = null) =>
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x)}\" y=\"{N(y)}\" fill=\"{color}\" text-anchor=\"{anchor}\">{(tooltip is null ? string.Empty : "<title>" + E(tooltip) + "</title>")}{E(text)}</text>");

    // Digits at 13px are about 7.5px wide: room for the number plus a little margin on each side.
    private static bool Fits(string text, double width) => width >= (text.Length * 8) + 6;

    private static string Short(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string N(double value) => Math.Round(value, 1).ToString(CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
