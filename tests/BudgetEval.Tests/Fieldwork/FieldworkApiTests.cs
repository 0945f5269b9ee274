using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Fieldwork;

/// <summary>
/// 现场评价工作记录 through the API: the commissioned firm's evaluators record, correct and delete while they work on the
/// report; the bureau reads; the evaluated unit never sees them; a stale correction is refused, bad input names its field.
/// </summary>
public sealed class FieldworkApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly EvaluationApi _api = new(app);

    internal static object Record(string date = "2020-04-10", string kind = "SiteVisit", string subject = "智慧社区项目现场", string content = "核对建设内容，部分功能模块未上线。") =>
        new { kind, date, subject, participants = "江惠平、李华", content };

    internal static async Task<JsonElement> AddAsync(HttpClient evaluator, Guid id, object? body = null)
    {
        var response = await evaluator.PostAsJsonAsync($"/api/evaluations/{id}/fieldwork", body ?? Record());
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private Task<int> CountAsync(Guid id) => app.DbAsync(db => db.FieldworkRecords.IgnoreQueryFilters().CountAsync(r => r.EvaluationId == id));

    [Fact]
    public async Task Given_commissioned_evaluation_When_the_firm_records_a_site_visit_Then_firm_and_bureau_read_it_and_the_unit_gets_404()
    {
        var id = await _api.CommissionedAsync(2019);
        var evaluator = await app.ApiAsync("evaluator");

        var added = await AddAsync(evaluator, id);
        Assert.Equal("实地核查", added.GetProperty("kindLabel").GetString());
        Assert.Equal("江惠平", added.GetProperty("recordedBy").GetString());

        foreach (var reader in new[] { "evaluator", "finance", "financelead" })
        {
            var list = await EvaluationApi.JsonAsync(await app.ApiAsync(reader), $"/api/evaluations/{id}/fieldwork");
            var record = Assert.Single(list.GetProperty("records").EnumerateArray());
            Assert.Equal("智慧社区项目现场", record.GetProperty("subject").GetString());
            Assert.Equal("2020-04-10", record.GetProperty("date").GetString());
            Assert.Equal(reader == "evaluator", list.GetProperty("mayEdit").GetBoolean());
        }

        // The unit's staff: not there for them, to read or to write; the bureau reads but does not write.
        foreach (var user in new[] { "unit", "unithead" })
        {
            var client = await app.ApiAsync(user);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/evaluations/{id}/fieldwork")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"/api/evaluations/{id}/fieldwork", Record())).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ApiAsync("finance")).PostAsJsonAsync($"/api/evaluations/{id}/fieldwork", Record())).StatusCode);
        Assert.Equal(1, await CountAsync(id));
    }

    [Fact]
    public async Task Given_incomplete_or_impossible_input_When_recorded_Then_each_field_is_named_in_chinese_and_nothing_is_saved()
    {
        var id = await _api.CommissionedAsync(2018);
        var evaluator = await app.ApiAsync("evaluator");

        var empty = await evaluator.PostAsJsonAsync($"/api/evaluations/{id}/fieldwork", new { });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var errors = JsonDocument.Parse(await empty.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Contains("工作方式", errors.GetProperty("kind")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("日期", errors.GetProperty("date")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("对象或地点", errors.GetProperty("subject")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("工作内容及发现", errors.GetProperty("content")[0].GetString(), StringComparison.Ordinal);

        // Before the evaluated year, after today (2026-03-02 on the test clock), an unknown kind, an over-long subject.
        foreach (var (body, field, words) in new (object, string, string)[]
        {
            (Record(date: "2017-12-31"), "date", "2018年1月1日"),
            (Record(date: "2026-03-03"), "date", "2026年3月2日"),
            (Record(kind: "问卷调查"), "kind", "资料审阅、账务核实、检查支付记录、询问、实地核查、其他"),
            (Record(subject: new string('地', 201)), "subject", "不能超过 200 字"),
        })
        {
            var refused = await evaluator.PostAsJsonAsync($"/api/evaluations/{id}/fieldwork", body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var message = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").GetProperty(field)[0].GetString();
            Assert.Contains(words, message, StringComparison.Ordinal);
        }

        // A Chinese label is as good as the name.
        var labelled = await AddAsync(evaluator, id, Record(kind: "账务核实", date: "2018-01-01"));
        Assert.Equal("AccountsCheck", labelled.GetProperty("kind").GetString());
        Assert.Equal(1, await CountAsync(id));
    }

    [Fact]
    public async Task Given_a_record_corrected_by_a_teammate_When_a_stale_correction_or_deletion_arrives_Then_409_and_the_teammates_text_stays()
    {
        var id = await _api.CommissionedAsync(2017);
        var evaluator = await app.ApiAsync("evaluator");
        var added = await AddAsync(evaluator, id, Record(date: "2018-05-20"));
        var recordId = added.GetProperty("id").GetGuid();
        var read = added.GetProperty("version").GetUInt32();

        var first = await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/fieldwork/{recordId}",
            new { kind = "SiteVisit", date = "2018-05-20", subject = "智慧社区项目现场", content = "队友的核查结论。", expectedVersion = read });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        var stale = await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/fieldwork/{recordId}",
            new { kind = "SiteVisit", date = "2018-05-20", subject = "智慧社区项目现场", content = "我的旧结论。", expectedVersion = read });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("已被他人修改", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var missing = await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/fieldwork/{recordId}",
            new { kind = "SiteVisit", date = "2018-05-20", subject = "智慧社区项目现场", content = "没有版本号。" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("expectedVersion", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Conflict, (await evaluator.DeleteAsync($"/api/evaluations/{id}/fieldwork/{recordId}?expectedVersion={read}")).StatusCode);
        var now = await app.DbAsync(db => db.FieldworkRecords.IgnoreQueryFilters().SingleAsync(r => r.Id == recordId));
        Assert.Equal("队友的核查结论。", now.Content);
        Assert.Equal("江惠平", now.UpdatedByName);

        Assert.Equal(HttpStatusCode.NoContent, (await evaluator.DeleteAsync($"/api/evaluations/{id}/fieldwork/{recordId}?expectedVersion={now.RowVersion}")).StatusCode);
        Assert.Equal(0, await CountAsync(id));
    }

    [Fact]
    public async Task Given_report_sent_to_the_bureau_and_accepted_When_the_firm_records_or_reads_Then_it_is_closed_then_gone_and_the_bureau_still_reads()
    {
        var id = await _api.InFinalReportAsync(2016);
        var evaluator = await app.ApiAsync("evaluator");
        await AddAsync(evaluator, id, Record(date: "2017-06-01")); // the final report is still the firm's to correct

        await EvaluationApi.Ok(await EvaluationApi.ActAsync(evaluator, id, "submitFinal"));
        var closed = await evaluator.PostAsJsonAsync($"/api/evaluations/{id}/fieldwork", Record(date: "2017-06-02"));
        Assert.Equal(HttpStatusCode.BadRequest, closed.StatusCode);
        Assert.Contains("当前环节不能修改现场评价工作记录", await closed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await EvaluationApi.Ok(await EvaluationApi.ActAsync(await app.ApiAsync("finance"), id, "accept"));
        Assert.Equal(HttpStatusCode.NotFound, (await evaluator.GetAsync($"/api/evaluations/{id}/fieldwork")).StatusCode);
        var bureau = await EvaluationApi.JsonAsync(await app.ApiAsync("finance"), $"/api/evaluations/{id}/fieldwork");
        Assert.Single(bureau.GetProperty("records").EnumerateArray());
        Assert.False(bureau.GetProperty("mayEdit").GetBoolean());
    }

    [Fact]
    public async Task Given_an_evaluation_with_500_records_When_another_is_added_Then_it_is_refused_and_a_correction_still_saves()
    {
        var id = await _api.CommissionedAsync(2015);
        var evaluator = await app.ApiAsync("evaluator");
        var first = await AddAsync(evaluator, id, Record(date: "2016-03-01"));
        await app.DbAsync(async db =>
        {
            var e = await db.Evaluations.IgnoreQueryFilters().SingleAsync(x => x.Id == id);
            db.FieldworkRecords.AddRange(Enumerable.Range(1, Web.Evaluations.Fieldwork.FieldworkRules.MaxRecords - 1).Select(i => new Web.Evaluations.Fieldwork.FieldworkRecord
            {
                Id = Guid.NewGuid(), EvaluationId = id, OrganisationId = e.OrganisationId, FirmId = e.FirmId!.Value, Kind = Web.Evaluations.Fieldwork.FieldworkKind.DocumentReview,
                Date = new DateOnly(2016, 3, 2), Subject = $"凭证第{i}册", Content = "审阅。", RecordedByName = "江惠平", RecordedAt = DateTimeOffset.UtcNow,
            }));
            return await db.SaveChangesAsync();
        });

        var refused = await evaluator.PostAsJsonAsync($"/api/evaluations/{id}/fieldwork", Record(date: "2016-03-03"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("每个评价最多 500 条现场评价工作记录", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(500, await CountAsync(id));
        var corrected = await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/fieldwork/{first.GetProperty("id").GetGuid()}",
            new { kind = "SiteVisit", date = "2016-03-01", subject = "智慧社区项目现场", content = "合并后的记录。", expectedVersion = first.GetProperty("version").GetUInt32() });
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
    }

    [Fact]
    public async Task Given_the_demo_2021_evaluation_When_the_bureau_reads_its_fieldwork_Then_the_reports_asset_count_of_25_May_2022_is_there()
    {
        var id = await app.DbAsync(db => db.Evaluations.IgnoreQueryFilters().Where(e => e.FiscalYear == 2021 && e.CompletedOn != null).Select(e => e.Id).SingleAsync());

        var list = await EvaluationApi.JsonAsync(await app.ApiAsync("finance"), $"/api/evaluations/{id}/fieldwork");

        var records = list.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(["资料审阅", "账务核实", "实地核查"], records.Select(r => r.GetProperty("kindLabel").GetString()));
        Assert.Equal("2022-05-25", records[2].GetProperty("date").GetString());
        Assert.Contains("对讲机 48 件未见实物", records[2].GetProperty("content").GetString(), StringComparison.Ordinal);
    }
}
