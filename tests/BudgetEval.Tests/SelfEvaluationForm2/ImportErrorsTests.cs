using BudgetEval.Web.SelfEvaluations;
using BudgetEval.Web.SelfEvaluations.Import;
using BudgetEval.Web.SelfEvaluations.Scoring;
using static BudgetEval.Tests.Infrastructure.XlsxBuilder;

namespace BudgetEval.Tests.SelfEvaluationForm2;

/// <summary>An indicator file's every error in one answer, and over-long texts named by their column.</summary>
public sealed class ImportErrorsTests
{
    [Fact]
    public void Given_a_row_below_总分_and_bad_cells_above_When_read_Then_every_error_in_one_answer_in_row_order()
    {
        var book = new Infrastructure.XlsxBuilder().Sheet("自评表", [
            HeaderRow(),
            IndicatorRow(2, ("得分", 8)),
            IndicatorRow(3, ("三级指标", new string('指', 201))),
            IndicatorRow(4, ("未完成原因", new string('因', 2001))),
            Row(5, "总分", null, null, null, null, null, 15, 14, "等级：优"),
            IndicatorRow(6),
        ], "A5:F5", "I5:J5");

        var result = IndicatorFile.Read("指标.xlsx", book.Build());

        Assert.Empty(result.Lines);
        Assert.Equal([2, 3, 4, 6], result.Errors.Select(e => e.Row));
        Assert.Contains("超过「分值」", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.EndsWith("超过 200 字（现 201 字）。", result.Errors[1].Message, StringComparison.Ordinal);
        Assert.Equal("三级指标", result.Errors[1].Column);
        Assert.EndsWith("超过 2000 字（现 2,001 字）。", result.Errors[2].Message, StringComparison.Ordinal);
        Assert.Equal("未完成原因", result.Errors[2].Column);
        Assert.Contains("「总分」行（第5行）", result.Errors[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_rows_with_texts_over_their_columns_limits_When_validated_Then_each_is_named_by_row_and_column()
    {
        IndicatorLine Line(string? level3 = "指标", string? reason = null, string? measure = null) =>
            new("产出指标", "数量指标", level3, "内容", "100%", "90%", 5, 4, reason, measure);

        var errors = SelfEvaluationForm.ValidateLines([Line(), Line(), Line(), Line(reason: new string('因', 2345), measure: new string('措', 2001)), Line(level3: new string('指', 201))]);

        Assert.Equal(["第4行「未完成原因」不能超过 2000 字（现 2,345 字）。"], errors["indicators[3].reason"]);
        Assert.Equal(["第4行「改进措施」不能超过 2000 字（现 2,001 字）。"], errors["indicators[3].measure"]);
        Assert.Equal(["第5行「三级指标」不能超过 200 字（现 201 字）。"], errors["indicators[4].level3"]);
        Assert.Equal(3, errors.Count);
    }
}
