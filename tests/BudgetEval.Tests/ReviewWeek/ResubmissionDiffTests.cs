using BudgetEval.Web.SelfEvaluations;
using BudgetEval.Web.SelfEvaluations.Scoring;

namespace BudgetEval.Tests.ReviewWeek;

/// <summary>
/// 版本差异 of a resubmission whose unit inserted or deleted a row: the reviewer must see that one row, not every row
/// below it listed as changed (the rows used to be compared by position).
/// </summary>
public sealed class ResubmissionDiffTests
{
    private static readonly IndicatorLine Training = new("产出指标", "数量指标", "网格员培训", "培训人次", "≥500人次", "520人次", 10m, 10m, null, null);
    private static readonly IndicatorLine Patrol = new("产出指标", "质量指标", "巡查覆盖率", "网格巡查覆盖率", "100%", "100%", 10m, 10m, null, null);
    private static readonly IndicatorLine Timely = new("产出指标", "时效指标", "事件办结时限", "事件按时办结率", "≥95%", "96%", 10m, 10m, null, null);
    private static readonly IndicatorLine Satisfied = new("满意度指标", "服务对象满意度", "群众满意度", "群众满意度", "≥90%", "92%", 10m, 10m, null, null);

    private static readonly SelfEvaluationContent First = new("2026年度部门整体支出绩效自评", 2026, new DateOnly(2027, 2, 28), null, null,
        Indicators: [Training, Patrol, Timely, Satisfied],
        FundsRows: [new FundsSubRow("基本支出-人员经费", 300m, 290m, null), new FundsSubRow("基本支出-公用经费", 80m, 76m, null), new FundsSubRow("项目支出", 500m, 480m, null)]);

    [Fact]
    public void Given_an_indicator_row_inserted_at_the_top_When_compared_Then_only_that_row_is_listed_as_new()
    {
        var cost = new IndicatorLine("产出指标", "成本指标", "人均培训成本", "人均培训成本", "≤200元", "180元", 5m, 5m, null, null);

        var diff = SelfEvaluationContent.Diff(First, First with { Indicators = [cost, Training, Patrol, Timely, Satisfied] });

        var (field, old, now) = Assert.Single(diff);
        Assert.Equal("指标第1行（新增）", field);
        Assert.Equal(string.Empty, old);
        Assert.StartsWith("产出指标/成本指标/人均培训成本", now, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_indicator_row_deleted_and_a_later_one_changed_When_compared_Then_the_deletion_and_the_change_are_the_only_rows()
    {
        var diff = SelfEvaluationContent.Diff(First, First with { Indicators = [Training, Timely, Satisfied with { Actual = "88%", Score = 8m, Reason = "回访样本偏少", Measure = "扩大回访" }] });

        Assert.Equal(2, diff.Count);
        Assert.Equal("指标原第2行（已删除）", diff[0].Field);
        Assert.StartsWith("产出指标/质量指标/巡查覆盖率", diff[0].Old, StringComparison.Ordinal);
        Assert.Equal(string.Empty, diff[0].New);
        Assert.Equal("指标第3行（原第4行）", diff[1].Field);
        Assert.Contains("完成 92%", diff[1].Old, StringComparison.Ordinal);
        Assert.Contains("完成 88%，分值 10，得分 8；原因 回访样本偏少；措施 扩大回访", diff[1].New, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_funds_sub_row_removed_in_the_middle_When_compared_Then_the_rows_below_are_not_shown_as_changed()
    {
        var diff = SelfEvaluationContent.Diff(First, First with { FundsRows = [First.FundsRows![0], First.FundsRows[2]] });

        Assert.Equal([("资金明细原第2行（已删除）", "基本支出-公用经费：预算 80.00，执行 76.00", string.Empty)], diff);
    }

    [Fact]
    public void Given_rows_changed_in_place_When_compared_Then_they_keep_their_plain_row_numbers()
    {
        var diff = SelfEvaluationContent.Diff(First, First with
        {
            Indicators = [Training, Patrol with { Actual = "98%", Score = 9.8m }, Timely, Satisfied],
            FundsRows = [First.FundsRows![0], First.FundsRows[1], new FundsSubRow("项目支出", 500m, 495m, null)],
        });

        Assert.Equal(["指标第2行", "资金明细第3行"], diff.Select(d => d.Field));
    }
}
