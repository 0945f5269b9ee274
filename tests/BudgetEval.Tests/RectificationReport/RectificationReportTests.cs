using System.Net;
using System.Net.Http.Json;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Rectifications;
using BudgetEval.Web.Audit;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Findings;
using BudgetEval.Web.Organisations;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.RectificationReport;

/// <summary>
/// 整改情况报告: the letter a unit sends the bureau at the end of a rectification round, generated from the register —
/// the demo centre's nine 2021 findings (two fixed before the report), one of them taken through plan → result → 已整改.
/// </summary>
public sealed class RectificationReportTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Centre = DemoSeeder.SocialGovernanceCentre;
    private const string ReportNumber = "湘财苑专审字[2022]第124号";
    private const string Title = Centre + "关于2021年度部门整体支出绩效评价发现问题整改情况的报告";
    private const string WordDetail = "整改情况报告（Word）";

    [Fact]
    public async Task Given_the_centres_2021_findings_one_taken_to_rectified_When_the_unit_downloads_its_report_Then_sections_counts_annex_and_dates_match_the_register()
    {
        var api = new RectificationApi(app);
        var fixedId = await RectifyFirstOpenFindingAsync(api);
        var register = await app.DbAsync(db => db.Findings.AsNoTracking()
            .Where(f => f.FiscalYear == 2021 && db.Organisations.Any(o => o.Id == f.OrganisationId && o.Name == Centre))
            .OrderBy(f => f.Number).ToListAsync());
        var bureau = await app.DbAsync(db => db.Organisations.Where(o => o.Kind == OrganisationKind.FinanceBureau).Select(o => o.Name).SingleAsync());

        var audited = await UnitLinesAsync();
        var response = await (await api.Cases.As("unit")).GetAsync("/api/findings/rectification-report.docx?fiscalYear=2021&source=ThirdParty");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Title + ".docx", response.Content.Headers.ContentDisposition!.FileNameStar);
        var (paragraphs, annex) = Read(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(Title, paragraphs[0]);
        Assert.Equal("长沙市望城区财政局", bureau);
        Assert.Equal($"主送：{bureau}", paragraphs[1]);
        Assert.StartsWith($"2021年度部门整体支出绩效评价报告（{ReportNumber}）共指出我单位问题9个。", paragraphs[2], StringComparison.Ordinal);

        // One numbered section per finding, in the register's order, each with only the labels it has something for.
        Assert.Equal(9, register.Count);
        var numerals = new[] { "一", "二", "三", "四", "五", "六", "七", "八", "九" };
        Assert.Equal(register.Select((f, i) => $"{numerals[i]}、{f.Title}"), paragraphs.Where(p => numerals.Any(n => p.StartsWith(n + "、", StringComparison.Ordinal))));
        Assert.DoesNotContain(paragraphs, p => System.Text.RegularExpressions.Regex.IsMatch(p, "^[^：]{1,8}：$")); // no label without its text
        var done = Section(paragraphs, register.Single(f => f.Id == fixedId).Title);
        Assert.Equal(
        [
            $"问题：{register.Single(f => f.Id == fixedId).Detail}", $"整改建议：{register.Single(f => f.Id == fixedId).Recommendation}",
            "整改措施：完善制度，补记账务。", "责任人：张会计", "计划完成时间：2026年4月15日", "整改结果：已补记账务并完善制度。", "佐证材料：整改报告.pdf",
            "完成时间：2026年3月2日", "核验意见：已整改：经核验已全部整改到位。", "状态：已整改",
        ], done);
        Assert.DoesNotContain(paragraphs, p => p.StartsWith("问题来源", StringComparison.Ordinal)); // one source for all: the opening names it
        var prior = register.Single(f => f.PriorSourceDocument is not null);
        Assert.Contains($"此前发现：{prior.PriorSourceKind}（{prior.PriorSourceDocument}）", Section(paragraphs, prior.Title));
        var early = register.Where(f => f.RectifiedBeforeReport).ToList();
        Assert.Equal(2, early.Count);
        foreach (var f in early)
        {
            var section = Section(paragraphs, f.Title);
            Assert.Contains("状态：已整改（报告前已整改）", section);
            Assert.Contains($"完成时间：{f.FinishedOn!.Value.Year}年{f.FinishedOn.Value.Month}月{f.FinishedOn.Value.Day}日", section);
        }

        foreach (var f in register.Where(f => f.Status == FindingStatus.Open))
        {
            var section = Section(paragraphs, f.Title);
            Assert.Equal("状态：未整改", section[^1]);
            Assert.Contains($"整改期限：{f.Deadline.Year}年{f.Deadline.Month}月{f.Deadline.Day}日", section);
            Assert.DoesNotContain(section, p => p.StartsWith("整改措施", StringComparison.Ordinal) || p.StartsWith("完成时间", StringComparison.Ordinal));
        }

        // The counts come from the same rows, and equal what the register holds.
        var rectified = register.Count(f => f.Status == FindingStatus.Rectified);
        var open = register.Count(f => f.Status == FindingStatus.Open);
        Assert.Equal((3, 6), (rectified, open));
        Assert.Equal($"综上，共{register.Count}个问题，已整改{rectified}个（其中报告前已整改{early.Count}个）、未整改{open}个。", paragraphs.Single(p => p.StartsWith("综上", StringComparison.Ordinal)));

        // The annex: one row per finding under its header.
        Assert.Equal(["序号", "问题", "整改措施", "完成情况", "状态"], annex[0]);
        Assert.Equal(register.Count + 1, annex.Count);
        Assert.Equal(register.Select((f, i) => (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)), annex.Skip(1).Select(r => r[0]));
        var fixedRow = annex[register.FindIndex(f => f.Id == fixedId) + 1];
        Assert.Equal([register.Single(f => f.Id == fixedId).Title, "完善制度，补记账务。", "已补记账务并完善制度。完成时间：2026年3月2日", "已整改"], fixedRow.Skip(1));
        Assert.Equal(2, annex.Count(r => r[4] == "已整改（报告前已整改）"));
        Assert.Equal(open, annex.Count(r => r[4] == "未整改"));

        // Signed by the unit, dated by the application's clock; every date in the Chinese form.
        var sign = paragraphs.FindIndex(p => p == Centre);
        Assert.True(sign > 0, "no signature line");
        Assert.Equal("2026年3月2日", paragraphs[sign + 1]);
        Assert.DoesNotMatch(@"\d{4}-\d{1,2}-\d{1,2}", string.Join("\n", paragraphs.Concat(annex.SelectMany(r => r))));

        Assert.Equal(audited + 1, await UnitLinesAsync());
    }

    private Task<int> UnitLinesAsync() => app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Action == AuditActions.Export && a.Target == Title
        && a.Detail == WordDetail && a.ActorName!.EndsWith("（unit）")));

    [Fact]
    public async Task Given_the_centres_report_When_another_unit_the_firm_or_the_bureau_ask_Then_only_the_bureau_gets_it_and_refusals_leave_no_audit_line()
    {
        var centre = await app.SocialGovernanceCentreAsync();
        var url = $"/api/findings/rectification-report.docx?unit={centre}&fiscalYear=2021";
        var byName = $"/api/findings/rectification-report.docx?unit={Uri.EscapeDataString(Centre)}&fiscalYear=2021";
        var before = await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Detail == WordDetail));

        Assert.Equal(HttpStatusCode.NotFound, (await (await app.ApiAsync("unit2")).GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.ApiAsync("unit2")).GetAsync(byName)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.ApiAsync("unit2")).GetAsync("/api/findings/rectification-report.docx?fiscalYear=2021")).StatusCode); // its own: none
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.ApiAsync("evaluator")).GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.SignInAsync("unit2")).GetAsync($"/findings/rectification-report?unit={centre}&fiscalYear=2021&handler=docx")).StatusCode);
        Assert.Equal(before, await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Detail == WordDetail)));

        var finance = await app.ApiAsync("finance");
        var noUnit = await finance.GetAsync("/api/findings/rectification-report.docx?fiscalYear=2021");
        Assert.Equal(HttpStatusCode.BadRequest, noUnit.StatusCode);
        Assert.Contains("「单位」：请指定", await noUnit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var noYear = await finance.GetAsync($"/api/findings/rectification-report.docx?unit={centre}");
        Assert.Equal(HttpStatusCode.BadRequest, noYear.StatusCode);
        Assert.Contains("「年度」：请指定年度或来源文号", await noYear.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var ok = await finance.GetAsync(byName + "&sourceDocument=" + Uri.EscapeDataString(ReportNumber));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(Title, Read(await ok.Content.ReadAsByteArrayAsync()).Paragraphs[0]);
        Assert.Equal(before + 1, await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Detail == WordDetail && a.Target == Title)));
    }

    [Fact]
    public async Task Given_an_audit_finding_of_2022_in_the_category_of_2021_When_its_report_is_printed_Then_it_is_marked_recurring_and_the_pages_link_to_the_report()
    {
        var api = new RectificationApi(app);
        var centre = await app.SocialGovernanceCentreAsync();
        var registered = await (await api.Cases.As("finance")).PostAsJsonAsync("/api/findings", new
        {
            organisationId = centre, fiscalYear = 2022, category = "财务管理", title = "公务卡使用不规范", detail = "区审计局抽查发现。",
            source = "Audit", sourceDocument = "望审〔2026〕3号", deadline = "2026-05-01",
        });
        await EvaluationApi.Ok(registered);

        var unit = await app.SignInAsync("unit");
        var page = await unit.GetAsync("/findings/rectification-report?fiscalYear=2022&source=Audit");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = System.Net.WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.Contains($"{Centre}关于2022年度审计发现问题整改情况的报告", html, StringComparison.Ordinal);
        Assert.Contains("一、公务卡使用不规范（重复发生）", html, StringComparison.Ordinal);
        Assert.Contains("综上，共1个问题，未整改1个。", html, StringComparison.Ordinal);
        Assert.Contains("整改期限：2026年5月1日", html, StringComparison.Ordinal);
        Assert.DoesNotContain("整改措施：", html, StringComparison.Ordinal);
        var title2022 = $"{Centre}关于2022年度审计发现问题整改情况的报告";
        var pdfLines = await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Target == title2022 && a.Detail == "整改情况报告（PDF）"));
        Assert.Equal(0, pdfLines); // viewing the print view is not a download
        var pdf = await unit.GetAsync("/findings/rectification-report?fiscalYear=2022&source=Audit&handler=pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync(), 0, 4), StringComparison.Ordinal);
        Assert.Equal(1, await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Target == title2022 && a.Detail == "整改情况报告（PDF）")));

        // The register filtered to one unit and year offers the report; the completed evaluation links to its own.
        var list = await unit.GetStringAsync("/findings?FiscalYear=2021");
        var fromList = await unit.GetAsync(Href(list, "rectification-report-docx"));
        Assert.Equal(HttpStatusCode.OK, fromList.StatusCode);
        Assert.Equal(Title, Read(await fromList.Content.ReadAsByteArrayAsync()).Paragraphs[0]);
        Assert.DoesNotContain("rectification-report-docx", await unit.GetStringAsync("/findings"), StringComparison.Ordinal); // no year chosen
        var finance = await app.SignInAsync("finance");
        Assert.DoesNotContain("rectification-report-docx", await finance.GetStringAsync("/findings?FiscalYear=2021"), StringComparison.Ordinal); // every unit's
        Assert.Contains("rectification-report-docx", await finance.GetStringAsync($"/findings?FiscalYear=2021&Unit={Uri.EscapeDataString(Centre)}"), StringComparison.Ordinal);
        var evaluation = await app.DbAsync(db => db.Evaluations.Where(e => e.OrganisationId == centre && e.FiscalYear == 2021 && e.Status == "completed").Select(e => e.Id).SingleAsync());
        var details = await finance.GetStringAsync($"/evaluations/{evaluation}");
        var docx = await finance.GetAsync(Href(details, "rectification-report-link"));
        Assert.Equal(HttpStatusCode.OK, docx.StatusCode);
        Assert.Equal(Title, Read(await docx.Content.ReadAsByteArrayAsync()).Paragraphs[0]);
    }

    [Fact]
    public async Task Given_inspection_findings_partly_rectified_unrectifiable_open_and_registered_as_fixed_When_reported_Then_each_status_reads_as_the_register_and_the_counts_add_up()
    {
        var api = new RectificationApi(app);
        var deadline = new DateOnly(2026, 5, 1);
        var (partId, partCase) = await api.RegisterInspectionAsync(2023, "资产处置未履行报批程序", deadline);
        var (lostId, lostCase) = await api.RegisterInspectionAsync(2023, "报废设备未核销", deadline);
        await api.RegisterInspectionAsync(2023, "车辆使用登记不全", deadline);
        var early = await (await api.Cases.As("finance")).PostAsJsonAsync("/api/findings", new
        {
            organisationId = await app.SocialGovernanceCentreAsync(), fiscalYear = 2023, category = "资产管理", title = "资产卡片信息不全",
            detail = "区委巡察组反馈。", source = "Inspection", sourceDocument = "望巡〔2026〕2号", deadline = "2026-05-01",
            rectifiedBeforeReport = true, rectifiedOn = "2026-02-10", rectifiedEvidence = "已完成资产清查并补录卡片。",
        });
        await EvaluationApi.Ok(early);

        await api.PlanAndReportAsync(partId, partCase);
        await api.PutOkAsync("finance", $"/api/findings/{partId}/next-deadline", new { deadline = "2026-06-30", stamp = await api.StampAsync("finance", partId) });
        await api.Cases.FireOkAsync("finance", partCase, "partial", "尚有两台设备未入账。");
        await api.PlanAndReportAsync(lostId, lostCase);
        await api.Cases.FireOkAsync("finance", lostCase, "cannotRectify", "设备已于2019年报废，原始凭证无从追溯。");

        var response = await (await api.Cases.As("unithead")).GetAsync("/api/findings/rectification-report.docx?fiscalYear=2023&source=Inspection");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (paragraphs, annex) = Read(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal($"{Centre}关于2023年度巡察发现问题整改情况的报告", paragraphs[0]);
        Assert.StartsWith("巡察（望巡〔2026〕2号）共指出我单位问题4个。", paragraphs[2], StringComparison.Ordinal);
        var statuses = await app.DbAsync(db => db.Findings.Where(f => f.FiscalYear == 2023 && f.Source == FindingSource.Inspection).Select(f => f.Status).ToListAsync());
        Assert.Equal(new[] { FindingStatus.Rectified, FindingStatus.Partial, FindingStatus.Open, FindingStatus.Unrectifiable }.Order(), statuses.Order()); // the register
        Assert.Equal("综上，共4个问题，已整改1个（其中登记时已整改1个）、部分整改1个、未整改1个、无法整改1个。", paragraphs.Single(p => p.StartsWith("综上", StringComparison.Ordinal)));

        var part = Section(paragraphs, "资产处置未履行报批程序");
        Assert.Contains("整改期限：2026年6月30日", part);
        Assert.Contains("尚未整改：尚有两台设备未入账。", part);
        Assert.Contains("核验意见：部分整改：尚有两台设备未入账。", part);
        Assert.Equal("状态：部分整改", part[^1]);
        var lost = Section(paragraphs, "报废设备未核销");
        Assert.Contains("核验意见：无法整改：设备已于2019年报废，原始凭证无从追溯。", lost);
        Assert.Equal("状态：无法整改", lost[^1]);
        Assert.DoesNotContain(lost, p => p.StartsWith("完成时间", StringComparison.Ordinal) || p.StartsWith("整改期限", StringComparison.Ordinal));
        var registered = Section(paragraphs, "资产卡片信息不全");
        Assert.Equal(["问题：区委巡察组反馈。", "整改结果：已完成资产清查并补录卡片。", "完成时间：2026年2月10日", "状态：已整改（登记时已整改）"], registered);

        Assert.Equal(5, annex.Count);
        Assert.Contains(["资产处置未履行报批程序", "完善制度，补记账务。", "已补记账务并完善制度。尚未整改：尚有两台设备未入账。整改期限：2026年6月30日", "部分整改"], annex.Select(r => r.Skip(1).ToList()));
        Assert.Contains(["报废设备未核销", "完善制度，补记账务。", "已补记账务并完善制度。无法整改：设备已于2019年报废，原始凭证无从追溯。", "无法整改"], annex.Select(r => r.Skip(1).ToList()));
        Assert.Contains(["资产卡片信息不全", "", "已完成资产清查并补录卡片。完成时间：2026年2月10日", "已整改（登记时已整改）"], annex.Select(r => r.Skip(1).ToList()));
    }

    [Fact]
    public async Task Given_the_officer_on_the_print_preview_of_one_units_report_When_done_reading_Then_the_preview_links_back_to_the_same_filtered_register_and_to_its_word_and_pdf()
    {
        var finance = await app.SignInAsync("finance");
        var list = await finance.GetStringAsync($"/findings?FiscalYear=2021&Unit={Uri.EscapeDataString(Centre)}&Source=ThirdParty");
        var preview = await finance.GetStringAsync(Href(list, "rectification-report-print"));

        // A way back (the preview has no menu) to the very list the officer came from, which offers the report again.
        var back = Link(preview, "back-to-findings");
        Assert.StartsWith("/findings?", back, StringComparison.Ordinal);
        var again = await finance.GetStringAsync(back);
        Assert.Contains("value=\"2021\"", again, StringComparison.Ordinal);
        Assert.Equal(Href(list, "rectification-report-print"), Href(again, "rectification-report-print"));

        // Word and PDF from the preview are the same report; the links are hidden on paper and absent from the PDF itself.
        var word = await finance.GetAsync(Href(preview, "docx-link"));
        Assert.Equal(HttpStatusCode.OK, word.StatusCode);
        Assert.Equal(Title, Read(await word.Content.ReadAsByteArrayAsync()).Paragraphs[0]);
        Assert.Contains("handler=Pdf", Href(preview, "pdf-link"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("href=\"/css/print.css?v=", preview, StringComparison.Ordinal); // the rule is in the stylesheet: the CSP allows no inline style
        Assert.Contains("@media print { .screen-only { display: none; } }", await finance.GetStringAsync("/css/print.css"), StringComparison.Ordinal);

        // A status with nothing on the list (no 无法整改 among the centre's 2021 findings) still offers the report,
        // which covers every status: the buttons follow the unit and year, not the rows on screen.
        var none = await finance.GetStringAsync($"/findings?FiscalYear=2021&Unit={Uri.EscapeDataString(Centre)}&Source=ThirdParty&Status=Unrectifiable");
        Assert.DoesNotContain(ReportNumber, none, StringComparison.Ordinal);
        Assert.Equal(Href(list, "rectification-report-print"), Href(none, "rectification-report-print"));
        // A name that matches two units with findings that year offers none: the report is one unit's.
        const string Shared = "/findings?FiscalYear=2021&Unit=%E6%9C%9B%E5%9F%8E%E5%8C%BA"; // 望城区
        Assert.Contains("rectification-report-print", await finance.GetStringAsync(Shared), StringComparison.Ordinal); // the centre alone so far
        var registered = await (await app.ApiAsync("finance")).PostAsJsonAsync("/api/findings", new
        {
            organisationId = await app.OrganisationIdAsync("长沙市望城区卫生健康局"), fiscalYear = 2021, category = "财务管理", title = "预览按钮问题",
            detail = "区审计局抽查发现。", source = "Audit", sourceDocument = "望审〔2026〕9号", deadline = "2026-05-01",
        });
        await EvaluationApi.Ok(registered);
        Assert.DoesNotContain("rectification-report-print", await finance.GetStringAsync(Shared), StringComparison.Ordinal);

        // A year that is not one is named as typed, not answered with "请指定年度".
        var typo = await finance.GetAsync($"/findings/rectification-report?unit={Uri.EscapeDataString(Centre)}&fiscalYear=2021x");
        Assert.Equal(HttpStatusCode.BadRequest, typo.StatusCode);
        // On a page of its own with the way back (the preview opens in a tab of its own), not a bare line of text.
        Assert.Equal("text/html", typo.Content.Headers.ContentType?.MediaType);
        var refused = await typo.Content.ReadAsStringAsync();
        Assert.Contains("「年度」“2021x”不是有效的年份，应填写如 2023。", refused, StringComparison.Ordinal);
        Assert.StartsWith("/findings?", Link(refused, "back-to-findings"), StringComparison.Ordinal);
        Assert.DoesNotContain("pdf-link", refused, StringComparison.Ordinal);
    }

    /// <summary>The address of any link with this data-testid.</summary>
    private static string Link(string html, string testId)
    {
        var tag = System.Text.RegularExpressions.Regex.Match(html, $"<a [^>]*data-testid=\"{testId}\"[^>]*>").Value;
        Assert.NotEmpty(tag);
        return System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(tag, "href=\"([^\"]+)\"").Groups[1].Value);
    }

    /// <summary>The address of the link with this data-testid.</summary>
    private static string Href(string html, string testId)
    {
        var tag = System.Text.RegularExpressions.Regex.Match(html, $"<a [^>]*data-testid=\"{testId}\"[^>]*>").Value;
        var link = System.Text.RegularExpressions.Regex.Match(tag, "href=\"([^\"]+)\"").Groups[1].Value;
        Assert.StartsWith("/findings/rectification-report?", link, StringComparison.Ordinal);
        return System.Net.WebUtility.HtmlDecode(link);
    }

    /// <summary>Plans, reports and has verified the centre's first open 2021 finding (in number order); returns its id.</summary>
    private async Task<Guid> RectifyFirstOpenFindingAsync(RectificationApi api)
    {
        var id = await app.DbAsync(db => db.Findings.Where(f => f.FiscalYear == 2021 && f.Status == FindingStatus.Open && f.EvaluationId != null)
            .OrderBy(f => f.Number).Select(f => f.Id).FirstAsync());
        var caseId = (await api.FindingAsync("unit", id)).GetProperty("case").GetProperty("id").GetGuid();
        await api.PlanAndReportAsync(id, caseId);
        await api.Cases.FireOkAsync("finance", caseId, "verify", "经核验已全部整改到位。");
        return id;
    }

    /// <summary>The labelled lines of the section whose heading names <paramref name="title"/>, up to the next heading.</summary>
    private static List<string> Section(List<string> paragraphs, string title)
    {
        var start = paragraphs.FindIndex(p => p.EndsWith("、" + title, StringComparison.Ordinal));
        Assert.True(start > 0, $"no section for {title}");
        return paragraphs.Skip(start + 1).TakeWhile(p => !(p.Length > 1 && "一二三四五六七八九十".Contains(p[0], StringComparison.Ordinal) && p.Contains('、', StringComparison.Ordinal)) && p != "整改情况汇总").ToList();
    }

    /// <summary>The document's paragraphs and its one table's cells, after checking it opens as Word would open it.</summary>
    private static (List<string> Paragraphs, List<List<string>> Annex) Read(byte[] content)
    {
        using var stream = new MemoryStream(content);
        using var doc = WordprocessingDocument.Open(stream, false);
        var schemaErrors = new OpenXmlValidator(FileFormatVersions.Office2013).Validate(doc).Select(e => $"{e.Path?.XPath}: {e.Description}").Take(5).ToList();
        Assert.True(schemaErrors.Count == 0, string.Join(" | ", schemaErrors));
        var body = doc.MainDocumentPart!.Document.Body!;
        var paragraphs = body.Elements<Paragraph>().Select(p => p.InnerText).Where(t => t.Length > 0).ToList();
        var annex = Assert.Single(body.Elements<Table>()).Elements<TableRow>().Select(r => r.Elements<TableCell>().Select(c => c.InnerText).ToList()).ToList();
        return (paragraphs, annex);
    }
}
