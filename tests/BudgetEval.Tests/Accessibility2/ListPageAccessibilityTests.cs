using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Dashboards;
using BudgetEval.Web.Dashboards;

namespace BudgetEval.Tests.Accessibility2;

/// <summary>
/// The list pages and dashboards with data in them (the dashboards' seeded year): every data table has a caption, and
/// every chart text is at least 4.5:1 against what it is drawn on (WCAG 2.1 AA 1.4.3, GB/T 37668).
/// </summary>
public sealed partial class ListPageAccessibilityTests(SeededYear seeded) : IClassFixture<SeededYear>
{
    [Theory]
    [InlineData("finance", "/inbox")]
    [InlineData("unit", "/inbox")]
    [InlineData("finance", "/inbox/done")]
    [InlineData("finance", "/evaluations?FiscalYear=2025")]
    [InlineData("finance", "/plans")]
    [InlineData("finance", "/findings")]
    [InlineData("finance", "/self-evaluations")]
    [InlineData("finance", "/organisations")]
    [InlineData("finance", "/dashboards")]
    [InlineData("unit", "/dashboards/unit")]
    public async Task Given_a_list_page_with_rows_When_rendered_Then_every_table_has_a_caption(string user, string url)
    {
        using var client = await seeded.App.SignInAsync(user);
        var html = await client.GetStringAsync(url);

        var captions = FormMarkup.TableCaptions(html);
        Assert.NotEmpty(captions);
        Assert.True(captions.All(c => !string.IsNullOrWhiteSpace(c)), $"{url}: {captions.Count(c => c is null)} of {captions.Count} tables without a caption");
    }

    [Fact]
    public async Task Given_the_inbox_When_rendered_Then_the_caption_is_hidden_on_screen_only_and_names_the_table()
    {
        using var finance = await seeded.App.SignInAsync("finance");
        var html = await finance.GetStringAsync("/inbox");

        Assert.Matches("<table class=\"grid stacked\" data-testid=\"inbox\">\\s*<caption class=\"sr-only\">待办事项</caption>", html);
        var css = await finance.GetStringAsync("/css/site.css");
        Assert.Matches("\\.sr-only \\{[^}]*clip: rect\\(0 0 0 0\\)", css); // the class exists and hides visually only
    }

    [Theory]
    [InlineData("finance", "/dashboards")]
    [InlineData("unit", "/dashboards/unit")]
    public async Task Given_the_dashboard_charts_When_drawn_Then_every_label_is_at_least_4_5_to_1_against_its_bar_or_the_card_and_every_bar_3_to_1(string user, string url)
    {
        using var client = await seeded.App.SignInAsync(user);
        var html = await client.GetStringAsync(url);

        var charts = Svg().Matches(html);
        Assert.NotEmpty(charts);
        var checkedOnBars = 0;
        var failures = new List<string>();
        foreach (Match chart in charts)
        {
            var bars = new List<(double X, double Y, double W, double H, string Fill)>();
            foreach (Match m in Element().Matches(chart.Value))
            {
                if (m.Groups["rect"].Success)
                {
                    bars.Add((D(m, "x"), D(m, "y"), D(m, "w"), D(m, "h"), m.Groups["fill"].Value));
                    var barRatio = ChartContrast.Ratio(m.Groups["fill"].Value, ChartContrast.Card);
                    if (barRatio < ChartPalette.GraphicsMinimum)
                    {
                        failures.Add($"{chart.Groups["key"].Value}: bar {m.Groups["fill"].Value} on the card = {barRatio:0.00}:1 (graphics need 3:1)");
                    }

                    continue;
                }

                var (x, y, fill) = (D(m, "tx"), D(m, "ty"), m.Groups["tfill"].Value);
                // The bar under the text's anchor point (values drawn on a bar sit inside it; others are beside it on the card).
                var under = bars.LastOrDefault(b => x >= b.X && x <= b.X + b.W && y >= b.Y && y <= b.Y + b.H);
                var background = under.Fill ?? ChartContrast.Card;
                if (under.Fill is not null)
                {
                    checkedOnBars++;
                }

                var ratio = ChartContrast.Ratio(fill, background);
                if (ratio < ChartContrast.Minimum)
                {
                    failures.Add($"{chart.Groups["key"].Value}: 「{WebUtility.HtmlDecode(m.Groups["text"].Value)}」 {fill} on {background} = {ratio:0.00}:1");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(checkedOnBars > 0, "no value drawn on a bar was checked");
    }

    [Theory]
    [InlineData("#767676", "#ffffff", 4.54)] // the usual grey at the AA threshold
    [InlineData("#1d2939", "#ffffff", 14.70)]
    [InlineData("#ffffff", "#f79009", 2.35)] // what the 退回修改 / 中 bars had
    [InlineData("#ffffff", "#2e90fa", 3.24)]
    [InlineData("#ffffff", "#98a2b3", 2.58)]
    public void Given_two_colours_When_compared_Then_the_ratio_is_the_wcag_one(string a, string b, double expected)
    {
        Assert.Equal(expected, ChartContrast.Ratio(a, b), 2);
    }

    [Theory]
    [InlineData("#f79009")]
    [InlineData("#98a2b3")]
    [InlineData(ChartPalette.Orange)]
    [InlineData(ChartPalette.Blue)]
    [InlineData(ChartPalette.Grey)]
    [InlineData(ChartPalette.Navy)]
    [InlineData(ChartPalette.Green)]
    [InlineData(ChartPalette.Red)]
    [InlineData(ChartPalette.Purple)]
    [InlineData("#777777")] // a mid-grey: neither white (4.48) nor the ink colour would do
    public void Given_a_palette_colour_When_text_is_drawn_on_it_or_in_it_Then_the_text_colour_is_at_least_4_5(string color)
    {
        Assert.True(ChartContrast.Ratio(ChartContrast.OnFill(color), color) >= 4.5, $"on {color}: {ChartContrast.OnFill(color)}");
        Assert.True(ChartContrast.Ratio(ChartContrast.OnCard(color), ChartContrast.Card) >= 4.5, $"{color} as text: {ChartContrast.OnCard(color)}");
    }

    [Fact]
    public void Given_the_chart_palette_When_its_colours_are_drawn_on_the_card_Then_each_is_at_least_3_to_1()
    {
        var faint = ChartPalette.Series.Where(c => ChartContrast.Ratio(c, ChartContrast.Card) < ChartPalette.GraphicsMinimum).ToList();

        Assert.True(faint.Count == 0, "below 3:1 on white: " + string.Join(", ", faint));
        Assert.Equal(ChartPalette.Series.Count, ChartPalette.Series.Distinct().Count());
    }

    [Fact]
    public void Given_a_colour_already_readable_on_the_card_When_used_for_text_Then_it_is_kept()
    {
        Assert.Equal("#1f4e8c", ChartContrast.OnCard("#1f4e8c"));
        Assert.NotEqual("#f79009", ChartContrast.OnCard("#f79009"));
    }

    private static double D(Match m, string group) => double.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex("<svg class=\"chart\"[^>]*data-chart=\"(?<key>[^\"]+)\"[\\s\\S]*?</svg>")]
    private static partial Regex Svg();

    [GeneratedRegex("(?<rect><rect class=\"bar\" x=\"(?<x>[0-9.-]+)\" y=\"(?<y>[0-9.-]+)\" width=\"(?<w>[0-9.-]+)\" height=\"(?<h>[0-9.-]+)\" fill=\"(?<fill>#[0-9a-fA-F]{6})\")|<text x=\"(?<tx>[0-9.-]+)\" y=\"(?<ty>[0-9.-]+)\" fill=\"(?<tfill>#[0-9a-fA-F]{6})\"[^>]*>(?:<title>[^<]*</title>)?(?<text>[^<]*)</text>")]
    private static partial Regex Element();
}
