using System.Text;
using BudgetEval.Web.SelfEvaluations.Import;
using static BudgetEval.Tests.Infrastructure.XlsxBuilder;

namespace BudgetEval.Tests.SelfEvaluations;

/// <summary>
/// The 自评表 indicator reader on workbooks as other tools write them (number formats, phonetic guides,
/// missing references, merged cells, several sheets), without the web host.
/// </summary>
public sealed class IndicatorFileTests
{
    private static ImportResult Read(Infrastructure.XlsxBuilder book) => IndicatorFile.Read("指标.xlsx", book.Build());

    private static ImportResult ReadCsv(string text) => IndicatorFile.Read("指标.csv", Encoding.UTF8.GetBytes(text));

    private static string Messages(ImportResult result) => string.Join(" | ", result.Errors.Select(e => e.Message));

    private static IReadOnlyList<Web.SelfEvaluations.Scoring.IndicatorLine> Lines(ImportResult result)
    {
        Assert.True(result.Succeeded, Messages(result));
        return result.Lines;
    }

    [Fact]
    public void Given_a_word_in_分值_When_read_from_xlsx_Then_the_message_names_the_cell_the_field_and_the_value()
    {
        var rows = new List<string> { Row(1, "绩效指标导入"), HeaderRow(2) };
        rows.AddRange(Enumerable.Range(3, 11).Select(r => IndicatorRow(r)));
        rows.Add(IndicatorRow(14, ("分值", "两分")));

        var result = Read(new Infrastructure.XlsxBuilder().Sheet("绩效指标", rows));

        var error = Assert.Single(result.Errors);
        Assert.Equal((14, "分值", "单元格 G14（第14行「分值」）“两分”不是数字。"), (error.Row, error.Column, error.Message));
    }

    [Fact]
    public void Given_bad_numbers_When_read_from_csv_Then_row_field_and_value_are_named()
    {
        var result = ReadCsv(string.Join(',', IndicatorFile.Header) + "\n"
            + "产出指标,数量指标,a,b,1,1,十分,,,\n"
            + "产出指标,数量指标,c,d,1,1,-3,,,\n"
            + "产出指标,数量指标,e,f,1,1,5,8,,\n");

        Assert.Equal(
            ["第2行「分值」“十分”不是数字。", "第3行「分值」“-3”不能为负数。", "第4行「得分」“8”超过「分值」（5）。"],
            result.Errors.Select(e => e.Message));
    }

    [Fact]
    public void Given_formula_cells_When_read_Then_each_error_names_its_row_and_column()
    {
        var book = new Infrastructure.XlsxBuilder().Sheet("绩效指标", [
            HeaderRow(),
            IndicatorRow(2),
            IndicatorRow(3, ("分值", Raw("<f>5+5</f><v>10</v>")), ("得分", Raw("<f>G3*0.9</f><v>9</v>"))),
        ]);

        var result = Read(book);

        Assert.Contains(result.Errors, e => e.Row == 3 && e.Column == "分值" && e.Message.StartsWith("单元格 G3（第3行「分值」）是公式", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Row == 3 && e.Column == "得分" && e.Message.StartsWith("单元格 H3（第3行「得分」）是公式", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_merged_category_cells_When_read_Then_the_text_fills_the_merged_rows()
    {
        var book = new Infrastructure.XlsxBuilder().Sheet("绩效指标", [
            HeaderRow(),
            IndicatorRow(2, ("一级指标", "效益指标")),
            IndicatorRow(3, ("一级指标", null)),
        ], "A2:A3");

        Assert.Equal(["效益指标", "效益指标"], Lines(Read(book)).Select(l => l.Level1));
    }
}
