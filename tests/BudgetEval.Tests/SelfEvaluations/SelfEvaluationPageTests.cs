using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Plans;
using BudgetEval.Web.SelfEvaluations.Import;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.SelfEvaluations;

/// <summary>The file actions of the 自评表 page (import, attachments, templates, PDF), posted as the browser's forms post them.</summary>
public sealed partial class SelfEvaluationPageTests(AppFixture app) : IClassFixture<AppFixture>
{
    /// <summary>A row of the 绩效自评 list: its title and its 单位 cell.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"<tr>\s*<td><a href=""/cases/[^""]+"">([^<]+)</a>.*?</td>\s*<td>([^<]*)</td>", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex ListRow();

    private Task<Guid> CentreDraftAsync() => app.DbAsync(async db =>
    {
        var centre = await db.Organisations.Where(o => o.Name == DemoSeeder.SocialGovernanceCentre).Select(o => o.Id).SingleAsync();
        return await db.SelfEvaluations.Where(s => s.OrganisationId == centre && s.PlanId != null && s.Kind == EvaluationKind.DepartmentWide)
            .Select(s => s.Id).FirstAsync();
    });

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, Guid id, string handler, string fileName, byte[] content, string contentType)
    {
        var page = await client.GetStringAsync($"/self-evaluations/{id}/form");
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(AppFixture.AntiforgeryToken(page)), "__RequestVerificationToken");
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName);
        return await client.PostAsync($"/self-evaluations/{id}/form?handler={handler}", form);
    }

    [Fact]
    public async Task Given_plan_records_When_the_list_is_opened_Then_each_shows_its_forms_budget()
    {
        using var unit = await app.SignInAsync("unit");
        var html = await unit.GetStringAsync("/self-evaluations");
        var id = await CentreDraftAsync();
        var centre = await app.DbAsync(db => db.SelfEvaluations.SingleAsync(s => s.Id == id));

        Assert.NotNull(centre.FundsBudget);
        Assert.Null(centre.TotalBudget); // a plan's record keeps its 全年预算数 in the form (A)
        Assert.Contains($"<td>{BudgetEval.Web.Shared.ChineseFormat.Money(centre.FundsBudget.Value)}</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_the_bureaus_list_When_filtered_by_year_unit_and_status_Then_only_those_are_listed_each_with_its_unit_on_the_page_and_the_api()
    {
        const string project = "2022年度热线+网格、吹哨+报到项目支出绩效自评";
        var centre = await app.SocialGovernanceCentreAsync();
        var expected = await app.DbAsync(db => db.SelfEvaluations.Where(s => s.OrganisationId == centre && s.FiscalYear == 2022 && s.Status == "draft")
            .Select(s => s.Title).ToListAsync());
        Assert.Contains(project, expected);
        using var finance = await app.SignInAsync("finance");

        var html = WebUtility.HtmlDecode(await finance.GetStringAsync($"/self-evaluations?year=2022&unit={centre}&status=draft"));

        var rows = ListRow().Matches(html).Select(m => (Title: m.Groups[1].Value, Unit: m.Groups[2].Value)).ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), rows.Select(r => r.Title).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal(DemoSeeder.SocialGovernanceCentre, r.Unit)); // a project's title does not say whose it is
        Assert.Contains($"<option value=\"{centre}\" selected=\"selected\">{DemoSeeder.SocialGovernanceCentre}</option>", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"draft\" selected=\"selected\">草稿</option>", html, StringComparison.Ordinal);

        // Part of the name, as a province's search field sends it; another year lists none of these; a wrong status is named.
        var byName = WebUtility.HtmlDecode(await finance.GetStringAsync("/self-evaluations?year=2022&unit=" + Uri.EscapeDataString("社会治理服务") + "&status=draft"));
        Assert.Equal(rows.Count, ListRow().Count(byName));
        Assert.DoesNotContain(project, WebUtility.HtmlDecode(await finance.GetStringAsync($"/self-evaluations?year=2021&unit={centre}")), StringComparison.Ordinal);
        Assert.Contains("暂无符合条件的自评。", WebUtility.HtmlDecode(await finance.GetStringAsync($"/self-evaluations?year=2021&unit={centre}")), StringComparison.Ordinal);
        Assert.Contains("「单位」：没有名称或简称含“并不存在的单位”的单位。",
            WebUtility.HtmlDecode(await finance.GetStringAsync("/self-evaluations?unit=" + Uri.EscapeDataString("并不存在的单位"))), StringComparison.Ordinal);
        Assert.Contains("状态应为 draft（草稿）", WebUtility.HtmlDecode(await finance.GetStringAsync("/self-evaluations?status=nonsense")), StringComparison.Ordinal);

        using var api = await app.ApiAsync("finance");
        var items = System.Text.Json.JsonDocument.Parse(await api.GetStringAsync("/api/self-evaluations?fiscalYear=2022&unit=" + Uri.EscapeDataString("社会治理") + "&status=草稿"))
            .RootElement.EnumerateArray().ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), items.Select(i => i.GetProperty("title").GetString()).Order(StringComparer.Ordinal));
        Assert.All(items, i => Assert.Equal("draft", i.GetProperty("status").GetString()));
        var bad = await api.GetAsync("/api/self-evaluations?status=nonsense");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True(System.Text.Json.JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("status", out _));
    }

    [Fact]
    public async Task Given_a_project_self_evaluation_in_the_units_inbox_When_opened_Then_its_unit_is_named_beside_the_title()
    {
        var centre = await app.SocialGovernanceCentreAsync();
        var cases = await app.DbAsync(db => db.SelfEvaluations.Where(s => s.OrganisationId == centre && s.FiscalYear == 2022 && s.PlanId != null)
            .Select(s => new { s.Kind, CaseId = s.CaseId!.Value }).ToListAsync());
        using var unit = await app.SignInAsync("unit");

        var html = WebUtility.HtmlDecode(await unit.GetStringAsync("/inbox"));

        var projectCase = cases.Single(c => c.Kind == EvaluationKind.Project).CaseId;
        Assert.Contains($"<a href=\"/cases/{projectCase}\">2022年度热线+网格、吹哨+报到项目支出绩效自评</a> <span class=\"muted\" data-testid=\"case-unit\"> · {DemoSeeder.SocialGovernanceCentre}</span>",
            html, StringComparison.Ordinal);
        var wholeCase = cases.Single(c => c.Kind == EvaluationKind.DepartmentWide).CaseId;
        Assert.Contains($"<a href=\"/cases/{wholeCase}\">2022年度{DemoSeeder.SocialGovernanceCentre}部门整体支出绩效自评</a></td>", html, StringComparison.Ordinal); // its title names it already
    }

    [Fact]
    public async Task Given_a_plan_record_When_its_case_page_is_opened_Then_it_links_to_the_整改情况说明_that_提交_may_ask_for()
    {
        using var unit = await app.SignInAsync("unit");
        var id = await CentreDraftAsync();
        var caseId = await app.DbAsync(db => db.SelfEvaluations.Where(s => s.Id == id).Select(s => s.CaseId!.Value).SingleAsync());

        var page = await unit.GetStringAsync($"/cases/{caseId}");

        Assert.Contains($"href=\"/self-evaluations/{id}/follow-up\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await unit.GetAsync($"/self-evaluations/{id}/follow-up")).StatusCode);
    }

    [Fact]
    public async Task Given_an_untouched_draft_When_its_case_page_is_opened_Then_it_says_not_filled_rather_than_a_grade()
    {
        using var unit2 = await app.SignInAsync("unit2");
        var education = await app.OrganisationIdAsync(DemoSeeder.EducationBureau);
        var caseId = await app.DbAsync(db => db.SelfEvaluations.Where(s => s.OrganisationId == education && s.PlanId != null && s.Kind == EvaluationKind.DepartmentWide)
            .Select(s => s.CaseId!.Value).FirstAsync());

        var page = await unit2.GetStringAsync($"/cases/{caseId}");

        Assert.Contains("<th>总分 / 等级</th><td> <span class=\"muted\">尚未填写</span>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("0.00</strong> 差", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_csv_with_a_bad_cell_When_imported_through_the_page_Then_row_and_column_shown_and_nothing_saved()
    {
        var unit = await app.SignInAsync("unit");
        var id = await CentreDraftAsync();
        var before = await app.DbAsync(db => db.SelfEvaluationIndicators.Where(i => i.SelfEvaluationId == id).OrderBy(i => i.SortOrder).Select(i => i.Level3).ToListAsync());
        var csv = string.Join(',', IndicatorFile.Header) + "\n"
            + "产出指标,数量指标,培训人次,开展培训,≥100人次,120人次,10,10,,\n"
            + "产出指标,质量指标,合格率,培训合格,≥95%,96%,十分,9,,\n";

        var response = await UploadAsync(unit, id, "import", "指标.csv", Encoding.UTF8.GetBytes(csv), "text/csv");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("id=\"import-errors\"", html);
        Assert.Contains("第3行「分值」", html);
        Assert.Equal(before, await app.DbAsync(db => db.SelfEvaluationIndicators.Where(i => i.SelfEvaluationId == id).OrderBy(i => i.SortOrder).Select(i => i.Level3).ToListAsync()));
    }

    [Fact]
    public async Task Given_the_exported_form_When_imported_through_the_page_Then_the_success_message_says_the_funds_are_edited_on_the_form()
    {
        var unit = await app.SignInAsync("unit");
        var id = await CentreDraftAsync();
        var xlsx = await unit.GetByteArrayAsync($"/self-evaluations/{id}/print?handler=xlsx");
        Assert.Equal("PK", Encoding.ASCII.GetString(xlsx, 0, 2));

        var response = await UploadAsync(unit, id, "import", "自评表.xlsx", xlsx, "application/octet-stream");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = WebUtility.HtmlDecode(await unit.GetStringAsync($"/self-evaluations/{id}/form"));
        Assert.Matches("已导入 \\d+ 行指标。 只导入了指标：文件中的资金情况和年度总体目标不随指标导入，如需修改，请在自评表页面上修改。</div>", page);
    }

    [Fact]
    public async Task Given_attachment_When_uploaded_through_the_page_Then_listed_downloaded_byte_for_byte_and_deletable()
    {
        var unit = await app.SignInAsync("unit");
        var id = await CentreDraftAsync();
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% 佐证材料\n%%EOF\n");

        var uploaded = await UploadAsync(unit, id, "attachment", "佐证材料.pdf", pdf, "application/pdf");

        Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        var attachmentId = await app.DbAsync(db => db.SelfEvaluationAttachments.Where(a => a.SelfEvaluationId == id && a.FileName == "佐证材料.pdf").Select(a => a.Id).SingleAsync());
        var page = WebUtility.HtmlDecode(await unit.GetStringAsync($"/self-evaluations/{id}/form"));
        Assert.Contains("佐证材料.pdf", page);
        var download = await unit.GetAsync($"/self-evaluations/{id}/form?handler=attachment&attachmentId={attachmentId}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());

        var other = await app.SignInAsync("unit2");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/self-evaluations/{id}/form?handler=attachment&attachmentId={attachmentId}")).StatusCode);

        var token = AppFixture.AntiforgeryToken(await unit.GetStringAsync($"/self-evaluations/{id}/form"));
        var deleted = await unit.PostAsync($"/self-evaluations/{id}/form?handler=deleteAttachment&attachmentId={attachmentId}",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.False(await app.DbAsync(db => db.SelfEvaluationAttachments.AnyAsync(a => a.Id == attachmentId)));
    }

    [Fact]
    public async Task Given_renamed_file_When_attached_through_the_page_Then_refused_in_chinese_and_nothing_saved()
    {
        var unit = await app.SignInAsync("unit");
        var id = await CentreDraftAsync();

        var response = await UploadAsync(unit, id, "attachment", "报告.pdf", Encoding.UTF8.GetBytes("这不是 PDF"), "application/pdf");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("文件内容与扩展名 .pdf 不符", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        Assert.False(await app.DbAsync(db => db.SelfEvaluationAttachments.AnyAsync(a => a.FileName == "报告.pdf")));
    }

    [Fact]
    public async Task Given_form_page_When_blank_templates_downloaded_Then_xlsx_and_csv_with_the_header()
    {
        var unit = await app.SignInAsync("unit");
        var id = await CentreDraftAsync();

        var xlsx = await unit.GetAsync($"/self-evaluations/{id}/form?handler=templateXlsx");
        var csv = await unit.GetAsync($"/self-evaluations/{id}/form?handler=templateCsv");

        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.StartsWith("PK", Encoding.ASCII.GetString(await xlsx.Content.ReadAsByteArrayAsync(), 0, 2));
        Assert.Contains(string.Join(',', IndicatorFile.Header), Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task Given_print_view_When_pdf_requested_Then_application_pdf_starting_with_percent_pdf()
    {
        var unit = await app.SignInAsync("unit");
        var id = await CentreDraftAsync();

        var response = await unit.GetAsync($"/self-evaluations/{id}/print.pdf");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF", Encoding.ASCII.GetString(bytes, 0, 4));
        var pages = System.Text.RegularExpressions.Regex.Count(Encoding.Latin1.GetString(bytes), @"/Type\s*/Page[^s]");
        // The 32 rows and the report: 4 pages with the form's column widths (10 when the columns were squeezed to one character).
        Assert.True(pages is > 0 and <= 5, $"{pages} pages");
        // No render leaves its temporary folder behind. Other classes' PDF tests may be rendering at this moment
        // (xUnit runs classes in parallel): theirs go when they finish, so read until the folders are gone.
        Assert.Empty(await Eventually.ReadAsync(() => Task.FromResult(Directory.GetDirectories(Path.GetTempPath(), "budgeteval-pdf-*")), dirs => dirs.Length == 0));

        var other = await app.SignInAsync("unit2");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/self-evaluations/{id}/print.pdf")).StatusCode);
    }
}
