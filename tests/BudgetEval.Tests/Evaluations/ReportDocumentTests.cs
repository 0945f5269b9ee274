using System.Net;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Audit;
using BudgetEval.Web.Demo;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Evaluations;

/// <summary>下载 Word of a 评价报告: the demo's completed 2021 report (89.80 良) as a valid .docx, with the print view's access.</summary>
public sealed class ReportDocumentTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_the_completed_2021_evaluation_When_the_bureau_downloads_its_word_report_Then_sections_problems_and_the_annex_with_89_80_are_there()
    {
        var (id, rows, problems, title) = await app.DbAsync(async db =>
        {
            var centre = await db.Organisations.Where(o => o.Name == DemoSeeder.SocialGovernanceCentre).Select(o => o.Id).SingleAsync();
            var e = await db.Evaluations.AsNoTracking().SingleAsync(e => e.OrganisationId == centre && e.FiscalYear == 2021 && e.Status == "completed");
            return (e.Id, e.Rows.Count, e.Problems.Count, e.Title);
        });
        var finance = await app.SignInAsync("finance");
        Assert.Contains($"href=\"/evaluations/{id}/print?handler=docx\"", await finance.GetStringAsync($"/evaluations/{id}"), StringComparison.Ordinal);

        var response = await finance.GetAsync($"/evaluations/{id}/print?handler=docx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", response.Content.Headers.ContentType!.MediaType);
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var doc = WordprocessingDocument.Open(stream, false);
        var schemaErrors = new OpenXmlValidator(FileFormatVersions.Office2013).Validate(doc).Select(e => $"{e.Path?.XPath}: {e.Description}").Take(5).ToList();
        Assert.True(schemaErrors.Count == 0, string.Join(" | ", schemaErrors));

        var body = doc.MainDocumentPart!.Document.Body!;
        var paragraphs = body.Elements<Paragraph>().Select(p => p.InnerText).ToList();
        Assert.DoesNotContain("初稿", paragraphs); // accepted by the bureau
        Assert.Equal(["一、部门概况", "二、支出情况", "三、绩效目标", "四、绩效情况及评价结论", "五、存在的问题", "六、有关建议"],
            paragraphs.Where(p => p.Length > 2 && "一二三四五六".Contains(p[0], StringComparison.Ordinal) && p[1] == '、'));
        Assert.Equal(Enumerable.Range(1, problems).Select(i => $"{i}．"), paragraphs.Where(p => p.Length > 1 && char.IsDigit(p[0]) && p.Contains('．', StringComparison.Ordinal)).Select(p => p[..(p.IndexOf('．', StringComparison.Ordinal) + 1)]));

        var annex = Assert.Single(body.Elements<Table>()).Elements<TableRow>()
            .Select(r => r.Elements<TableCell>().Select(c => c.InnerText).ToList()).ToList();
        Assert.Equal(["一级指标", "二级指标", "三级指标", "分值", "评分要点", "评分标准", "评分说明", "得分"], annex[0]);
        Assert.Equal(["合计", "100", "", "等级：良", "89.80"], annex[^1]);
        Assert.Equal(rows, annex.Count(r => r.Count == 8) - 1);
        var sections = body.Descendants<SectionProperties>().Select(s => s.GetFirstChild<PageSize>()!.Orient?.Value).ToList();
        Assert.Equal([null, PageOrientationValues.Landscape], sections); // the report portrait, its annex landscape
        var footer = Assert.Single(doc.MainDocumentPart.FooterParts).Footer;
        Assert.Equal([" PAGE ", " NUMPAGES "], footer.Descendants<FieldCode>().Select(f => f.Text));
        Assert.Equal("第 1 页，共 1 页", footer.InnerText.Replace(" PAGE ", "", StringComparison.Ordinal).Replace(" NUMPAGES ", "", StringComparison.Ordinal));
        Assert.All(body.Descendants<SectionProperties>(), s => Assert.Equal(doc.MainDocumentPart.GetIdOfPart(doc.MainDocumentPart.FooterParts.Single()), s.GetFirstChild<FooterReference>()!.Id!.Value));

        Assert.Equal(1, await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Action == AuditActions.Export && a.Target == title && a.Detail == "评价报告（Word）")));
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.SignInAsync("unit2")).GetAsync($"/evaluations/{id}/print?handler=docx")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.SignInAsync("evaluator")).GetAsync($"/evaluations/{id}/print?handler=docx")).StatusCode); // the firm's view ends with acceptance
    }
}
