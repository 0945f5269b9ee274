using BudgetEval.Web.SelfEvaluations;

namespace BudgetEval.Tests.SelfEvaluations;

/// <summary>What the reviewer's 版本差异 shows between two frozen versions (a pure rule: no database).</summary>
public sealed class VersionDiffTests
{
    private static readonly SelfEvaluationContent First = new("2022年度部门整体支出绩效自评", 2022, new DateOnly(2023, 3, 31), null, null,
        FundsBudget: 1412.74m,
        FundsRows: [new FundsSubRow("基本支出-人员经费", 300m, 290m, null), new FundsSubRow("项目支出", 500m, 480m, null)],
        FollowUp: new Dictionary<string, string> { ["2021-第三方评价-001 项目管理制度不健全"] = "已制定管理办法。" });

    [Fact]
    public void Given_a_resubmission_that_changed_a_funds_row_and_a_statement_When_compared_Then_both_are_listed()
    {
        var second = First with
        {
            FundsRows = [new FundsSubRow("基本支出-人员经费", 300m, 295.5m, null), new FundsSubRow("项目支出", 500m, 480m, null)],
            FollowUp = new Dictionary<string, string>
            {
                ["2021-第三方评价-001 项目管理制度不健全"] = "已制定管理办法并印发执行。",
                ["2021-第三方评价-002 绩效目标不明确"] = "已细化目标。",
            },
        };

        var diff = SelfEvaluationContent.Diff(First, second);

        Assert.Equal(
            [
                ("资金明细第1行", "基本支出-人员经费：预算 300.00，执行 290.00", "基本支出-人员经费：预算 300.00，执行 295.50"),
                ("整改情况说明·2021-第三方评价-001 项目管理制度不健全", "已制定管理办法。", "已制定管理办法并印发执行。"),
                ("整改情况说明·2021-第三方评价-002 绩效目标不明确", string.Empty, "已细化目标。"),
            ],
            diff);
    }

    [Fact]
    public void Given_a_version_frozen_before_funds_rows_were_kept_When_compared_Then_its_rows_are_not_shown_as_all_new()
    {
        var older = SelfEvaluationContent.Parse("""{"title":"2022年度部门整体支出绩效自评","fiscalYear":2022,"deadline":"2023-03-31","fundsBudget":1412.74}""");

        Assert.Null(older!.FundsRows);
        Assert.Empty(SelfEvaluationContent.Diff(older, First));
    }

    [Fact]
    public void Given_a_resubmission_that_changed_the_executed_amount_When_compared_Then_the_rate_and_the_funds_score_are_listed_too()
    {
        var first = First with { FundsExecuted = 979.56m, ExecutionRate = 0.6934m, FundsScore = 6.93m };
        var second = first with { FundsExecuted = 1000.00m, ExecutionRate = 0.7078m, FundsScore = 7.08m };

        var diff = SelfEvaluationContent.Diff(first, second);

        Assert.Equal(
            [
                ("全年执行数 B（万元）", "979.56", "1,000.00"),
                ("执行率", "69.34%", "70.78%"),
                ("资金得分", "6.93", "7.08"),
            ],
            diff);
    }

    [Fact]
    public void Given_a_version_frozen_before_the_rate_was_kept_When_compared_Then_rate_and_funds_score_are_not_shown_as_new()
    {
        var older = SelfEvaluationContent.Parse("""{"title":"2022年度部门整体支出绩效自评","fiscalYear":2022,"deadline":"2023-03-31","fundsBudget":1412.74}""");

        Assert.Empty(SelfEvaluationContent.Diff(older, First with { ExecutionRate = 0.6934m, FundsScore = 6.93m }));
    }

    [Fact]
    public void Given_an_indicator_row_with_a_reason_and_no_measure_When_changed_Then_the_row_names_no_empty_measure()
    {
        var line = new BudgetEval.Web.SelfEvaluations.Scoring.IndicatorLine("产出指标", "数量指标", "网格员培训", "培训人次", "≥500人次", "480人次", 10m, 9m, "疫情影响", null);
        var first = First with { Indicators = [line] };
        var second = first with { Indicators = [line with { Score = 8m }] };

        var (field, old, now) = Assert.Single(SelfEvaluationContent.Diff(first, second));

        Assert.Equal("指标第1行", field);
        Assert.EndsWith("得分 9；原因 疫情影响", old, StringComparison.Ordinal);
        Assert.EndsWith("得分 8；原因 疫情影响", now, StringComparison.Ordinal);
    }
}
