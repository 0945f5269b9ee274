using System.Text;
using BudgetEval.Web.Evaluations;
using BudgetEval.Web.SelfEvaluations.Import;

namespace BudgetEval.Tests.TextInput;

/// <summary>A cell with Alt+Enter in an imported table follows the form's rules: one line where the form has an input, lines kept where it has a text area.</summary>
public sealed class ImportedTextTests
{
    [Fact]
    public void Given_line_breaks_in_an_indicator_import_When_read_Then_names_and_values_are_one_line_and_texts_keep_lf()
    {
        var csv = string.Join(',', IndicatorFile.Header) + "\r\n"
            + "\"产出\r\n指标\",数量指标,\"培训\u0007人次\",\"第一行\r\n第二行\",\"≥100\n人次\",120人次,5,4,\"原因\r\n说明\",措施\r\n";

        var result = IndicatorFile.Read("指标.csv", Encoding.UTF8.GetBytes(csv));

        Assert.True(result.Succeeded, string.Join(" | ", result.Errors.Select(e => e.Message)));
        var line = Assert.Single(result.Lines);
        Assert.Equal(("产出 指标", "培训人次", "≥100 人次"), (line.Level1, line.Level3, line.Target));
        Assert.Equal(("第一行\n第二行", "原因\n说明"), (line.Content, line.Reason));
    }

    [Fact]
    public void Given_line_breaks_in_an_evaluation_score_import_When_read_Then_names_and_notes_are_one_line()
    {
        var csv = string.Join(',', ScoreFile.Header) + "\r\n"
            + "投入,目标设定,\"绩效目标\r\n合理性\",2,2,\"说明\r\n一\",\"要点一\r\n要点二\",标准\r\n";

        var result = ScoreFile.Read("评分表.csv", Encoding.UTF8.GetBytes(csv), EvaluationTemplates.Default.Groups, EvaluationTemplates.Default.Rows);

        Assert.True(result.Succeeded, string.Join(" | ", result.Errors.Select(e => e.Message)));
        var row = Assert.Single(result.Rows);
        Assert.Equal(("绩效目标 合理性", "说明 一", "要点一\n要点二"), (row.Level3, row.Note, row.Points));
    }
}
