using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.SelfEvaluations;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace BudgetEval.Tests.DocumentsReview;

/// <summary>The exported 自评表 as Excel shows and prints it: merged ranges ruled all round, the goals readable.</summary>
public sealed class FormWorkbookLayoutTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_the_centres_2022_form_When_exported_Then_every_merged_cell_is_ruled_and_the_goals_row_is_tall_enough_for_its_text()
    {
        using var unit = await app.ApiAsync("unit");
        var id = await SelfEvaluationApiTests.CentreIdAsync(unit);
        var xlsx = await unit.GetByteArrayAsync($"/api/self-evaluations/{id}/export.xlsx");
        Assert.NotEmpty(XlsxText.Sheets(xlsx)); // the schema holds

        using var stream = new MemoryStream(xlsx);
        using var doc = SpreadsheetDocument.Open(stream, false);
        var formSheetId = doc.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == "自评表").Id!.Value!; // not the follow-up sheet
        var sheet = ((WorksheetPart)doc.WorkbookPart.GetPartById(formSheetId)).Worksheet;
        var cells = sheet.Descendants<Cell>().ToDictionary(c => c.CellReference!.Value!);
        var ruled = doc.WorkbookPart.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>()
            .Select((f, i) => (f, i)).Where(x => x.f.BorderId?.Value == 1).Select(x => (uint)x.i).ToHashSet();
        var merges = sheet.Descendants<MergeCell>().Select(m => m.Reference!.Value!).ToList();

        // The title rows are unruled; every other merged range is ruled in each of its cells, or Excel prints it open on the right and below.
        foreach (var range in merges.Where(m => !m.StartsWith("A1:", StringComparison.Ordinal) && !m.StartsWith("A2:", StringComparison.Ordinal)))
        {
            var ends = range.Split(':');
            var (top, bottom) = (int.Parse(ends[0][1..], System.Globalization.CultureInfo.InvariantCulture), int.Parse(ends[1][1..], System.Globalization.CultureInfo.InvariantCulture));
            for (var c = ends[0][0]; c <= ends[1][0]; c++)
            {
                for (var r = top; r <= bottom; r++)
                {
                    Assert.True(cells.TryGetValue($"{c}{r}", out var cell) && ruled.Contains(cell.StyleIndex?.Value ?? 0), $"{c}{r} of {range} has no ruling");
                }
            }
        }

        // 资金情况（万元） and 年度总体目标 stand beside their whole blocks, as on the paper form.
        var fundsRow = Row(cells, "资金情况（万元）");
        Assert.Contains($"A{fundsRow}:A{Row(cells, "年度资金总额")}", merges);
        var goalsHead = Row(cells, "年度总体目标");
        Assert.Contains($"A{goalsHead}:A{goalsHead + 1}", merges);

        // Excel does not grow a merged row to its text: the goals row carries its height, enough for the
        // centre's 全年完成情况 (267 characters, eight lines across F–J) rather than one line.
        var goals = sheet.Descendants<Row>().Single(r => r.RowIndex!.Value == goalsHead + 1);
        Assert.True(goals.CustomHeight?.Value);
        Assert.InRange(goals.Height!.Value, 8 * 14.4, 409);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(33, 1)] // 66 widths: one line across the merged columns
    [InlineData(34, 2)]
    [InlineData(330, 10)]
    [InlineData(10_000, 0)] // Excel's most: 409 pt
    public void Given_goals_of_n_Chinese_characters_When_the_row_height_is_set_Then_it_has_a_line_per_wrapped_line(int characters, int lines) =>
        Assert.Equal(lines == 0 ? 409 : lines * 14.4 + 4, Web.SelfEvaluations.Export.FormWorkbook.GoalsRowHeight(new string('字', characters), "短"), 3);

    [Fact]
    public void Given_goals_in_paragraphs_When_the_row_height_is_set_Then_each_paragraph_starts_a_line() =>
        Assert.Equal(3 * 14.4 + 4, Web.SelfEvaluations.Export.FormWorkbook.GoalsRowHeight("第一段\n第二段\n第三段", null), 3);

    private static uint Row(Dictionary<string, Cell> cells, string text) =>
        uint.Parse(cells.Values.Single(c => c.InlineString?.InnerText == text).CellReference!.Value![1..], System.Globalization.CultureInfo.InvariantCulture);
}
