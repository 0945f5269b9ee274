using BudgetEval.Web.Plans;
using BudgetEval.Web.SelfEvaluations.Scoring;

namespace BudgetEval.Tests.SelfEvaluations;

public sealed class ScoreSheetTests
{
    private static readonly ScoringRules Banded = new()
    {
        FundsRule = FundsRule.Bands,
        Bands = [new(1.00m, 10m), new(0.95m, 9.5m), new(0.90m, 9m), new(0.80m, 8m), new(0.60m, 6m)],
    };

    [Fact]
    public void Given_the_2022_sample_When_scored_by_default_rules_Then_69_34_percent_6_93_90_96_93_excellent()
    {
        var sheet = ScoreSheet.Compute(SampleForm.Funds, SampleForm.Indicators(), ScoringRules.Default, submitting: true);

        Assert.Equal(0.6934m, sheet.ExecutionRate);
        Assert.Equal("69.34%", Money.Percent(sheet.ExecutionRate!.Value));
        Assert.Equal(6.93m, sheet.FundsScore);
        Assert.Equal(90m, sheet.IndicatorWeightTotal);
        Assert.Equal(90m, sheet.IndicatorScore);
        Assert.Equal(96.93m, sheet.TotalScore);
        Assert.Equal("优", sheet.Grade);
        Assert.Empty(sheet.Errors);
    }

    [Theory]
    [InlineData(1.2, 10)]
    [InlineData(1.00, 10)]
    [InlineData(0.9999, 9.5)]
    [InlineData(0.95, 9.5)]
    [InlineData(0.9499, 9)]
    [InlineData(0.90, 9)]
    [InlineData(0.8999, 8)]
    [InlineData(0.80, 8)]
    [InlineData(0.7999, 6)]
    [InlineData(0.60, 6)]
    [InlineData(0.5999, 0)]
    [InlineData(0, 0)]
    public void Given_banded_rule_When_rate_is_at_or_just_below_an_edge_Then_band_points(double rate, double points) =>
        Assert.Equal((decimal)points, Banded.FundsScore((decimal)rate));

    [Theory]
    [InlineData(0.6934, 6.93)]
    [InlineData(0.6935, 6.94)] // 6.935 rounds half away from zero
    [InlineData(1.0, 10)]
    [InlineData(1.25, 10)] // above 100% is warned, never more than the weight
    [InlineData(0, 0)]
    public void Given_linear_rule_When_scored_Then_weight_times_rate_two_decimals(double rate, double score) =>
        Assert.Equal((decimal)score, ScoringRules.Default.FundsScore((decimal)rate));

    [Fact]
    public void Given_linear_rule_with_weight_20_When_scored_Then_scaled() =>
        Assert.Equal(13.87m, (ScoringRules.Default with { FundsWeight = 20m }).FundsScore(0.6934m));

    [Theory]
    [InlineData(100, "优")]
    [InlineData(90, "优")]
    [InlineData(89.99, "良")]
    [InlineData(80, "良")]
    [InlineData(79.99, "中")]
    [InlineData(60, "中")]
    [InlineData(59.99, "差")]
    [InlineData(0, "差")]
    public void Given_default_boundaries_When_graded_Then_90_80_60_are_inclusive(double total, string grade) =>
        Assert.Equal(grade, new GradeBoundaries().Grade((decimal)total));

    [Fact]
    public void Given_plan_boundaries_When_graded_Then_the_plans_lines_apply()
    {
        var grades = new GradeBoundaries(Excellent: 95m, Good: 85m, Pass: 70m);
        Assert.Equal("良", grades.Grade(94.99m));
        Assert.Equal("优", grades.Grade(95m));
        Assert.Equal("差", grades.Grade(69.99m));
    }

    [Fact]
    public void Given_executed_above_budget_When_scored_Then_warned_not_refused()
    {
        var sheet = ScoreSheet.Compute(new FundsFigures(100m, 120m, 0m), SampleForm.Indicators(), ScoringRules.Default, submitting: true);
        Assert.Equal(1.2m, sheet.ExecutionRate);
        Assert.Equal(10m, sheet.FundsScore);
        Assert.Contains(sheet.Warnings, w => w.Contains("超过 100%", StringComparison.Ordinal));
        Assert.Empty(sheet.Errors);
    }

    [Fact]
    public void Given_upper_transfer_When_rate_computed_Then_it_is_taken_off_the_executed_amount() =>
        Assert.Equal(0.5m, new FundsFigures(200m, 150m, 50m).ExecutionRate);

    [Fact]
    public void Given_zero_budget_When_checked_Then_error_and_no_rate()
    {
        var sheet = ScoreSheet.Compute(new FundsFigures(0m, 10m, 0m), [], ScoringRules.Default, submitting: false);
        Assert.Null(sheet.ExecutionRate);
        Assert.Contains(sheet.Errors, e => e.Contains("全年预算数为 0", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_score_above_weight_When_checked_Then_error()
    {
        var lines = new[] { Line("≥1人", "1人", 2m, 3m) };
        Assert.Contains(ScoreSheet.Compute(SampleForm.Funds, lines, ScoringRules.Default, false).Errors, e => e.Contains("超过分值", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_negative_numbers_When_checked_Then_error()
    {
        var lines = new[] { Line("≥1人", "1人", -2m, 0m) };
        Assert.Contains(ScoreSheet.Compute(SampleForm.Funds, lines, ScoringRules.Default, false).Errors, e => e.Contains("不能为负数", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_weights_not_totalling_90_When_drafting_Then_warning_and_when_submitting_Then_error()
    {
        var lines = SampleForm.Indicators().Skip(1).ToList();
        Assert.Contains(ScoreSheet.Compute(SampleForm.Funds, lines, ScoringRules.Default, false).Warnings, w => w.Contains("应为 90", StringComparison.Ordinal));
        Assert.Contains(ScoreSheet.Compute(SampleForm.Funds, lines, ScoringRules.Default, true).Errors, e => e.Contains("应为 90", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_not_met_row_without_reason_When_submitting_Then_error_and_full_score_warned()
    {
        var lines = new[] { Line("≥95%", "90%", 90m, 90m) };
        var drafting = ScoreSheet.Compute(SampleForm.Funds, lines, ScoringRules.Default, false);
        var submitting = ScoreSheet.Compute(SampleForm.Funds, lines, ScoringRules.Default, true);

        Assert.Contains(drafting.Warnings, w => w.Contains("须填写未完成原因和改进措施", StringComparison.Ordinal));
        Assert.Contains(submitting.Errors, e => e.Contains("须填写未完成原因和改进措施", StringComparison.Ordinal));
        Assert.Contains(submitting.Errors, e => e.StartsWith("第1行指标「测试指标」", StringComparison.Ordinal)); // 目标内容, not the shared 三级指标
        Assert.Contains(submitting.Warnings, w => w.Contains("未达成目标却得满分", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_not_met_row_with_reason_and_measure_When_submitting_Then_no_error()
    {
        var lines = new[] { Line("≥95%", "90%", 90m, 80m) with { Reason = "新系统上线初期", Measure = "加强培训" } };
        Assert.Empty(ScoreSheet.Compute(SampleForm.Funds, lines, ScoringRules.Default, true).Errors);
    }

    [Fact]
    public void Given_a_funds_row_executed_above_its_budget_When_computed_Then_the_row_is_warned_by_name_and_its_rate_is_flagged()
    {
        var basic = new FundsFigures(314.74m, 320.50m, 0m);
        var sheet = ScoreSheet.Compute(SampleForm.Funds, SampleForm.Indicators(), ScoringRules.Default, true, [("基本支出", basic), ("项目支出", new FundsFigures(400m, 300m, 0m))]);

        Assert.Equal("101.83%（超过100%）", basic.RateText);
        Assert.Equal("75.00%", new FundsFigures(400m, 300m, 0m).RateText);
        var warning = Assert.Single(sheet.Warnings, w => w.StartsWith("资金明细", StringComparison.Ordinal));
        Assert.Equal("资金明细「基本支出」执行率 101.83% 超过 100%，请核实执行数。", warning);
        Assert.DoesNotContain(sheet.Errors, e => e.Contains("资金明细", StringComparison.Ordinal)); // a warning, not a refusal
    }

    private static IndicatorLine Line(string target, string actual, decimal weight, decimal score) =>
        new("产出指标", "数量指标", "测试", "测试指标", target, actual, weight, score, null, null);
}
