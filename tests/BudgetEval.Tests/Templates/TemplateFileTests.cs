using System.Net;
using System.Net.Http.Headers;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Evaluations;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Templates;

/// <summary>A 重点评价 template's rows out to Excel and back into the form, with the score table import's cell-named refusals.</summary>
public sealed class TemplateFileTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_an_exported_template_edited_in_Excel_When_imported_Then_wrong_cells_are_named_and_a_good_file_fills_the_form_unsaved()
    {
        using var admin = await app.SignInAsync("admin");
        var id = await app.DbAsync(db => db.IndicatorTemplates.Where(t => t.Key == EvaluationTemplates.DefaultKey).Select(t => t.Id).SingleAsync());
        var exported = await admin.GetAsync($"/admin/templates/{id}?handler=Export");
        Assert.Equal(HttpStatusCode.OK, exported.StatusCode);
        var xlsx = await exported.Content.ReadAsByteArrayAsync();
        var sheet = XlsxText.FirstSheet(xlsx);
        Assert.Equal(["一级指标", "二级指标", "三级指标", "分值", "评分要点", "评分标准"], sheet[0]);
        Assert.Equal(EvaluationTemplates.Default.Rows.Count + 1, sheet.Count);
        Assert.Equal(["投入", "目标设定", "绩效目标合理性", "2"], sheet[1].Take(4));
        Assert.True(await app.DbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "export" && a.Target == EvaluationTemplates.Default.Name)));

        var wrong = XlsxEdit.FirstSheet(xlsx, data =>
        {
            XlsxEdit.SetNumber(XlsxEdit.RowWith(data, "绩效目标合理性"), "D", 2.5m);
            var cell = XlsxEdit.RowWith(data, "聘用人员控制率").Elements<Cell>().First();
            cell.DataType = CellValues.InlineString;
            cell.CellValue = null;
            cell.InlineString = new InlineString(new Text("投人"));
        });
        var refused = await ImportAsync(admin, wrong);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var page = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("A4（第4行「一级指标」）“投人”应为投入、过程、产出、效果之一。", page, StringComparison.Ordinal);
        Assert.Contains("「分值」列合计须为 100，现为 100.5", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"import-note\"", page, StringComparison.Ordinal); // nothing taken

        var good = await ImportAsync(admin, xlsx);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        var filled = WebUtility.HtmlDecode(await good.Content.ReadAsStringAsync());
        Assert.Contains($"读入 {EvaluationTemplates.Default.Rows.Count} 行指标，尚未保存", filled, StringComparison.Ordinal);
        Assert.Contains("value=\"社会公众或服务对象满意度\"", filled, StringComparison.Ordinal);
        Assert.Contains("当前合计 100 分", filled, StringComparison.Ordinal);
        Assert.False(await app.DbAsync(db => db.IndicatorTemplates.AnyAsync(t => t.Name == "导入的模板")));
    }

    private static async Task<HttpResponseMessage> ImportAsync(HttpClient admin, byte[] xlsx)
    {
        var form = await admin.GetStringAsync("/admin/templates/new?kind=Evaluation");
        using var content = new MultipartFormDataContent
        {
            { new StringContent(AppFixture.AntiforgeryToken(form)), "__RequestVerificationToken" },
            { new StringContent("Evaluation"), "kind" },
            { new StringContent("导入的模板"), "Input.Name" },
        };
        foreach (var (group, i) in new[] { "投入", "过程", "产出", "效果" }.Select((g, i) => (g, i)))
        {
            content.Add(new StringContent(group), $"Input.Groups[{i}].Level1");
        }

        var file = new ByteArrayContent(xlsx);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        content.Add(file, "file", "指标.xlsx");
        return await admin.PostAsync("/admin/templates/new?handler=Import", content);
    }
}
