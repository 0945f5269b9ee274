using System.Net;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Audit;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Plans;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.SelfEvaluations;

/// <summary>
/// 下载 Word: the 自评表 and 自评报告 as a .docx a unit finishes in Word or WPS, with the sample's figures
/// (69.34% → 6.93, 96.93 优), every indicator row, every report section, and the same access as the print view.
/// </summary>
public sealed class FormDocumentTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_the_centres_prefilled_2022_draft_When_its_word_document_is_downloaded_Then_it_is_valid_and_carries_the_samples_figures_rows_and_report()
    {
        var id = await CentreDraftAsync();
        var rows = await app.DbAsync(db => db.SelfEvaluationIndicators.Where(r => r.SelfEvaluationId == id).OrderBy(r => r.SortOrder).ToListAsync());
        var report = await app.DbAsync(db => db.SelfEvaluations.AsNoTracking().Where(s => s.Id == id).Select(s => s.Report).SingleAsync());
        var unit = await app.SignInAsync("unit");

        var response = await unit.GetAsync($"/self-evaluations/{id}/print?handler=docx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", response.Content.Headers.ContentType!.MediaType);
        Assert.EndsWith(".docx", response.Content.Headers.ContentDisposition!.FileNameStar, StringComparison.Ordinal);
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var doc = WordprocessingDocument.Open(stream, false);
        var schemaErrors = new OpenXmlValidator(FileFormatVersions.Office2013).Validate(doc).Select(e => $"{e.Path?.XPath}: {e.Description}").Take(5).ToList();
        Assert.True(schemaErrors.Count == 0, string.Join(" | ", schemaErrors)); // what Word would offer to "repair"

        var body = doc.MainDocumentPart!.Document.Body!;
        var tables = body.Elements<Table>().Select(Cells).ToList();
        // The print view's 上年及以前发现问题的整改情况 list (the 2021 evaluation's findings) comes as a third table, line for line.
        var print = await unit.GetStringAsync($"/self-evaluations/{id}/print");
        var followUp = System.Text.RegularExpressions.Regex.Match(print, "<table class=\"grid\" data-testid=\"follow-up\">.*?</table>", System.Text.RegularExpressions.RegexOptions.Singleline).Value;
        var printed = System.Text.RegularExpressions.Regex.Matches(followUp, "<tr><td>([^<]+)</td>").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(printed);
        Assert.Equal(3, tables.Count);
        Assert.Equal(printed, tables[2].Skip(1).Select(r => r[0]));

        var summary = tables[0];
        Assert.Equal("长沙市望城区社会治理服务中心", summary[0][1]);
        var total = summary.Single(r => r.Contains("年度资金总额"));
        Assert.Equal(["69.34%", "6.93"], total.TakeLast(2));

        var indicators = tables[1];
        // As the sample: 年度绩效指标 down the left, each 一级指标 once over its rows (the merged cells below it read as empty).
        Assert.Equal(["", "一级指标", "二级指标", "三级指标", "目标内容", "目标值", "完成值", "分值", "得分", "未完成原因", "改进措施"], indicators[0]);
        Assert.Equal(rows.Count + 2, indicators.Count);
        Assert.Equal("年度绩效指标", indicators[1][0]);
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var level1 = i == 0 || rows[i - 1].Level1 != r.Level1 ? r.Level1 ?? "" : "";
            Assert.Equal([level1, r.Level2 ?? "", r.Level3 ?? "", r.Content ?? "", r.Target ?? "", r.Actual ?? ""], indicators[i + 1].Skip(1).Take(6));
        }

        Assert.Equal(["总分", "100", "96.93", "等级：优"], indicators[^1]);

        // The report follows on portrait pages: every section's heading, its text line by line, 未填写 where empty.
        var paragraphs = body.Elements<Paragraph>().Select(p => p.InnerText).ToList();
        var start = paragraphs.IndexOf("自评报告");
        Assert.True(start > 0);
        var headings = SelfEvaluationReportSections().ToList();
        Assert.Equal(headings, paragraphs.Skip(start).Where(headings.Contains));
        var basics = report.Get("basics")!.Split('\n')[0].Trim();
        Assert.Contains(basics, paragraphs);
        Assert.Contains("（未填写）", paragraphs.SkipWhile(p => p != "其他"));
        var sections = body.Descendants<SectionProperties>().Select(s => s.GetFirstChild<PageSize>()!.Orient?.Value).ToList();
        Assert.Equal([PageOrientationValues.Landscape, null], sections);
    }

    [Fact]
    public async Task Given_another_units_self_evaluation_When_its_word_document_is_asked_for_Then_404_and_the_owners_download_is_audited()
    {
        var id = await CentreDraftAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await (await app.SignInAsync("unit2")).GetAsync($"/self-evaluations/{id}/print?handler=docx")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.ApiAsync("unit2")).GetAsync($"/api/self-evaluations/{id}/export.docx")).StatusCode);

        var api = await (await app.ApiAsync("finance")).GetAsync($"/api/self-evaluations/{id}/export.docx");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal("PK", System.Text.Encoding.ASCII.GetString((await api.Content.ReadAsByteArrayAsync())[..2]));
        var title = await app.DbAsync(db => db.SelfEvaluations.Where(s => s.Id == id).Select(s => s.Title).SingleAsync());
        var audited = await app.DbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(a => a.Action == AuditActions.Export && a.Target == title && a.Detail == "自评表与自评报告（Word）").Select(a => a.ActorName).ToListAsync());
        Assert.Single(audited, "李敏（finance）"); // and no line for the refused reads of unit2
        Assert.DoesNotContain("陈静（unit2）", audited);
    }

    private static IEnumerable<string> SelfEvaluationReportSections() => BudgetEval.Web.SelfEvaluations.SelfEvaluationReport.Sections.Select(s => s.Label);

    /// <summary>A table as text, row by row; a cell continued from the row above (a rowspan) reads as empty.</summary>
    private static List<List<string>> Cells(Table table) =>
        table.Elements<TableRow>().Select(r => r.Elements<TableCell>().Select(c => string.Join("\n", c.Elements<Paragraph>().Select(p => string.Concat(p.Descendants<Text>().Select(t => t.Text))))).ToList()).ToList();

    private Task<Guid> CentreDraftAsync() => app.DbAsync(async db =>
    {
        var centre = await db.Organisations.Where(o => o.Name == DemoSeeder.SocialGovernanceCentre).Select(o => o.Id).SingleAsync();
        return await db.SelfEvaluations.Where(s => s.OrganisationId == centre && s.PlanId != null && s.Kind == EvaluationKind.DepartmentWide).Select(s => s.Id).FirstAsync();
    });
}
