using System.Net;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.SelfEvaluations.Import;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.DocumentsReview;

/// <summary>
/// The Excel exports as a finance officer opens them: a file name that says whose and which year, the header
/// row kept in view and printed on every page, rates that sort as numbers.
/// </summary>
public sealed class ExportWorkbookTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Centre = "长沙市望城区社会治理服务中心";

    [Fact]
    public async Task Given_a_years_ledger_When_exported_Then_the_file_names_the_unit_and_year_and_the_header_is_frozen_and_printed_on_each_page()
    {
        using var finance = await app.ApiAsync("finance");
        var response = await finance.GetAsync("/api/findings/export.xlsx?fiscalYear=2021");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{Centre}2021年度整改台账.xlsx", response.Content.Headers.ContentDisposition?.FileNameStar);
        AssertHeaderRowKept(await response.Content.ReadAsByteArrayAsync());

        using var unit = await app.SignInAsync("unit");
        var page = await unit.GetAsync("/findings?handler=Export");
        Assert.Equal($"{Centre}2021年度整改台账.xlsx", page.Content.Headers.ContentDisposition?.FileNameStar); // the unit's own: one unit, one year

        using var other = await app.SignInAsync("unit2");
        Assert.Equal("整改台账.xlsx", (await other.GetAsync("/findings?handler=Export")).Content.Headers.ContentDisposition?.FileNameStar); // nothing to name it after
    }

    [Fact]
    public async Task Given_a_unit_chosen_by_id_When_the_bureau_dashboard_is_exported_Then_the_summary_and_file_name_show_its_name_not_the_id()
    {
        var centreId = await app.DbAsync(db => db.Organisations.Where(o => o.Name == Centre).Select(o => o.Id).SingleAsync());
        using var finance = await app.ApiAsync("finance");
        var response = await finance.GetAsync($"/api/dashboards/bureau/export.xlsx?year=2021&unit={centreId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{Centre}2021年度数据看板.xlsx", response.Content.Headers.ContentDisposition?.FileNameStar);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var summary = XlsxText.Sheets(bytes)["概况"];
        Assert.Equal(["单位", Centre], summary.Single(r => r[0] == "单位"));
        AssertHeaderRowKept(bytes);

        using var browser = await app.SignInAsync("finance");
        Assert.Equal("数据看板.xlsx", (await browser.GetAsync("/dashboards?handler=Export")).Content.Headers.ContentDisposition?.FileNameStar);

        using var unit = await app.SignInAsync("unit");
        var own = await unit.GetAsync("/dashboards/unit?handler=Export&year=2021");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal($"{Centre}2021年度数据看板.xlsx", own.Content.Headers.ContentDisposition?.FileNameStar);
    }

    [Fact]
    public async Task Given_the_2021_results_When_exported_Then_the_rectification_rate_is_a_percent_cell_that_sorts_as_a_number()
    {
        using var finance = await app.SignInAsync("finance");
        var response = await finance.GetAsync("/results?handler=Export&year=2021");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var rows = XlsxText.FirstSheet(bytes);
        var rate = rows[0].IndexOf("整改率");
        var line = rows.Skip(1).Single(r => r[0] == Centre);
        Assert.Equal("22.2%", line[rate]); // two of nine rectified, shown as before
        Assert.Equal(CellKind.Percent, XlsxText.FirstSheetKinds(bytes)[rows.IndexOf(line)][rate]);
        AssertHeaderRowKept(bytes);
    }

    /// <summary>Every sheet freezes its header row and repeats it at the top of each printed page.</summary>
    [Fact]
    public async Task Given_the_bureau_dashboard_When_exported_Then_rectification_rates_show_one_decimal_as_on_the_page()
    {
        using var finance = await app.ApiAsync("finance");
        var bytes = await finance.GetByteArrayAsync("/api/dashboards/bureau/export.xlsx?year=2021");
        var sheets = XlsxText.Sheets(bytes);

        // 概况's 整改率（%） and the rate column of each rate chart: shown 22.2, as the page does (they were 22.20).
        var summaryRow = sheets["概况"].FindIndex(r => r[0] == "整改率（%）") + 1;
        Assert.Matches(@"^\d+\.\d$", sheets["概况"][summaryRow - 1][1]);
        Assert.Equal("0.0", XlsxText.FormatOf(bytes, $"B{summaryRow}", "概况"));
        foreach (var name in new[] { "整改率（按单位，由低到高）", "整改率（按问题类别）" })
        {
            var index = sheets[name][0].IndexOf("整改率（%）");
            Assert.True(index > 0 && sheets[name].Count > 1, name);
            var rated = Enumerable.Range(2, sheets[name].Count - 1).Where(r => sheets[name][r - 1][index].Length > 0).ToList(); // a unit with nothing rectifiable has no rate
            Assert.NotEmpty(rated);
            Assert.All(rated, r =>
            {
                Assert.Matches(@"^\d+\.\d$", sheets[name][r - 1][index]);
                Assert.Equal("0.0", XlsxText.FormatOf(bytes, $"{TableFile.ColumnName(index)}{r}", name));
            });
        }

        // Counts beside them stay whole numbers.
        var findingsRow = sheets["概况"].FindIndex(r => r[0] == "问题总数") + 1;
        Assert.Equal("0", XlsxText.FormatOf(bytes, $"B{findingsRow}", "概况"));
    }

    private static void AssertHeaderRowKept(byte[] xlsx)
    {
        using var stream = new MemoryStream(xlsx);
        using var doc = SpreadsheetDocument.Open(stream, false);
        var wb = doc.WorkbookPart!;
        var sheets = wb.Workbook.Descendants<Sheet>().ToList();
        var titles = wb.Workbook.DefinedNames?.Elements<DefinedName>().Where(d => d.Name == "_xlnm.Print_Titles").ToList() ?? [];
        for (var i = 0; i < sheets.Count; i++)
        {
            var pane = ((WorksheetPart)wb.GetPartById(sheets[i].Id!)).Worksheet.Descendants<Pane>().SingleOrDefault();
            Assert.True(pane is { State.Value: var state, VerticalSplit.Value: 1 } && state == PaneStateValues.Frozen && pane.TopLeftCell == "A2", $"sheet {sheets[i].Name} scrolls its header away");
            Assert.Contains(titles, d => d.LocalSheetId?.Value == (uint)i && d.Text == $"'{sheets[i].Name}'!$1:$1");
        }
    }
}
