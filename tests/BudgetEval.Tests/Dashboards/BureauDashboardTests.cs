using System.Globalization;
using System.Net;
using System.Text.Json;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;

namespace BudgetEval.Tests.Dashboards;

/// <summary>
/// Every number of the bureau dashboard against an independent SQL count written here (not the app's
/// queries), unfiltered and under each filter, on the seeded year.
/// </summary>
public sealed class BureauDashboardTests(SeededYear seeded) : IClassFixture<SeededYear>
{
    private static readonly DateOnly Today = new(2026, 3, 2); // the fixture clock, in Beijing

    private static readonly Dictionary<string, string> Buckets = new()
    {
        ["draft"] = "未提交",
        ["unit_review"] = "单位审核中",
        ["bureau_review"] = "财政审核中",
        ["returned"] = "退回修改",
        ["accepted"] = "已通过",
    };

    private static readonly Dictionary<string, string> EvaluationSteps = new()
    {
        ["selected"] = "待审批",
        ["commissioning"] = "委托评价机构",
        ["drafting"] = "评价及报告初稿",
        ["comment_window"] = "单位征求意见",
        ["final_report"] = "正式报告",
        ["quality_review"] = "报告质量审核",
        ["completed"] = "已完成",
        ["dropped"] = "不予评价",
    };

    private AppFixture App => seeded.App;

    [Fact]
    public async Task Given_a_seeded_year_When_finance_reads_the_bureau_dashboard_Then_every_chart_number_equals_the_database_and_every_bucket_is_filled()
    {
        var board = await AssertMatchesDatabaseAsync(new Filter());

        var progress = board.Charts["progress"];
        foreach (var bucket in Buckets.Values)
        {
            Assert.True(progress.Series[bucket].Sum() > 0, $"progress bucket {bucket} is empty");
        }

        Assert.True(progress.Series["逾期"].Sum() > 0);
        Assert.True(board.Charts["selfGrades"].Series.Where(s => s.Key != "未评分").Sum(s => s.Value.Sum()) > 0, "no graded self-evaluation");
        Assert.True(board.Charts["evaluationGrades"].Series.Values.Sum(v => v.Sum()) >= 2);
        Assert.True(board.Charts["evaluationStatus"].Series["评价数"].Count(v => v > 0) >= 2);
        Assert.All(board.Charts["funnel"].Series["问题数"], v => Assert.True(v > 0, "a funnel stage is empty"));
        Assert.True(board.Recurring > 0);
        Assert.True(board.OverdueTotal > 0);
    }

    [Theory]
    [InlineData("2021", null, null, null)]
    [InlineData("2022", null, null, "ThirdParty")]
    [InlineData(null, null, null, "Audit")]
    [InlineData(null, null, "财务管理", null)]
    [InlineData(null, "centre", null, null)]
    [InlineData(null, "教育", null, null)]
    public async Task Given_a_filter_When_the_dashboard_is_read_Then_the_numbers_follow_it_and_still_equal_the_database(string? year, string? unit, string? category, string? source)
    {
        var centre = await App.SocialGovernanceCentreAsync();
        var filter = new Filter(year is null ? null : int.Parse(year, CultureInfo.InvariantCulture), unit == "centre" ? centre : null, unit == "centre" ? null : unit, category, source);
        var all = await ReadAsync(new Filter());
        var filtered = await AssertMatchesDatabaseAsync(filter);
        Assert.True(
            filtered.FindingsTotal != all.FindingsTotal || filtered.Charts["progress"].Total != all.Charts["progress"].Total,
            $"filter {filter.Query} changed nothing");
    }

    [Fact]
    public async Task Given_a_bad_filter_When_the_dashboard_is_read_Then_a_Chinese_error_names_the_field()
    {
        using var finance = await App.ApiAsync("finance");
        var response = await finance.GetAsync("/api/dashboards/bureau?year=二〇二一&source=报纸");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("年度", body, StringComparison.Ordinal);
        Assert.Contains("来源", body, StringComparison.Ordinal);

        using var page = await App.SignInAsync("finance");
        var html = await page.GetStringAsync("/dashboards?year=abc");
        Assert.Contains("年度应为", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-chart=", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_the_seeded_year_When_finance_opens_the_page_Then_the_svg_bars_table_and_formula_carry_the_same_numbers()
    {
        var board = await ReadAsync(new Filter());
        using var finance = await App.SignInAsync("finance");
        var html = await finance.GetStringAsync("/dashboards");
        var funnel = board.Charts["funnel"];
        for (var i = 0; i < funnel.Labels.Count; i++)
        {
            Assert.Contains($"data-label=\"{funnel.Labels[i]}\" data-series=\"问题数\" data-value=\"{funnel.Series["问题数"][i]}\"", html, StringComparison.Ordinal);
        }

        foreach (var key in board.Charts.Keys)
        {
            Assert.Contains($"data-chart=\"{key}\"", html, StringComparison.Ordinal);
            Assert.Contains($"data-testid=\"table-{key}\"", html, StringComparison.Ordinal);
        }

        Assert.Contains("整改率 = 已整改问题数 ÷（问题总数 − 无法整改问题数）× 100%", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/findings/", html, StringComparison.Ordinal); // the overdue list links to the findings
        // The charts need no script: the only ones are the layout's own on every page (error summary, session).
        Assert.DoesNotMatch(new System.Text.RegularExpressions.Regex("<script(?![^>]*src=\"/js/(error-summary|session)\\.js)", System.Text.RegularExpressions.RegexOptions.IgnoreCase), html);
    }

    [Fact]
    public async Task Given_more_overdue_findings_than_a_page_When_paging_Then_pages_are_bounded_and_in_deadline_order()
    {
        using var finance = await App.ApiAsync("finance");
        var first = await EvaluationApi.JsonAsync(finance, "/api/dashboards/bureau?p=1");
        var overdue = first.GetProperty("overdue");
        var total = overdue.GetProperty("total").GetInt32();
        var items = overdue.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(Math.Min(total, 20), items.Count);
        var deadlines = items.Select(i => i.GetProperty("deadline").GetString()!).ToList();
        Assert.Equal(deadlines.Order(StringComparer.Ordinal), deadlines);
        var expected = await seeded.SqlAsync("""SELECT min("Deadline") FROM findings WHERE "Status" IN ('Open','InProgress','Partial') AND "Deadline" < @today AND NOT coalesce("ResultReportedOn" <= "Deadline", false)""", ("today", Today));
        Assert.Equal(((DateOnly)expected[0][0]!).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), deadlines[0]);
        var beyond = await EvaluationApi.JsonAsync(finance, $"/api/dashboards/bureau?p={(total / 20) + 2}");
        Assert.Empty(beyond.GetProperty("overdue").GetProperty("items").EnumerateArray());
    }

    private async Task<Board> AssertMatchesDatabaseAsync(Filter f)
    {
        var board = await ReadAsync(f);

        // 自评进度: per plan label and bucket, and 逾期 across buckets.
        var progressRows = await seeded.SqlAsync($"""
            SELECT CASE WHEN p."Id" IS NULL THEN '未关联计划的自评' ELSE p."Title" END, s."Status", count(*)::int,
                   (count(*) FILTER (WHERE i."DueAt" < @now AND s."Status" <> 'accepted'))::int
            FROM self_evaluations s LEFT JOIN plans p ON p."Id" = s."PlanId" LEFT JOIN workflow_instances i ON i."Id" = s."CaseId"
            WHERE true {f.Where("s", findings: false)}
            GROUP BY 1, 2
            """, f.Parameters(("now", App.Clock.GetUtcNow())));
        var progress = board.Charts["progress"];
        Assert.Equal(progressRows.Select(r => (string)r[0]!).Distinct().Order(StringComparer.Ordinal), progress.Labels.Order(StringComparer.Ordinal));
        foreach (var label in progress.Labels)
        {
            foreach (var (state, bucket) in Buckets)
            {
                Assert.Equal((decimal?)progressRows.Where(r => (string)r[0]! == label && (string)r[1]! == state).Sum(r => (int)r[2]!), progress.Value(bucket, label));
            }

            Assert.Equal((decimal?)progressRows.Where(r => (string)r[0]! == label).Sum(r => (int)r[2]!), Buckets.Values.Sum(b => progress.Value(b, label)));
            Assert.Equal((decimal?)progressRows.Where(r => (string)r[0]! == label).Sum(r => (int)r[3]!), progress.Value("逾期", label));
        }

        // 自评等级: the grade frozen in the accepted version, read here with a JSON parser.
        var selfRows = await seeded.SqlAsync($"""
            SELECT s."FiscalYear", v."ContentJson"::text FROM self_evaluations s
            JOIN self_evaluation_versions v ON v."SelfEvaluationId" = s."Id" AND v."VersionNo" = s."CurrentVersion"
            WHERE s."Status" = 'accepted' {f.Where("s", findings: false)}
            """, f.Parameters());
        AssertGrades(board.Charts["selfGrades"], selfRows.Select(r => ((int)r[0]!, JsonDocument.Parse((string)r[1]!).RootElement.TryGetProperty("grade", out var g) && g.ValueKind == JsonValueKind.String ? g.GetString()! : "未评分")));

        // 重点评价等级: the rows' scores summed here, graded by the national defaults.
        var evaluationRows = await seeded.SqlAsync($"""SELECT e."FiscalYear", e."RowsJson"::text FROM evaluations e WHERE e."Status" = 'completed' {f.Where("e", findings: false)}""", f.Parameters());
        AssertGrades(board.Charts["evaluationGrades"], evaluationRows.Select(r =>
        {
            var total = JsonDocument.Parse((string)r[1]!).RootElement.EnumerateArray().Sum(x => x.TryGetProperty("score", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDecimal() : 0m);
            return ((int)r[0]!, total >= 90 ? "优" : total >= 80 ? "良" : total >= 60 ? "中" : "差");
        }));

        var statusRows = await seeded.SqlAsync($"""SELECT e."Status", count(*)::int FROM evaluations e WHERE true {f.Where("e", findings: false)} GROUP BY 1""", f.Parameters());
        var status = board.Charts["evaluationStatus"];
        foreach (var (state, label) in EvaluationSteps)
        {
            Assert.Equal((decimal?)statusRows.Where(r => (string)r[0]! == state).Sum(r => (int)r[1]!), status.Value("评价数", label));
        }

        // 整改漏斗 and the tiles.
        var funnelRow = (await seeded.SqlAsync($"""
            SELECT count(*)::int,
                   (count(*) FILTER (WHERE f."Status" IN ('Open','InProgress','Partial')))::int,
                   (count(*) FILTER (WHERE f."Status" IN ('Open','InProgress','Partial') AND f."Deadline" < @today AND NOT coalesce(f."ResultReportedOn" <= f."Deadline", false)))::int,
                   (count(*) FILTER (WHERE f."Status" = 'Partial'))::int,
                   (count(*) FILTER (WHERE f."Status" = 'Rectified'))::int,
                   (count(*) FILTER (WHERE f."Status" = 'Unrectifiable'))::int
            FROM findings f WHERE true {f.Where("f", findings: true)}
            """, f.Parameters(("today", Today))))[0];
        Assert.Equal(funnelRow.Select(v => (decimal?)(int)v!), board.Charts["funnel"].Series["问题数"]);
        Assert.Equal((int)funnelRow[0]!, board.FindingsTotal);
        Assert.Equal((int)funnelRow[2]!, board.OverdueTotal);
        Assert.Equal(Rate((int)funnelRow[4]!, (int)funnelRow[0]! - (int)funnelRow[5]!), board.Rate);

        var recurring = await seeded.SqlAsync($"""
            SELECT count(*)::int FROM findings f
            WHERE EXISTS (SELECT 1 FROM findings p WHERE p."OrganisationId" = f."OrganisationId" AND p."Category" = f."Category" AND p."FiscalYear" = f."FiscalYear" - 1)
            {f.Where("f", findings: true)}
            """, f.Parameters());
        Assert.Equal((int)recurring[0][0]!, board.Recurring);

        // 整改率 by unit (names) and by category.
        foreach (var (key, column) in new[] { ("rateByUnit", "o.\"Name\""), ("rateByCategory", "f.\"Category\"") })
        {
            var rows = await seeded.SqlAsync($"""
                SELECT {column}, count(*)::int, (count(*) FILTER (WHERE f."Status" = 'Rectified'))::int, (count(*) FILTER (WHERE f."Status" = 'Unrectifiable'))::int
                FROM findings f JOIN organisations o ON o."Id" = f."OrganisationId" WHERE true {f.Where("f", findings: true)} GROUP BY 1
                """, f.Parameters());
            var chart = board.Charts[key];
            Assert.Equal(Math.Min(rows.Count, 20), chart.Labels.Count);
            foreach (var row in rows.Where(r => chart.Labels.Contains((string)r[0]!)))
            {
                var label = (string)row[0]!;
                Assert.Equal((decimal?)(int)row[1]!, chart.Value("问题总数", label));
                Assert.Equal((decimal?)(int)row[2]!, chart.Value("已整改", label));
                Assert.Equal((decimal?)(int)row[3]!, chart.Value("无法整改", label));
                Assert.Equal(Rate((int)row[2]!, (int)row[1]! - (int)row[3]!), chart.Value("整改率（%）", label));
            }
        }

        return board;
    }

    private static void AssertGrades(ChartJson chart, IEnumerable<(int Year, string Grade)> expected)
    {
        var list = expected.ToList();
        Assert.Equal(list.Select(e => e.Year + "年度").Distinct().Order(StringComparer.Ordinal), chart.Labels.Order(StringComparer.Ordinal));
        foreach (var grade in new[] { "优", "良", "中", "差", "未评分" })
        {
            foreach (var label in chart.Labels)
            {
                var count = list.Count(e => e.Year + "年度" == label && e.Grade == grade);
                Assert.Equal((decimal?)count, chart.Series.ContainsKey(grade) ? chart.Value(grade, label) : 0m);
            }
        }
    }

    private static decimal? Rate(int rectified, int applicable) => applicable <= 0 ? null : Math.Round(100m * rectified / applicable, 1, MidpointRounding.AwayFromZero);

    private async Task<Board> ReadAsync(Filter f)
    {
        using var finance = await App.ApiAsync("finance");
        return Board.Parse(await EvaluationApi.JsonAsync(finance, "/api/dashboards/bureau?" + f.Query));
    }

    /// <summary>The filter both as the query string and as the SQL conditions of the independent counts.</summary>
    internal sealed record Filter(int? Year = null, Guid? Unit = null, string? UnitText = null, string? Category = null, string? Source = null)
    {
        public string Query => string.Join("&", new[]
        {
            Year is { } y ? $"year={y}" : null,
            Unit is { } u ? $"unit={u}" : UnitText is { } t ? $"unit={Uri.EscapeDataString(t)}" : null,
            Category is { } c ? $"category={Uri.EscapeDataString(c)}" : null,
            Source is { } s ? $"source={s}" : null,
        }.OfType<string>());

        public string Where(string alias, bool findings) => string.Concat(
            Year is null ? string.Empty : $" AND {alias}.\"FiscalYear\" = @year",
            Unit is null ? string.Empty : $" AND {alias}.\"OrganisationId\" = @unit",
            UnitText is null ? string.Empty : $" AND {alias}.\"OrganisationId\" IN (SELECT \"Id\" FROM organisations WHERE \"Name\" LIKE '%' || @unitText || '%' OR \"ShortName\" LIKE '%' || @unitText || '%')",
            !findings || Category is null ? string.Empty : $" AND {alias}.\"Category\" = @category",
            !findings || Source is null ? string.Empty : $" AND {alias}.\"Source\" = @source");

        public (string, object)[] Parameters(params (string, object)[] extra) => new (string, object)?[]
        {
            Year is { } y ? ("year", y) : null,
            Unit is { } u ? ("unit", u) : null,
            UnitText is { } t ? ("unitText", t) : null,
            Category is { } c ? ("category", c) : null,
            Source is { } s ? ("source", s) : null,
        }.OfType<(string, object)>().Concat(extra).ToArray();
    }
}

internal sealed record ChartJson(IReadOnlyList<string> Labels, IReadOnlyDictionary<string, IReadOnlyList<decimal?>> Series)
{
    public decimal Total => Series.Values.Sum(v => v.Sum() ?? 0);

    public decimal? Value(string series, string label) => Series[series][Labels.ToList().IndexOf(label)];

    public static ChartJson Parse(JsonElement chart) => new(
        chart.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!).ToList(),
        chart.GetProperty("series").EnumerateArray().ToDictionary(
            s => s.GetProperty("name").GetString()!,
            s => (IReadOnlyList<decimal?>)s.GetProperty("values").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDecimal() : (decimal?)null).ToList()));
}

internal sealed record Board(IReadOnlyDictionary<string, ChartJson> Charts, int FindingsTotal, int Recurring, int OverdueTotal, decimal? Rate)
{
    public static Board Parse(JsonElement json) => new(
        json.GetProperty("charts").EnumerateArray().ToDictionary(c => c.GetProperty("key").GetString()!, ChartJson.Parse),
        json.GetProperty("findingsTotal").GetInt32(),
        json.GetProperty("recurringFindings").GetInt32(),
        json.GetProperty("overdue").GetProperty("total").GetInt32(),
        json.GetProperty("rectificationRate").ValueKind == JsonValueKind.Number ? json.GetProperty("rectificationRate").GetDecimal() : null);
}
