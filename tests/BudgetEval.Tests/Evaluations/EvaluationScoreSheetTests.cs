using BudgetEval.Web.Demo;
using BudgetEval.Web.Evaluations;
using BudgetEval.Web.Plans;

namespace BudgetEval.Tests.Evaluations;

/// <summary>The 2021 sample table (shared/samples) through the product's own reader and arithmetic.</summary>
public sealed class EvaluationScoreSheetTests
{
    private static IReadOnlyList<ScoreRow> SampleRows()
    {
        var result = ScoreFile.Read("sample.csv", SampleExternalEvaluation.IndicatorsCsv(), EvaluationTemplates.Default.Groups, EvaluationTemplates.Default.Rows);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        return result.Rows;
    }

    [Fact]
    public void Given_sample_csv_When_imported_and_scored_Then_7_22_8_39_21_total_89_80_good()
    {
        var sheet = EvaluationScoreSheet.Compute(SampleRows(), EvaluationTemplates.Default.Groups, ScoringRules.Default.Grades);

        Assert.Equal([7m, 22.8m, 39m, 21m], sheet.Groups.Select(g => g.Score));
        Assert.Equal([7m, 29m, 42m, 22m], sheet.Groups.Select(g => g.Weight));
        Assert.Equal(100m, sheet.WeightTotal);
        Assert.Equal(89.80m, sheet.Total);
        Assert.Equal("良", sheet.Grade);
        Assert.Empty(sheet.Incomplete);
    }

    [Fact]
    public void Given_sample_When_read_Then_not_applicable_rows_carry_zero_weight()
    {
        var rows = SampleRows();

        Assert.True(rows.Single(r => r.Level3 == "资金到位率（公共专项）").NotApplicable);
        Assert.Equal(2, rows.Count(r => r.NotApplicable));
    }

    [Fact]
    public void Given_row_below_full_marks_without_note_When_checked_Then_incomplete_names_it()
    {
        var rows = SampleRows().Select(r => r.Level3 == "政府采购执行率" ? r with { Note = null } : r).ToList();

        var sheet = EvaluationScoreSheet.Compute(rows, EvaluationTemplates.Default.Groups, ScoringRules.Default.Grades);

        Assert.Contains(sheet.Incomplete, m => m.Contains("政府采购执行率", StringComparison.Ordinal) && m.Contains("评分说明", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(90, "优")]
    [InlineData(89.99, "良")]
    [InlineData(80, "良")]
    [InlineData(60, "中")]
    [InlineData(59.99, "差")]
    public void Given_total_When_graded_Then_boundaries_apply(double total, string grade) =>
        Assert.Equal(grade, ScoringRules.Default.Grades.Grade((decimal)total));

    [Fact]
    public void Given_score_above_weight_and_unknown_group_When_imported_Then_cell_errors_and_nothing_returned()
    {
        var csv = "一级指标,二级指标,三级指标,分值,得分,评分说明\n投入,目标设定,绩效目标合理性,2,3,\n决策,x,y,2,1,z\n"u8.ToArray();

        var result = ScoreFile.Read("bad.csv", csv, EvaluationTemplates.Default.Groups, EvaluationTemplates.Default.Rows);

        Assert.Empty(result.Rows);
        Assert.Contains(result.Errors, e => e.Row == 2 && e.Column == "得分");
        Assert.Contains(result.Errors, e => e.Row == 3 && e.Column == "一级指标");
    }

    [Fact]
    public void Given_an_xlsx_with_评分要点_and_评分标准_in_its_own_order_When_imported_Then_both_are_read_and_a_备注_column_is_left_out()
    {
        var xlsx = new Infrastructure.XlsxBuilder().Sheet("评分表", [
            Infrastructure.XlsxBuilder.Row(1, "一级指标", "二级指标", "三级指标", "评分标准", "分值", "得分", "评分说明", "评分要点", "备注"),
            Infrastructure.XlsxBuilder.Row(2, "投入", "目标设定", "绩效目标合理性", "依据充分得满分", 3, 3, null, "是否符合规划", "复核"),
        ]).Build();

        var result = ScoreFile.Read("评分表.xlsx", xlsx, EvaluationTemplates.Default.Groups, EvaluationTemplates.Default.Rows);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        var row = Assert.Single(result.Rows);
        Assert.Equal(("是否符合规划", "依据充分得满分", 3m, (decimal?)3m), (row.Points, row.Standard, row.Weight, row.Score));
        Assert.Equal(["未导入表头之外的列：I列「备注」。"], result.Notes);
    }
}
