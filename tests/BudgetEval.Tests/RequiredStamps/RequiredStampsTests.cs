using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Rectifications;
using BudgetEval.Tests.SelfEvaluations;

namespace BudgetEval.Tests.RequiredStamps;

/// <summary>
/// A JSON save of an existing record must bring the concurrency token it read (stamp, stamps, expectedVersion):
/// without one it is refused with 400 naming the field and the GET that gives it, and nothing is written, instead
/// of overwriting unseen whatever someone else saved since. A caller who may not save is still told so (403).
/// </summary>
public sealed class RequiredStampsTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly RectificationApi _findings = new(app);

    private Task<string> FingerprintAsync() => DbFingerprint.TakeAsync(app.Database.ConnectionString);

    /// <summary>The 400's errors: exactly <paramref name="field"/>, whose one message is returned.</summary>
    private static async Task<string> MissingAsync(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {text}");
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(p => p.Name));
        return Assert.Single(errors.GetProperty(field).EnumerateArray()).GetString()!;
    }

    [Theory]
    [InlineData("unit", "plan", """{"measures":"补记账务。","responsible":"张会计","plannedDate":"2026-04-15"}""")]
    [InlineData("unit", "result", """{"result":"已补记账务。"}""")]
    [InlineData("unit", "requested-deadline", """{"deadline":"2026-09-30"}""")]
    [InlineData("finance", "next-deadline", """{"deadline":"2026-09-30"}""")]
    public async Task Given_a_finding_save_without_its_stamp_When_put_Then_400_under_stamp_naming_the_GET_and_nothing_is_written(string user, string part, string body)
    {
        var (id, _) = await _findings.RegisterAsync($"缺少戳记测试 {part}", new DateOnly(2026, 6, 30));
        var client = await _findings.Cases.As(user);
        var before = await FingerprintAsync();

        var response = await client.PutAsync($"/api/findings/{id}/{part}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal($"缺少版本标记 stamp：请先读取该问题（GET /api/findings/{id}）并随保存一并提交，以免覆盖他人的修改。", await MissingAsync(response, "stamp"));
        Assert.Equal(before, await FingerprintAsync());
    }

    [Fact]
    public async Task Given_another_units_finding_When_its_plan_is_put_without_a_stamp_Then_403_not_a_word_about_the_stamp()
    {
        var (id, _) = await _findings.RegisterAsync("他单位缺少戳记测试", new DateOnly(2026, 6, 30));

        var response = await (await _findings.Cases.As("unit2")).PutAsJsonAsync($"/api/findings/{id}/plan", new { measures = "措施。" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("stamp", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_stamp_read_before_someone_saved_the_plan_When_the_requested_deadline_is_put_with_it_Then_409_and_the_date_is_not_saved()
    {
        var (id, _) = await _findings.RegisterAsync("延期戳记过期测试", new DateOnly(2026, 6, 30));
        var stamp = await _findings.StampAsync("unit", id);
        await _findings.PutOkAsync("unit", $"/api/findings/{id}/plan", new { measures = "先行整改。", responsible = "王会计", plannedDate = "2026-04-15", stamp });
        var unit = await _findings.Cases.As("unit");

        var stale = await unit.PutAsJsonAsync($"/api/findings/{id}/requested-deadline", new { deadline = "2026-09-30", stamp });

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await _findings.FindingAsync("unit", id)).GetProperty("rectification").GetProperty("requestedDeadline").ValueKind);
    }

    [Fact]
    public async Task Given_follow_up_statements_one_without_its_stamp_When_put_Then_400_under_stamps_of_that_finding_naming_it_and_no_statement_is_saved()
    {
        var (id, _) = await _findings.Cases.CreateAsync(); // 2025: follows up the centre's findings of 2022–2024
        var (stamped, _) = await _findings.RegisterInspectionAsync(2024, "整改说明戳记测试一", new DateOnly(2026, 9, 30));
        var (unstamped, _) = await _findings.RegisterInspectionAsync(2024, "整改说明戳记测试二", new DateOnly(2026, 9, 30));
        var unit = await _findings.Cases.As("unit");
        var items = await EvaluationApi.JsonAsync(unit, $"/api/self-evaluations/{id}/follow-up");
        var stamps = RectificationApi.FollowUpStamps(items);
        stamps.Remove(unstamped.ToString());
        var number = items.EnumerateArray().Single(i => i.GetProperty("findingId").GetGuid() == unstamped).GetProperty("number").GetString();
        var statements = new Dictionary<string, string> { [stamped.ToString()] = "已拨付。", [unstamped.ToString()] = "正在整改。" };
        var before = await FingerprintAsync();

        var refused = await unit.PutAsJsonAsync($"/api/self-evaluations/{id}/follow-up", new { statements, stamps });
        var message = await MissingAsync(refused, $"stamps.{unstamped}");
        var unchanged = await FingerprintAsync();
        var noStampsAtAll = await unit.PutAsJsonAsync($"/api/self-evaluations/{id}/follow-up", new { statements });

        Assert.Equal($"缺少问题「{number} 整改说明戳记测试二」的版本标记 stamps.{unstamped}：请先读取整改情况（GET /api/self-evaluations/{id}/follow-up，各项的 stamp）并随保存一并提交，以免覆盖他人的修改。", message);
        Assert.Equal(before, unchanged);
        var errors = JsonDocument.Parse(await noStampsAtAll.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal(HttpStatusCode.BadRequest, noStampsAtAll.StatusCode);
        Assert.Equal(new[] { $"stamps.{stamped}", $"stamps.{unstamped}" }.Order(), errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(before, await FingerprintAsync());
    }

    [Theory]
    [InlineData("", """{"title":"2025年度部门整体支出绩效自评","summary":"改写的概述"}""")]
    [InlineData("funds", """{"budget":1412.74,"executed":979.56,"upperTransfer":0}""")]
    [InlineData("indicators", """{"indicators":[{"level1":"产出指标","level2":"数量指标","level3":"培训人次","weight":10,"score":8}]}""")]
    [InlineData("text", """{"goalsPlanned":"年度目标"}""")]
    public async Task Given_a_self_evaluation_save_without_expectedVersion_When_put_Then_400_under_expectedVersion_naming_the_GET_and_nothing_is_written(string part, string body)
    {
        var (id, _) = await _findings.Cases.CreateAsync();
        var unit = await _findings.Cases.As("unit");
        var before = await FingerprintAsync();

        var response = await unit.PutAsync($"/api/self-evaluations/{id}{(part.Length > 0 ? "/" + part : "")}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal($"缺少版本号 expectedVersion：请先读取该自评（GET /api/self-evaluations/{id}，返回的 version）并随保存一并提交，以免覆盖他人的修改。",
            await MissingAsync(response, "expectedVersion"));
        Assert.Equal(before, await FingerprintAsync());
    }

    [Fact]
    public async Task Given_a_version_read_before_another_save_When_indicators_or_text_are_put_with_it_Then_409_and_nothing_of_theirs_is_saved()
    {
        var (id, _) = await _findings.Cases.CreateAsync();
        var unit = await _findings.Cases.As("unit");
        var version = await SelfEvaluationApiTests.VersionAsync(unit, id);
        Assert.Equal(HttpStatusCode.OK, (await unit.PutAsJsonAsync($"/api/self-evaluations/{id}/text", new { goalsPlanned = "他人先保存的目标", expectedVersion = version })).StatusCode);

        var indicators = await unit.PutAsJsonAsync($"/api/self-evaluations/{id}/indicators", new
        {
            indicators = new[] { new { level1 = "产出指标", level2 = "数量指标", level3 = "过期的指标", weight = 10m, score = 8m } },
            expectedVersion = version,
        });
        var text = await unit.PutAsJsonAsync($"/api/self-evaluations/{id}/text", new { goalsPlanned = "过期的目标", expectedVersion = version });

        Assert.Equal(HttpStatusCode.Conflict, indicators.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, text.StatusCode);
        var detail = await SelfEvaluationApiTests.DetailAsync(unit, id);
        Assert.Equal("他人先保存的目标", detail.GetProperty("goals").GetProperty("planned").GetString());
        Assert.DoesNotContain(detail.GetProperty("indicators").EnumerateArray(), i => i.GetProperty("level3").GetString() == "过期的指标");
    }

    [Fact]
    public async Task Given_an_evaluations_scores_without_expectedVersion_When_put_Then_400_naming_the_GET_nothing_is_written_and_another_party_still_gets_403()
    {
        var id = await new EvaluationApi(app).CommissionedAsync(2016);
        var row = new { level1 = "投入", level3 = "绩效指标明确性", score = 2m, note = "依据充分" };
        var evaluator = await app.ApiAsync("evaluator"); // signed in before the fingerprint: a sign-in writes the user's row
        var before = await FingerprintAsync();

        var response = await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/scores", new { rows = new[] { row } });
        var message = await MissingAsync(response, "expectedVersion");
        var unchanged = await FingerprintAsync();
        var unit = await (await app.ApiAsync("unit")).PutAsJsonAsync($"/api/evaluations/{id}/scores", new { rows = new[] { row } });

        Assert.Equal($"缺少版本号 expectedVersion：请先读取该评价（GET /api/evaluations/{id}，返回的 version）并随保存一并提交，以免覆盖他人的修改。", message);
        Assert.Equal(before, unchanged);
        Assert.Equal(HttpStatusCode.Forbidden, unit.StatusCode);
    }

    [Theory]
    [InlineData("evaluator", "report", """{"reportNumber":"湘财苑专审字[2026]第7号"}""")]
    [InlineData("evaluator", "problems", """{"problems":[]}""")]
    [InlineData("unit", "comments", """{"general":"基本同意。"}""")]
    [InlineData("evaluator", "answers", """{"answers":[]}""")]
    [InlineData("evaluator", "report", """{"reportNumber":"湘财苑专审字[2026]第7号","stamp":"  "}""")]
    public async Task Given_an_evaluations_report_problems_comments_or_answers_without_stamp_or_expectedVersion_When_put_Then_400_naming_both_and_nothing_is_written(
        string user, string part, string body)
    {
        var id = await new EvaluationApi(app).CommissionedAsync(2014, $"缺少版本号测试 {part} {body.Length}");
        var client = await app.ApiAsync(user);
        var before = await FingerprintAsync();

        var response = await client.PutAsync($"/api/evaluations/{id}/{part}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal($"缺少版本标记 stamp 或版本号 expectedVersion：请先读取该评价（GET /api/evaluations/{id}，返回的 stamps.{part} 或 version），并随保存一并提交其中之一，以免覆盖他人的修改。",
            await MissingAsync(response, "expectedVersion"));
        Assert.Equal(before, await FingerprintAsync());
    }

    [Fact]
    public async Task Given_another_party_When_it_puts_the_report_with_a_stamp_only_Then_403_not_a_word_about_the_token()
    {
        var id = await new EvaluationApi(app).CommissionedAsync(2014, "他方戳记测试");
        var stamp = (await EvaluationApi.JsonAsync(await app.ApiAsync("evaluator"), $"/api/evaluations/{id}")).GetProperty("stamps").GetProperty("report").GetString();

        var response = await (await app.ApiAsync("finance")).PutAsJsonAsync($"/api/evaluations/{id}/report", new { reportNumber = "他方的文号", stamp });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("stamp", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_version_read_before_another_save_When_the_report_is_put_with_it_Then_409_and_the_number_is_not_saved()
    {
        var id = await new EvaluationApi(app).CommissionedAsync(2013, "报告版本过期测试");
        var evaluator = await app.ApiAsync("evaluator");
        var version = await EvaluationApi.VersionAsync(evaluator, id);
        await EvaluationApi.Ok(await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/report", new { reportNumber = "湘财苑专审字[2026]第8号", expectedVersion = version }));

        var stale = await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/report", new { reportNumber = "过期的文号", expectedVersion = version });

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("湘财苑专审字[2026]第8号", (await EvaluationApi.JsonAsync(evaluator, $"/api/evaluations/{id}")).GetProperty("reportNumber").GetString());
    }

    [Fact]
    public async Task Given_an_evaluation_action_without_expectedVersion_When_posted_Then_400_naming_caseVersion_and_the_case_does_not_move()
    {
        var finance = await app.ApiAsync("finance");
        var selected = await EvaluationApi.SelectCentreAsync(finance, await app.SocialGovernanceCentreAsync(), 2015);
        await EvaluationApi.Ok(selected);
        var id = JsonDocument.Parse(await selected.Content.ReadAsStringAsync()).RootElement[0].GetProperty("id").GetGuid();
        var lead = await app.ApiAsync("financelead");
        var before = await FingerprintAsync();

        var response = await lead.PostAsJsonAsync($"/api/evaluations/{id}/actions/approve", new { comment = "同意。" });

        Assert.Equal($"缺少版本号 expectedVersion：请先读取该评价（GET /api/evaluations/{id}，返回的 caseVersion）并随办理一并提交，以免办理他人已处理过的事项。",
            await MissingAsync(response, "expectedVersion"));
        Assert.Equal(before, await FingerprintAsync());
        Assert.Equal("selected", (await EvaluationApi.JsonAsync(lead, $"/api/evaluations/{id}")).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("PUT", "/api/findings/{id}", "stamp")]
    [InlineData("PUT", "/api/findings/{id}/plan", "stamp")]
    [InlineData("PUT", "/api/findings/{id}/result", "stamp")]
    [InlineData("PUT", "/api/findings/{id}/requested-deadline", "stamp")]
    [InlineData("PUT", "/api/findings/{id}/next-deadline", "stamp")]
    [InlineData("PUT", "/api/self-evaluations/{id}/follow-up", "stamps")]
    [InlineData("PUT", "/api/self-evaluations/{id}", "expectedVersion")]
    [InlineData("PUT", "/api/self-evaluations/{id}/funds", "expectedVersion")]
    [InlineData("PUT", "/api/self-evaluations/{id}/indicators", "expectedVersion")]
    [InlineData("PUT", "/api/self-evaluations/{id}/text", "expectedVersion")]
    [InlineData("PUT", "/api/evaluations/{id}/scores", "expectedVersion")]
    [InlineData("POST", "/api/evaluations/{id}/actions/{action}", "expectedVersion")]
    [InlineData("POST", "/api/cases/{id}/actions/{action}", "expectedVersion")]
    [InlineData("POST", "/api/cases/{id}/tasks/{workItemId}/claim", "expectedVersion")]
    [InlineData("POST", "/api/cases/{id}/alter", "expectedVersion")]
    public async Task Given_the_api_document_Then_each_saves_concurrency_token_is_required(string method, string path, string field)
    {
        using var client = app.Anonymous();
        var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;

        var schema = document.GetProperty("paths").GetProperty(path).GetProperty(method.ToLowerInvariant())
            .GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        if (schema.TryGetProperty("$ref", out var reference))
        {
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!["#/components/schemas/".Length..]);
        }

        Assert.True(schema.GetProperty("properties").TryGetProperty(field, out _), $"{method} {path} has no {field}");
        Assert.Contains(field, schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
    }

    /// <summary>A part of an evaluation takes its stamp or the version: either will do, so neither is required, and the document says so.</summary>
    [Theory]
    [InlineData("report")]
    [InlineData("problems")]
    [InlineData("comments")]
    [InlineData("answers")]
    public async Task Given_the_api_document_Then_an_evaluation_parts_put_offers_stamp_or_expectedVersion_and_describes_the_either_or(string part)
    {
        using var client = app.Anonymous();
        var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;

        var operation = document.GetProperty("paths").GetProperty($"/api/evaluations/{{id}}/{part}").GetProperty("put");
        var schema = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        if (schema.TryGetProperty("$ref", out var reference))
        {
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!["#/components/schemas/".Length..]);
        }

        var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()).ToList() : [];
        foreach (var field in new[] { "stamp", "expectedVersion" })
        {
            Assert.True(schema.GetProperty("properties").TryGetProperty(field, out var property), $"{part} has no {field}");
            Assert.Contains("至少提交一个", property.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain(field, required);
        }

        var description = operation.GetProperty("description").GetString()!;
        Assert.Contains($"stamp（GET /api/evaluations/{{id}} 返回的 stamps.{part}）或 expectedVersion", description, StringComparison.Ordinal);
        Assert.True(document.GetProperty("components").GetProperty("schemas").GetProperty("EvaluationDetail").GetProperty("properties").TryGetProperty("stamps", out _));
    }
}
