using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Evaluations;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.EvaluationConcurrency;

/// <summary>
/// The same part stamps as the page's forms, over the API: PUT …/report, …/problems, …/comments and …/answers accept the
/// part's <c>stamp</c> (GET /api/evaluations/{id} → <c>stamps</c>), refused only when that part changed since, so a teammate's
/// scores no longer refuse a report save as <c>expectedVersion</c> does (which still works, strictly, for older clients).
/// Each test uses its own fiscal year (2010, 2016–2020) on the class's database.
/// </summary>
public sealed class EvaluationApiStampTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly EvaluationApi _api = new(app);

    [Fact]
    public async Task Given_a_teammate_saved_scores_When_the_report_is_put_with_the_report_stamp_read_before_Then_it_saves_where_the_old_version_is_refused()
    {
        var id = await _api.CommissionedAsync(2016);
        var evaluator = await app.ApiAsync("evaluator");
        var read = await EvaluationApi.JsonAsync(evaluator, $"/api/evaluations/{id}");
        var (version, stamp) = (read.GetProperty("version").GetUInt32(), ReportStamp(read));
        await SaveScoresAsync(await app.ApiAsync("evaluator"), id);

        var byVersion = await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/report", new { sections = new { overview = "按版本号保存的概况" }, expectedVersion = version });
        var unchanged = await ReportAsync(id);
        var byStamp = await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/report", new { sections = new { overview = "按戳记保存的概况" }, stamp });

        Assert.Equal(HttpStatusCode.Conflict, byVersion.StatusCode);
        Assert.Null(unchanged);
        await EvaluationApi.Ok(byStamp);
        Assert.Equal("按戳记保存的概况", await ReportAsync(id));
        var saved = JsonDocument.Parse(await byStamp.Content.ReadAsStringAsync()).RootElement;
        Assert.NotEqual(stamp, saved.GetProperty("stamps").GetProperty("report").GetString());
        Assert.Equal(ReportStamp(await EvaluationApi.JsonAsync(evaluator, $"/api/evaluations/{id}")), saved.GetProperty("stamps").GetProperty("report").GetString());
    }

    [Fact]
    public async Task Given_someone_saved_the_report_When_the_report_is_put_with_the_stamp_read_before_Then_409_naming_the_report_and_the_text_is_unchanged()
    {
        var id = await _api.CommissionedAsync(2017);
        var evaluator = await app.ApiAsync("evaluator");
        var stamp = ReportStamp(await EvaluationApi.JsonAsync(evaluator, $"/api/evaluations/{id}"));
        await EvaluationApi.Ok(await (await app.ApiAsync("evaluator")).PutAsJsonAsync($"/api/evaluations/{id}/report", new { sections = new { overview = "同事先保存的概况" }, stamp }));

        var stale = await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/report", new { sections = new { overview = "过期的概况" }, reportNumber = "过期的文号", stamp });

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal($"评价报告已被他人修改（本次保存未生效）：请重新读取该评价（GET /api/evaluations/{id}，返回的 stamps.report），核对对方保存的内容后再保存。", await DetailAsync(stale));
        var e = await EvaluationAsync(id);
        Assert.Equal(("同事先保存的概况", (string?)null), (e.Report.GetValueOrDefault("overview"), e.ReportNumber));
    }

    [Fact]
    public async Task Given_a_teammate_saved_scores_in_the_final_report_When_answers_are_put_with_the_answers_stamp_Then_they_save_where_the_old_version_is_refused()
    {
        var id = await _api.InFinalReportAsync(2018);
        var evaluator = await app.ApiAsync("evaluator");
        var read = await EvaluationApi.JsonAsync(evaluator, $"/api/evaluations/{id}");
        var (version, stamp) = (read.GetProperty("version").GetUInt32(), read.GetProperty("stamps").GetProperty("answers").GetString());
        await SaveScoresAsync(await app.ApiAsync("evaluator"), id);

        var byVersion = await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/answers", new { answers = new[] { new { no = 8, answer = "按版本号保存的答复" } }, expectedVersion = version });
        var unchanged = (await EvaluationAsync(id)).Problems[7].FirmAnswer;
        var byStamp = await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/answers", new { answers = new[] { new { no = 8, answer = "按戳记保存的答复" } }, stamp });

        Assert.Equal(HttpStatusCode.Conflict, byVersion.StatusCode);
        Assert.Equal("经核实，超期以系统记录为准，维持原意见。", unchanged);
        await EvaluationApi.Ok(byStamp);
        Assert.Equal("按戳记保存的答复", (await EvaluationAsync(id)).Problems[7].FirmAnswer);
    }

    [Fact]
    public async Task Given_someone_saved_the_answers_When_answers_are_put_with_the_stamp_read_before_Then_409_and_the_answer_is_unchanged()
    {
        var id = await _api.InFinalReportAsync(2019);
        var evaluator = await app.ApiAsync("evaluator");
        var stamp = (await EvaluationApi.JsonAsync(evaluator, $"/api/evaluations/{id}")).GetProperty("stamps").GetProperty("answers").GetString();
        await EvaluationApi.Ok(await (await app.ApiAsync("evaluator")).PutAsJsonAsync($"/api/evaluations/{id}/answers", new { answers = new[] { new { no = 8, answer = "同事先保存的答复" } }, stamp }));

        var stale = await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/answers", new { answers = new[] { new { no = 8, answer = "过期的答复" } }, stamp });

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.StartsWith("评价机构答复已被他人修改（本次保存未生效）", await DetailAsync(stale), StringComparison.Ordinal);
        Assert.Equal("同事先保存的答复", (await EvaluationAsync(id)).Problems[7].FirmAnswer);
    }

    [Fact]
    public async Task Given_two_unit_users_with_one_comments_stamp_When_both_put_comments_Then_the_second_is_refused_and_the_first_ones_remarks_stay()
    {
        var id = await _api.InCommentWindowAsync(2020);
        var first = await app.ApiAsync("unit");
        var second = await app.ApiAsync("unit");
        var stamp = (await EvaluationApi.JsonAsync(second, $"/api/evaluations/{id}")).GetProperty("stamps").GetProperty("comments").GetString();
        await EvaluationApi.Ok(await first.PutAsJsonAsync($"/api/evaluations/{id}/comments", new { general = "甲：基本同意。", problems = new[] { new { no = 1, comment = "甲的意见", disputed = false } }, stamp }));

        var stale = await second.PutAsJsonAsync($"/api/evaluations/{id}/comments", new { general = "乙：有异议。", problems = new[] { new { no = 1, comment = "乙的异议", disputed = true } }, stamp });

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.StartsWith("单位意见已被他人修改（本次保存未生效）", await DetailAsync(stale), StringComparison.Ordinal);
        var e = await EvaluationAsync(id);
        Assert.Equal(("甲：基本同意。", "甲的意见", false), (e.UnitComment, e.Problems[0].UnitComment, e.Problems[0].Disputed));
    }

    [Fact]
    public async Task Given_the_problems_stamp_When_the_report_was_saved_in_between_Then_the_list_saves_and_a_second_put_with_the_old_stamp_is_refused()
    {
        var id = await _api.InFinalReportAsync(2010);
        var evaluator = await app.ApiAsync("evaluator");
        var stamp = await StampAsync(evaluator, id, "problems");
        var problems = (await EvaluationApi.JsonAsync(evaluator, $"/api/evaluations/{id}/report")).GetProperty("problems").Clone();
        var edited = JsonSerializer.Deserialize<List<Dictionary<string, JsonElement>>>(problems.GetRawText())!;
        edited[0]["title"] = JsonSerializer.SerializeToElement("改过的问题1标题");
        var teammate = await app.ApiAsync("evaluator");
        await EvaluationApi.Ok(await teammate.PutAsJsonAsync($"/api/evaluations/{id}/report", new { reportNumber = "湘财苑专审字[2026]第9号", stamp = await StampAsync(teammate, id, "report") }));

        var saved = await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/problems", new { problems = edited, stamp });
        var again = await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/problems", new { problems, stamp });

        await EvaluationApi.Ok(saved);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.StartsWith("问题清单已被他人修改（本次保存未生效）", await DetailAsync(again), StringComparison.Ordinal);
        Assert.Equal("改过的问题1标题", (await EvaluationAsync(id)).Problems[0].Title);
    }

    [Fact]
    public async Task Given_a_unit_before_its_comment_window_When_it_reads_the_evaluation_Then_no_stamps_are_shown_while_the_firm_sees_them()
    {
        var id = await _api.CommissionedAsync(2016, "戳记可见性测试");

        var unit = await EvaluationApi.JsonAsync(await app.ApiAsync("unit"), $"/api/evaluations/{id}");
        var firm = await EvaluationApi.JsonAsync(await app.ApiAsync("evaluator"), $"/api/evaluations/{id}");

        Assert.Equal(JsonValueKind.Null, unit.GetProperty("stamps").ValueKind);
        Assert.Matches("^[0-9a-f]{16}$", firm.GetProperty("stamps").GetProperty("comments").GetString());
    }

    private static string? ReportStamp(JsonElement detail) => detail.GetProperty("stamps").GetProperty("report").GetString();

    private static async Task<string?> StampAsync(HttpClient client, Guid id, string part) =>
        (await EvaluationApi.JsonAsync(client, $"/api/evaluations/{id}")).GetProperty("stamps").GetProperty(part).GetString();

    /// <summary>A teammate's save of one score with the version it reads now: it moves the evaluation's version, not the report.</summary>
    private static async Task SaveScoresAsync(HttpClient teammate, Guid id) =>
        await EvaluationApi.Ok(await teammate.PutAsJsonAsync($"/api/evaluations/{id}/scores", new
        {
            rows = new[] { new { level1 = "投入", level3 = "绩效目标合理性", score = 1.5m, note = "目标与职责部分相关" } },
            expectedVersion = await EvaluationApi.VersionAsync(teammate, id),
        }));

    private static async Task<string?> DetailAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();

    private Task<Evaluation> EvaluationAsync(Guid id) => app.DbAsync(db => db.Evaluations.AsNoTracking().SingleAsync(e => e.Id == id));

    private async Task<string?> ReportAsync(Guid id) => (await EvaluationAsync(id)).Report.GetValueOrDefault("overview");
}
