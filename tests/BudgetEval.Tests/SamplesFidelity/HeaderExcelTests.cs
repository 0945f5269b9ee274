using System.Net;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.SelfEvaluations;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.SamplesFidelity;

/// <summary>
/// The header fields in the Excel export (named cells in the sample's first rows), the template's 部门信息 sheet, and
/// the import: taken from the named cells, a bad count refused naming its cell, an older file without them accepted.
/// </summary>
public sealed class HeaderExcelTests(AppFixture app) : IClassFixture<AppFixture>
{
    /// <summary>The named cells of a workbook: name → sheet!cell as Excel writes the reference.</summary>
    private static Dictionary<string, string> Names(byte[] xlsx)
    {
        using var stream = new MemoryStream(xlsx);
        using var doc = SpreadsheetDocument.Open(stream, false);
        return doc.WorkbookPart!.Workbook.DefinedNames?.Elements<DefinedName>().Where(d => !d.Name!.Value!.StartsWith("_xlnm", StringComparison.Ordinal))
            .ToDictionary(d => d.Name!.Value!, d => d.Text) ?? [];
    }

    /// <summary>The workbook with one cell of its first sheet set to <paramref name="text"/> (as typed in Excel), and optionally its names removed.</summary>
    private static byte[] Edited(byte[] xlsx, IReadOnlyDictionary<string, string> cells, bool dropNames = false)
    {
        using var stream = new MemoryStream();
        stream.Write(xlsx);
        using (var doc = SpreadsheetDocument.Open(stream, true))
        {
            var part = doc.WorkbookPart!.WorksheetParts.First();
            foreach (var (reference, text) in cells)
            {
                var cell = part.Worksheet.Descendants<Cell>().Single(c => c.CellReference!.Value == reference);
                cell.CellValue = null;
                cell.DataType = CellValues.InlineString;
                cell.RemoveAllChildren();
                cell.Append(new InlineString(new Text(text)));
            }

            part.Worksheet.Save();
            if (dropNames)
            {
                doc.WorkbookPart.Workbook.DefinedNames?.Remove();
                doc.WorkbookPart.Workbook.Save();
            }
        }

        return stream.ToArray();
    }

    [Fact]
    public async Task Given_the_centre_form_When_exported_Then_the_first_rows_are_the_samples_with_named_cells()
    {
        var unit = await app.ApiAsync("unit");
        var id = await SampleHeader.CentreDraftAsync(app);
        await app.DbAsync(async db =>
        {
            var se = await db.SelfEvaluations.SingleAsync(s => s.Id == id);
            (se.IndependentUnits, se.Functions) = (SampleHeader.IndependentUnits, SampleHeader.Functions);
            return await db.SaveChangesAsync();
        });

        var xlsx = await unit.GetByteArrayAsync($"/api/self-evaluations/{id}/export.xlsx");

        var rows = XlsxText.Sheets(xlsx)["自评表"].Select(r => r.Where(c => c.Length > 0).ToList()).ToList();
        Assert.Equal(["部门(单位)名称", "长沙市望城区社会治理服务中心", "所属独立核算单位个数", "0"], rows[2]);
        Assert.Equal("资金情况（万元）", rows[3][0]);
        static IEnumerable<string> Figures(List<string> row) =>
            row.Select(c => decimal.TryParse(c, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) : c);
        Assert.Equal(["财政拨款", "1412.74", "979.56", "0", "--", "69.34%", "--"], Figures(rows[4]));
        Assert.Equal(["年度资金总额", "1412.74", "979.56", "0", "10", "69.34%", "6.93"], Figures(rows[5]));
        Assert.Equal(["部门职能概述", SampleHeader.Functions], rows[6]);
        Assert.Equal("年度总体目标", rows[7][0]);
        var names = Names(xlsx);
        Assert.Equal("'自评表'!$H$3", names["所属独立核算单位个数"]);
        Assert.Equal("'自评表'!$B$7", names["部门职能概述"]);
    }

    [Fact]
    public async Task Given_an_exported_form_with_a_bad_count_When_imported_Then_it_is_refused_naming_the_cell_and_nothing_changes()
    {
        var unit = await app.ApiAsync("unit");
        var id = await SampleHeader.CentreDraftAsync(app);
        var before = await SampleHeader.StoredAsync(app, id);
        var xlsx = await unit.GetByteArrayAsync($"/api/self-evaluations/{id}/export.xlsx");
        var cell = Names(xlsx)["所属独立核算单位个数"].Split('!')[1].Replace("$", "", StringComparison.Ordinal);
        var functions = Names(xlsx)["部门职能概述"].Split('!')[1].Replace("$", "", StringComparison.Ordinal);

        var response = await SelfEvaluationApiTests.ImportAsync(unit, id, "自评表.xlsx", Edited(xlsx, new Dictionary<string, string> { [cell] = "abc", [functions] = "不应导入" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var messages = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("message").GetString()).ToList();
        Assert.Equal([$"自评表!{cell} 所属独立核算单位个数「abc」不是整数（所属独立核算单位个数须为不小于0的整数）。"], messages);
        Assert.Equal(before, await SampleHeader.StoredAsync(app, id));
    }

    [Fact]
    public async Task Given_an_exported_form_edited_in_excel_When_imported_Then_the_header_cells_are_taken_and_an_older_file_leaves_them_as_they_were()
    {
        var unit = await app.ApiAsync("unit");
        var id = await SampleHeader.CentreDraftAsync(app);
        var xlsx = await unit.GetByteArrayAsync($"/api/self-evaluations/{id}/export.xlsx");
        var names = Names(xlsx);
        var (units, functions) = (names["所属独立核算单位个数"].Split('!')[1].Replace("$", "", StringComparison.Ordinal), names["部门职能概述"].Split('!')[1].Replace("$", "", StringComparison.Ordinal));

        var edited = await SelfEvaluationApiTests.ImportAsync(unit, id, "自评表.xlsx", Edited(xlsx, new Dictionary<string, string> { [units] = "4", [functions] = "一、在 Excel 中改过的职能。" }));

        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        // One note for what was taken: never "只导入了指标" and then "同时导入了…" in the same answer.
        var answer = await edited.Content.ReadAsStringAsync();
        Assert.Contains("只导入了指标和「所属独立核算单位个数」、「部门职能概述」：文件中的资金情况和年度总体目标不随指标导入", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("同时导入了", answer, StringComparison.Ordinal);
        var stored = await SampleHeader.StoredAsync(app, id);
        Assert.Equal(4, stored.Units);
        Assert.Equal("一、在 Excel 中改过的职能。", stored.Functions);

        // The same cells without their names (a file exported before the fields existed): the indicators import, the fields stay.
        var older = await SelfEvaluationApiTests.ImportAsync(unit, id, "旧版自评表.xlsx", Edited(xlsx, new Dictionary<string, string> { [units] = "9", [functions] = "旧文件里的文字" }, dropNames: true));

        Assert.Equal(HttpStatusCode.OK, older.StatusCode);
        Assert.Equal(stored, await SampleHeader.StoredAsync(app, id));
    }

    [Fact]
    public async Task Given_the_form_page_When_the_blank_template_is_downloaded_Then_a_department_form_gets_the_named_header_cells_and_a_project_form_does_not()
    {
        var unit = await app.SignInAsync("unit");

        var department = await unit.GetByteArrayAsync($"/self-evaluations/{await SampleHeader.CentreDraftAsync(app)}/form?handler=templateXlsx");
        var project = await unit.GetByteArrayAsync($"/self-evaluations/{await SampleHeader.CentreProjectAsync(app)}/form?handler=templateXlsx");

        var sheets = XlsxText.Sheets(department);
        Assert.Equal(["绩效指标", "部门信息"], sheets.Keys);
        Assert.Equal(["所属独立核算单位个数", "部门职能概述"], sheets["部门信息"].Take(2).Select(r => r[0]));
        Assert.Equal(new Dictionary<string, string> { ["所属独立核算单位个数"] = "'部门信息'!$B$1", ["部门职能概述"] = "'部门信息'!$B$2" }, Names(department));
        Assert.Equal(["绩效指标"], XlsxText.Sheets(project).Keys);
        Assert.Empty(Names(project));
    }
}
