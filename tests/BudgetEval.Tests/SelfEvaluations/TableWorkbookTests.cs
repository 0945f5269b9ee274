using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.SelfEvaluations.Export;
using BudgetEval.Web.SelfEvaluations.Import;

namespace BudgetEval.Tests.SelfEvaluations;

/// <summary>The plain tables every export writes (整改台账, 数据看板, 评分表): what kind of cell each value becomes.</summary>
public sealed class TableWorkbookTests
{
    private static readonly string?[] Values = ["2021", "007", "10.5", "2026年3月2日", "2026年2月30日", "长沙市望城区", null];

    [Fact]
    public void Given_a_year_a_document_number_a_score_and_a_date_When_written_Then_Excel_gets_a_whole_number_text_a_number_and_a_date()
    {
        var xlsx = FormWorkbook.Table("表", [["年度", "文号", "分值", "整改期限", "错日期", "单位", "空"], Values], [8, 8, 8, 8, 8, 8, 8]);

        Assert.Equal(["2021", "007", "10.5", "2026年3月2日", "2026年2月30日", "长沙市望城区", string.Empty], XlsxText.FirstSheet(xlsx)[1]);
        Assert.Equal([CellKind.Number, CellKind.Text, CellKind.Number, CellKind.Date, CellKind.Text, CellKind.Text, CellKind.Text], XlsxText.FirstSheetKinds(xlsx)[1]);
        Assert.Equal(["0", "0.00"], [XlsxText.FormatOf(xlsx, "A2"), XlsxText.FormatOf(xlsx, "C2")]); // the year is not shown as 2021.00
    }

    [Fact]
    public void Given_a_score_column_of_whole_and_half_points_When_written_with_two_decimals_Then_every_cell_shows_two_decimals()
    {
        var xlsx = FormWorkbook.Table("评分表", [["得分", "年度"], ["2", "2021"], ["1.5", "2022"]], [8, 8], new HashSet<int> { 0 });

        Assert.Equal(["0.00", "0.00", "0", "0"], [XlsxText.FormatOf(xlsx, "A2"), XlsxText.FormatOf(xlsx, "A3"), XlsxText.FormatOf(xlsx, "B2"), XlsxText.FormatOf(xlsx, "B3")]);
    }
}
