using System.Net;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Infrastructure;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.SamplesFidelity;

/// <summary>
/// The demo's 2022 部门整体自评表 of the centre read against the real one: its header values, and the print view and
/// Word document in the sample's order (name and 所属独立核算单位个数, 资金情况, 部门职能概述, 年度总体目标) with its figures.
/// Nothing here changes the record.
/// </summary>
public sealed partial class SampleLayoutTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_the_demo_centre_2022_form_When_read_Then_its_header_fields_equal_the_sample_table()
    {
        var id = await SampleHeader.CentreDraftAsync(app);

        var stored = await app.DbAsync(db => db.SelfEvaluations.AsNoTracking().Where(s => s.Id == id).Select(s => new { s.IndependentUnits, s.Functions, s.FundsRowsJson }).SingleAsync());

        Assert.Equal(SampleHeader.IndependentUnits, stored.IndependentUnits);
        Assert.Equal(SampleHeader.Functions, stored.Functions);
        Assert.Contains("财政拨款", stored.FundsRowsJson, StringComparison.Ordinal); // the sample's one source row
    }

    [Fact]
    public async Task Given_the_demo_centre_2022_form_When_printed_Then_the_rows_follow_the_sample_and_the_figures_are_the_samples()
    {
        var id = await SampleHeader.CentreDraftAsync(app);
        var unit = await app.SignInAsync("unit");

        var html = WebUtility.HtmlDecode(await unit.GetStringAsync($"/self-evaluations/{id}/print"));

        var summary = Regex.Match(html, "<table class=\"summary\">.*?</table>", RegexOptions.Singleline).Value;
        var text = Tags().Replace(summary, "|");
        var at = SampleHeader.Positions(text, "部门(单位)名称", "长沙市望城区社会治理服务中心", "所属独立核算单位个数", "资金来源", "财政拨款", "年度资金总额", "部门职能概述", "一、负责全区社会治理网格化体系建设", "年度总体目标");
        Assert.Equal(at.Order(), at); // in the sample's order
        Assert.Matches(@"所属独立核算单位个数\|+0\|", text);
        Assert.Matches(@"\|财政拨款\|+1412\.74\|+979\.56\|+0\.00\|+--\|+69\.34%\|+--\|", text);
        Assert.Matches(@"\|年度资金总额\|+1412\.74\|+979\.56\|+0\.00\|+10\|+69\.34%\|+6\.93\|", text);
        Assert.Contains(SampleHeader.Functions, summary, StringComparison.Ordinal);

        // The indicator table's columns, and the 总分 row of 100 / 96.93.
        var indicators = Regex.Match(html, "<table class=\"indicators\">.*?</table>", RegexOptions.Singleline).Value;
        Assert.Equal(["一级指标", "二级指标", "三级指标", "目标内容", "目标值", "完成值", "分值", "得分", "未完成原因", "改进措施"],
            Regex.Matches(Regex.Match(indicators, "<thead>.*?</thead>", RegexOptions.Singleline).Value, "<th>([^<]*)</th>").Select(m => m.Groups[1].Value));
        Assert.Matches(@"总分\|+100\|+96\.93\|", Tags().Replace(Regex.Match(indicators, "<tr class=\"total\">.*?</tr>", RegexOptions.Singleline).Value, "|"));

        // 年度绩效指标 down the left over every row, and each 一级指标 written once over its rows, as on the paper form.
        var rows = await app.DbAsync(db => db.SelfEvaluationIndicators.CountAsync(r => r.SelfEvaluationId == id));
        Assert.Single(Regex.Matches(indicators, ">年度绩效指标</th>"));
        Assert.Equal(rows - 1, Regex.Count(indicators, "<tr>\\s*<td class=\"cont\"></td>")); // the label's column blank below it
        Assert.Single(Regex.Matches(indicators, ">产出指标<"));
        Assert.Single(Regex.Matches(indicators, ">效益指标<"));
        Assert.Single(Regex.Matches(indicators, ">满意度指标<"));
    }

    [Fact]
    public async Task Given_the_demo_centre_2022_form_When_downloaded_as_word_Then_its_summary_table_has_the_samples_rows_in_order()
    {
        var id = await SampleHeader.CentreDraftAsync(app);
        var unit = await app.SignInAsync("unit");

        var bytes = await unit.GetByteArrayAsync($"/self-evaluations/{id}/print?handler=docx");

        using var stream = new MemoryStream(bytes);
        using var doc = WordprocessingDocument.Open(stream, false);
        var summary = doc.MainDocumentPart!.Document.Body!.Elements<Table>().First().Elements<TableRow>()
            .Select(r => r.Elements<TableCell>().Select(c => c.InnerText).Where(t => t.Length > 0).ToList()).ToList();
        Assert.Equal(["部门(单位)名称", "长沙市望城区社会治理服务中心", "所属独立核算单位个数", "0"], summary[0]);
        Assert.Equal(["资金情况（万元）", "资金来源", "全年预算数(A)", "全年执行数(B)", "上级财政转移支付(C)", "分值", "执行率((B-C)/A)", "得分"], summary[1]);
        Assert.Equal(["财政拨款", "1412.74", "979.56", "0.00", "--", "69.34%", "--"], summary[2]);
        Assert.Equal(["年度资金总额", "1412.74", "979.56", "0.00", "10", "69.34%", "6.93"], summary[3]);
        Assert.Equal(["部门职能概述", SampleHeader.Functions], summary[4]);
        Assert.Equal("年度总体目标", summary[5][0]);
    }

    [Fact]
    public async Task Given_the_centres_project_form_When_shown_printed_and_read_over_the_api_Then_it_has_neither_header_field()
    {
        var id = await SampleHeader.CentreProjectAsync(app);
        var unit = await app.SignInAsync("unit");
        var api = await app.ApiAsync("unit");

        var form = await unit.GetStringAsync($"/self-evaluations/{id}/form");
        var print = await unit.GetStringAsync($"/self-evaluations/{id}/print");
        var detail = await SelfEvaluations.SelfEvaluationApiTests.DetailAsync(api, id);

        Assert.DoesNotContain("所属独立核算单位个数", form, StringComparison.Ordinal);
        Assert.DoesNotContain("部门职能概述", form, StringComparison.Ordinal);
        Assert.DoesNotContain("所属独立核算单位个数", print, StringComparison.Ordinal);
        Assert.True(!detail.TryGetProperty("header", out var header) || header.ValueKind == System.Text.Json.JsonValueKind.Null, detail.ToString());
        Assert.Contains("项目：", WebUtility.HtmlDecode(print), StringComparison.Ordinal); // its own first row, as before
    }

    [GeneratedRegex("(\\s*<[^>]*>\\s*)+")]
    private static partial Regex Tags();
}
