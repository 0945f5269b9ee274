using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.SelfEvaluations.Import;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.SelfEvaluations;

/// <summary>The 自评表 through the JSON API, on the demo plan's prefilled draft of the 社会治理服务中心.</summary>
public sealed class SelfEvaluationApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly string Header = string.Join(',', IndicatorFile.Header);

    [Fact]
    public async Task Given_demo_draft_When_read_through_api_Then_sample_totals_6_93_90_96_93_excellent()
    {
        var unit = await app.ApiAsync("unit");
        var json = await DetailAsync(unit, await CentreIdAsync(unit));

        Assert.Equal(0.6934m, json.GetProperty("funds").GetProperty("executionRate").GetDecimal());
        Assert.Equal(6.93m, json.GetProperty("funds").GetProperty("score").GetDecimal());
        Assert.Equal(90m, json.GetProperty("indicatorScore").GetDecimal());
        Assert.Equal(96.93m, json.GetProperty("totalScore").GetDecimal());
        Assert.Equal("优", json.GetProperty("grade").GetString());
        Assert.Equal(32, json.GetProperty("indicators").GetArrayLength());
        Assert.Equal(JsonValueKind.Array, json.GetProperty("warnings").ValueKind);
    }

    [Fact]
    public async Task Given_demo_draft_When_read_through_api_Then_goals_and_basics_are_the_sample_tables_texts_in_full()
    {
        var unit = await app.ApiAsync("unit");
        var json = await DetailAsync(unit, await CentreIdAsync(unit));
        var achieved = json.GetProperty("goals").GetProperty("achieved").GetString();
        var basics = json.GetProperty("report").GetProperty("basics").GetString();

        Assert.Equal(SampleSelfEvaluation.GoalsPlanned, json.GetProperty("goals").GetProperty("planned").GetString());
        Assert.Equal(SampleSelfEvaluation.GoalsAchieved, achieved);
        Assert.Equal(SampleSelfEvaluation.Functions, basics);
        // The sentences an earlier, shortened prefill had dropped (shared/samples/wangcheng-2022-dept-self-evaluation-table.txt).
        Assert.Contains("公共专项一个，为“热线+网格、吹哨+报到”项目。预算金额400万元。", achieved, StringComparison.Ordinal);
        Assert.Contains("每季度对街镇三、四级网格工作进行考核，当前已完成四个季度考核，", achieved, StringComparison.Ordinal);
        Assert.Contains("市场、农业、交通、文化、生态环境、城市管理等执法领域以及应急、综治维稳等方面", basics, StringComparison.Ordinal);
        Assert.EndsWith("，建立健全与应急、城管及其他执法机构的信息共享机制。", basics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_draft_missing_its_整改情况说明_When_read_Then_submissionErrors_lists_what_提交_then_refuses()
    {
        var unit = await app.ApiAsync("unit");
        var project = JsonDocument.Parse(await unit.GetStringAsync("/api/self-evaluations?fiscalYear=2022")).RootElement.EnumerateArray()
            .Single(i => i.GetProperty("kind").GetString() == "Project");
        var (id, caseId) = (project.GetProperty("id").GetGuid(), project.GetProperty("caseId").GetGuid());

        var errors = (await DetailAsync(unit, id)).GetProperty("submissionErrors").EnumerateArray().Select(e => e.GetString()!).ToList();
        var version = JsonDocument.Parse(await unit.GetStringAsync($"/api/cases/{caseId}")).RootElement.GetProperty("version").GetInt32();
        var submit = await unit.PostAsJsonAsync($"/api/cases/{caseId}/actions/submit", new { expectedVersion = version });
        var refusal = await submit.Content.ReadAsStringAsync();

        Assert.Contains(errors, e => e.Contains("整改情况说明", StringComparison.Ordinal)); // the 2021 findings still open
        Assert.Equal(HttpStatusCode.UnprocessableEntity, submit.StatusCode);
        Assert.All(errors, e => Assert.Contains(e, refusal, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Given_a_report_section_the_report_does_not_have_When_saved_Then_400_names_it_instead_of_dropping_it()
    {
        var unit = await app.ApiAsync("unit");
        var id = await CentreIdAsync(unit);
        var response = await unit.PutAsJsonAsync($"/api/self-evaluations/{id}/text", new { report = new Dictionary<string, string> { ["nosuch"] = "内容" }, expectedVersion = await VersionAsync(unit, id) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("自评报告没有「nosuch」一节", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_list_When_filtered_by_fiscal_year_Then_unit_sees_only_its_own_with_required_fields()
    {
        var unit = await app.ApiAsync("unit");
        var items = JsonDocument.Parse(await unit.GetStringAsync("/api/self-evaluations?fiscalYear=2022")).RootElement;

        Assert.Equal(2, items.GetArrayLength()); // 部门整体支出 + the 热线+网格 project
        foreach (var item in items.EnumerateArray())
        {
            Assert.Equal(DemoSeeder.SocialGovernanceCentre, item.GetProperty("unitName").GetString());
            Assert.NotEqual(Guid.Empty, item.GetProperty("caseId").GetGuid());
            Assert.Equal("draft", item.GetProperty("status").GetString());
            Assert.False(string.IsNullOrEmpty(item.GetProperty("kind").GetString()));
        }

        Assert.Equal(0, JsonDocument.Parse(await unit.GetStringAsync("/api/self-evaluations?fiscalYear=2019")).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Given_centre_self_evaluation_When_unit2_reads_it_Then_404()
    {
        var id = await CentreIdAsync(await app.ApiAsync("unit"));
        var unit2 = await app.ApiAsync("unit2");

        Assert.Equal(HttpStatusCode.NotFound, (await unit2.GetAsync($"/api/self-evaluations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await unit2.GetAsync($"/api/self-evaluations/{id}/export.xlsx")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await unit2.PutAsJsonAsync($"/api/self-evaluations/{id}/funds", new { budget = 1, executed = 1, upperTransfer = 0 })).StatusCode);
    }

    [Theory]
    [InlineData("{\"budget\":-1,\"executed\":979.56,\"upperTransfer\":0}", "budget", "全年预算数")]
    [InlineData("{\"budget\":\"abc\",\"executed\":979.56,\"upperTransfer\":0}", "budget", "全年预算数")]
    [InlineData("{\"budget\":0,\"executed\":979.56,\"upperTransfer\":0}", "budget", "为 0")]
    [InlineData("{\"budget\":1412.74,\"executed\":\"九百\",\"upperTransfer\":0}", "executed", "全年执行数")]
    [InlineData("{\"budget\":1412.74,\"executed\":979.56,\"upperTransfer\":-3}", "upperTransfer", "上级财政转移支付")]
    public async Task Given_bad_funds_When_put_Then_400_naming_the_field_in_chinese(string body, string field, string text)
    {
        var unit = await app.ApiAsync("unit");
        var id = await CentreIdAsync(unit);
        var response = await unit.PutAsync($"/api/self-evaluations/{id}/funds", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Contains(text, errors.GetProperty(field)[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_stale_version_When_funds_put_Then_409_with_chinese_message()
    {
        var unit = await app.ApiAsync("unit");
        var id = await CentreIdAsync(unit);
        var version = (await DetailAsync(unit, id)).GetProperty("version").GetUInt32();
        var ok = await unit.PutAsJsonAsync($"/api/self-evaluations/{id}/funds", new { budget = 1412.74m, executed = 979.56m, upperTransfer = 0m, expectedVersion = version });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        var stale = await unit.PutAsJsonAsync($"/api/self-evaluations/{id}/funds", new { budget = 1412.74m, executed = 900m, upperTransfer = 0m, expectedVersion = version });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("已被他人修改", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_finance_officer_When_editing_a_units_funds_Then_403()
    {
        var id = await CentreIdAsync(await app.ApiAsync("unit"));
        var finance = await app.ApiAsync("finance");
        var response = await finance.PutAsJsonAsync($"/api/self-evaluations/{id}/funds", new { budget = 1m, executed = 1m, upperTransfer = 0m });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Given_export_When_reimported_Then_same_numbers()
    {
        var unit = await app.ApiAsync("unit");
        var id = await CentreIdAsync(unit);
        var before = await DetailAsync(unit, id);
        var xlsx = await unit.GetByteArrayAsync($"/api/self-evaluations/{id}/export.xlsx");
        Assert.Equal((byte)'P', xlsx[0]);
        var sheets = Infrastructure.XlsxText.Sheets(xlsx); // also checks the schema (merged title rows included)
        Assert.Equal(["自评表", "上年问题整改情况"], sheets.Keys); // the demo form follows up the 2021 findings: their sheet comes second
        var form = sheets.First();
        Assert.Equal(["总分", "100.00", "96.93", "等级：优"], form.Value[^1].Where(c => c.Length > 0).Select(c => c.Length > 0 && decimal.TryParse(c, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : c));
        var template = Assert.Single(Infrastructure.XlsxText.Sheets(await unit.GetByteArrayAsync("/api/self-evaluations/template.xlsx")));
        Assert.Equal(BudgetEval.Web.SelfEvaluations.Import.IndicatorFile.Header, template.Value.Single());

        var response = await ImportAsync(unit, id, "导出.xlsx", xlsx);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(32, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("count").GetInt32());

        var after = await DetailAsync(unit, id);
        Assert.Equal(96.93m, after.GetProperty("totalScore").GetDecimal());
        Assert.Equal(6.93m, after.GetProperty("funds").GetProperty("score").GetDecimal());
        Assert.Equal(90m, after.GetProperty("indicatorScore").GetDecimal());
        Assert.Equal("优", after.GetProperty("grade").GetString());
        Assert.Equal(before.GetProperty("indicators").ToString(), after.GetProperty("indicators").ToString());
    }

    [Fact]
    public async Task Given_an_export_whose_funds_cell_was_edited_When_reimported_Then_200_and_the_notes_say_the_funds_were_not_imported_naming_the_cell()
    {
        var unit = await app.ApiAsync("unit");
        var id = await CentreIdAsync(unit);
        var budget = (await DetailAsync(unit, id)).GetProperty("funds").GetProperty("budget").GetDecimal();
        var row = 0u;
        var xlsx = XlsxEdit.FirstSheet(await unit.GetByteArrayAsync($"/api/self-evaluations/{id}/export.xlsx"), sheet =>
        {
            var total = XlsxEdit.RowWith(sheet, "年度资金总额");
            row = total.RowIndex!.Value;
            XlsxEdit.SetNumber(total, "C", 1500m);
        });

        var response = await ImportAsync(unit, id, "导出.xlsx", xlsx);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var note = Assert.Single(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("notes").EnumerateArray()).GetString()!;
        Assert.Contains("资金情况和年度总体目标不随指标导入", note, StringComparison.Ordinal);
        Assert.Contains($"C{row} 的金额与表单上的不同", note, StringComparison.Ordinal);
        Assert.Equal(budget, (await DetailAsync(unit, id)).GetProperty("funds").GetProperty("budget").GetDecimal());
    }

    [Fact]
    public async Task Given_an_export_with_an_indicator_added_below_总分_When_reimported_Then_400_naming_the_row_and_nothing_saved()
    {
        var unit = await app.ApiAsync("unit");
        var id = await CentreIdAsync(unit);
        var total = 0u;
        var xlsx = XlsxEdit.FirstSheet(await unit.GetByteArrayAsync($"/api/self-evaluations/{id}/export.xlsx"), sheet =>
        {
            var sum = XlsxEdit.RowWith(sheet, "总分");
            total = sum.RowIndex!.Value;
            XlsxEdit.CopyTo(sheet, sheet.Elements<DocumentFormat.OpenXml.Spreadsheet.Row>().Single(r => r.RowIndex!.Value == total - 1), total + 1);
        });
        var before = await app.DbAsync(db => db.SelfEvaluationIndicators.Where(i => i.SelfEvaluationId == id).Select(i => new { i.Id, i.Weight, i.Score }).ToListAsync());

        var response = await ImportAsync(unit, id, "导出.xlsx", xlsx);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal((int)total + 1, error.GetProperty("row").GetInt32());
        Assert.Equal($"工作表「自评表」第{total + 1}行在「总分」行（第{total}行）之下，不会被导入：请把这一行移到「总分」行之上，或删除它。", error.GetProperty("message").GetString());
        var after = await app.DbAsync(db => db.SelfEvaluationIndicators.Where(i => i.SelfEvaluationId == id).Select(i => new { i.Id, i.Weight, i.Score }).ToListAsync());
        Assert.Equal(before.OrderBy(x => x.Id), after.OrderBy(x => x.Id));
    }

    [Fact]
    public async Task Given_an_xlsx_with_a_formula_When_imported_Then_the_problem_json_names_row_and_column_of_the_cell()
    {
        var unit = await app.ApiAsync("unit");
        var xlsx = new XlsxBuilder().Sheet("绩效指标", [
            XlsxBuilder.HeaderRow(),
            XlsxBuilder.IndicatorRow(2, ("得分", XlsxBuilder.Raw("<f>G2*0.9</f><v>4.5</v>"))),
        ]).Build();

        var response = await ImportAsync(unit, await CentreIdAsync(unit), "公式.xlsx", xlsx);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal((2, "得分"), (error.GetProperty("row").GetInt32(), error.GetProperty("column").GetString()));
        Assert.StartsWith("单元格 H2（第2行「得分」）是公式", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_sample_csv_When_imported_Then_200_with_count()
    {
        var unit = await app.ApiAsync("unit");
        var response = await ImportAsync(unit, await CentreIdAsync(unit), "sample.csv", SampleSelfEvaluation.IndicatorsCsv());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(32, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Given_partly_bad_file_When_imported_Then_400_with_row_and_column_and_nothing_saved()
    {
        var unit = await app.ApiAsync("unit");
        var id = await CentreIdAsync(unit);
        var lines = Encoding.UTF8.GetString(SampleSelfEvaluation.IndicatorsCsv()).Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n').ToList();
        lines.Insert(11, "产出指标,质量指标,测试,测试指标,100%,100%,两分,2,,"); // becomes file row 12
        lines.Insert(13, "产出指标,质量指标,测试,测试指标,100%,100%,2,3,,");  // file row 14: score above weight
        var before = await app.DbAsync(db => db.SelfEvaluationIndicators.Where(i => i.SelfEvaluationId == id).Select(i => new { i.Id, i.Weight, i.Score }).ToListAsync());

        var response = await ImportAsync(unit, id, "bad.csv", Encoding.UTF8.GetBytes(string.Join('\n', lines)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateArray().ToList();
        Assert.Contains(errors, e => e.GetProperty("row").GetInt32() == 12 && e.GetProperty("column").GetString() == "分值"
            && e.GetProperty("message").GetString() == "第12行「分值」“两分”不是数字。");
        Assert.Contains(errors, e => e.GetProperty("row").GetInt32() == 14 && e.GetProperty("column").GetString() == "得分");
        var after = await app.DbAsync(db => db.SelfEvaluationIndicators.Where(i => i.SelfEvaluationId == id).Select(i => new { i.Id, i.Weight, i.Score }).ToListAsync());
        Assert.Equal(before.OrderBy(x => x.Id), after.OrderBy(x => x.Id));
    }

    [Theory]
    [InlineData("wrong.xlsx", "header-only", "不是 Excel")]
    [InlineData("wrong.csv", "zip", "不是文本")]
    [InlineData("gbk.csv", "gbk-garbage", "UTF-8")]
    [InlineData("notes.txt", "header-only", ".xlsx 或 .csv")]
    [InlineData("head.csv", "wrong-header", "表头")]
    public async Task Given_file_that_is_not_what_it_claims_When_imported_Then_400_with_clear_message(string name, string content, string text)
    {
        var unit = await app.ApiAsync("unit");
        var bytes = content switch
        {
            "zip" => [(byte)'P', (byte)'K', 3, 4, 0, 0, 0],
            "gbk-garbage" => [0xB2, 0xE2, 0xCA, 0xD4, 0x2C, 0xFF, 0xFE, 0x0A],
            "wrong-header" => Encoding.UTF8.GetBytes("a,b,c\n1,2,3\n"),
            _ => Encoding.UTF8.GetBytes(Header + "\n"),
        };
        var response = await ImportAsync(unit, await CentreIdAsync(unit), name, bytes);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(text, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_gbk_csv_with_the_right_header_When_imported_Then_decoded_and_accepted()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var unit = await app.ApiAsync("unit");
        var text = Encoding.UTF8.GetString(SampleSelfEvaluation.IndicatorsCsv());
        var response = await ImportAsync(unit, await CentreIdAsync(unit), "gbk.csv", Encoding.GetEncoding("GB18030").GetBytes(text));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Given_too_many_rows_or_bytes_When_imported_Then_400()
    {
        var unit = await app.ApiAsync("unit");
        var id = await CentreIdAsync(unit);
        var many = new StringBuilder(Header).Append('\n');
        for (var i = 0; i < IndicatorFile.MaxRows + 1; i++)
        {
            many.Append("产出指标,数量指标,x,y,1,1,0,0,,\n");
        }

        var rows = await ImportAsync(unit, id, "many.csv", Encoding.UTF8.GetBytes(many.ToString()));
        Assert.Equal(HttpStatusCode.BadRequest, rows.StatusCode);
        Assert.Contains("2000", await rows.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var big = new byte[IndicatorFile.MaxBytes + 1];
        Array.Fill(big, (byte)'a');
        var size = await ImportAsync(unit, id, "big.csv", big);
        Assert.Equal(HttpStatusCode.BadRequest, size.StatusCode);
        Assert.Contains("10 MB", await size.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_blank_template_When_downloaded_Then_it_imports_as_an_empty_table_error()
    {
        var unit = await app.ApiAsync("unit");
        var template = await unit.GetByteArrayAsync("/api/self-evaluations/template.xlsx");
        var response = await ImportAsync(unit, await CentreIdAsync(unit), "模板.xlsx", template);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("没有指标行", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_attachment_When_uploaded_Then_listed_and_a_renamed_file_is_refused()
    {
        var unit = await app.ApiAsync("unit");
        var id = await CentreIdAsync(unit);
        var ok = await UploadAsync(unit, $"/api/self-evaluations/{id}/attachments", "佐证.pdf", Encoding.ASCII.GetBytes("%PDF-1.4 test"));
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        var renamed = await UploadAsync(unit, $"/api/self-evaluations/{id}/attachments", "伪装.pdf", Encoding.ASCII.GetBytes("MZ not a pdf"));
        Assert.Equal(HttpStatusCode.BadRequest, renamed.StatusCode);
        Assert.Contains("不符", await renamed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, (await DetailAsync(unit, id)).GetProperty("attachments").GetArrayLength());
    }

    internal static async Task<Guid> CentreIdAsync(HttpClient unit)
    {
        var items = JsonDocument.Parse(await unit.GetStringAsync("/api/self-evaluations?fiscalYear=2022")).RootElement;
        return items.EnumerateArray().First(i => i.GetProperty("kind").GetString() == "DepartmentWide").GetProperty("id").GetGuid();
    }

    internal static async Task<JsonElement> DetailAsync(HttpClient client, Guid id) =>
        JsonDocument.Parse(await client.GetStringAsync($"/api/self-evaluations/{id}")).RootElement.Clone();

    /// <summary>The self-evaluation's <c>version</c> as <paramref name="client"/> reads it now: every save of the form sends it as expectedVersion.</summary>
    internal static async Task<uint> VersionAsync(HttpClient client, Guid id) => (await DetailAsync(client, id)).GetProperty("version").GetUInt32();

    internal static Task<HttpResponseMessage> ImportAsync(HttpClient client, Guid id, string fileName, byte[] content) =>
        UploadAsync(client, $"/api/self-evaluations/{id}/indicators/import", fileName, content);

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string url, string fileName, byte[] content)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return await client.PostAsync(url, form);
    }
}
