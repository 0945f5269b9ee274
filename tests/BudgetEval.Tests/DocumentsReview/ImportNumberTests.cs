using System.Text;
using BudgetEval.Web.SelfEvaluations.Import;

namespace BudgetEval.Tests.DocumentsReview;

/// <summary>分值 and 得分 as units type them: full-width digits from a Chinese input method are the same numbers.</summary>
public sealed class ImportNumberTests
{
    private static ImportResult Read(string weight, string score) =>
        IndicatorFile.Read("自评表.csv", Encoding.UTF8.GetBytes(
            string.Join(',', IndicatorFile.Header) + "\n" + $"产出指标,数量指标,完成数,内容,100,100,{weight},{score},,\n"));

    [Theory]
    [InlineData("１０", "８．５", 10, 8.5)]
    [InlineData("１０．００", "８.５０", 10, 8.5)]
    [InlineData("　２　", "１", 2, 1)] // ideographic spaces around
    public void Given_full_width_digits_When_imported_Then_they_are_read_as_the_numbers_they_show(string weight, string score, double w, double s)
    {
        var result = Read(weight, score);
        Assert.Empty(result.Errors);
        var line = Assert.Single(result.Lines);
        Assert.Equal(((decimal)w, (decimal?)(decimal)s), (line.Weight, line.Score));
    }

    [Theory]
    [InlineData("１０", "８.５分", "第2行「得分」“８.５分”不是数字。")]
    [InlineData("１０", "－１", "第2行「得分」“－１”不能为负数。")]
    [InlineData("１０", "１２", "第2行「得分」“１２”超过「分值」（10）。")]
    public void Given_full_width_text_that_is_no_valid_score_When_imported_Then_the_cell_is_named_with_what_was_typed(string weight, string score, string message)
    {
        var result = Read(weight, score);
        Assert.Empty(result.Lines);
        Assert.Equal(message, Assert.Single(result.Errors).Message);
    }
}
