using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Admin;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Reliability;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Evaluations;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.FirmReview2;

/// <summary>
/// Two evaluators of the firm's team on one evaluation: the score import replaces the whole table, so it must not
/// silently replace a teammate's score saved after the importer read the table (page, API, and inside the import itself).
/// Each test uses its own fiscal year (2006–2009) on the class's database.
/// </summary>
public sealed class ScoreImportConflictTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Level1 = "投入";
    private const string Level3 = "绩效目标合理性";
    private const string TeammateNote = "队友：目标与职责部分相关";

    private readonly EvaluationApi _api = new(app);

    [Fact]
    public async Task Given_a_teammate_saving_a_score_after_the_page_was_opened_When_the_other_imports_Then_it_is_refused_in_the_import_area_the_score_stays_and_importing_again_goes_through()
    {
        var id = await _api.CommissionedAsync(2006);
        await FirmColleagues.AddEvaluatorAsync(app, "firmimporter", "周敏");
        var importer = await app.SignInAsync("firmimporter");
        var opened = await importer.GetStringAsync($"/evaluations/{id}");

        await TeammateSavesAsync(id);
        var refused = await PostImportAsync(importer, id, opened);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains($"data-testid=\"import-errors\"><p>{EvaluationService.ScoresStaleMessage}</p>", html, StringComparison.Ordinal);
        Assert.Equal((1.5m, TeammateNote), await RowAsync(id));

        // The refusal shows the table as the teammate left it, with its stamp: importing from there replaces it knowingly.
        Assert.Contains(TeammateNote, html, StringComparison.Ordinal);
        Assert.NotEqual(AdminForms.HiddenValue(opened, "scoresStamp"), AdminForms.HiddenValue(html, "scoresStamp"));
        var again = await PostImportAsync(importer, id, html);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal((2m, "绩效目标与职责相关，符合部门制定计划，不扣分。"), await RowAsync(id));
    }

    [Fact]
    public async Task Given_a_page_opened_when_only_the_report_changed_since_When_importing_Then_the_import_goes_through()
    {
        var id = await _api.CommissionedAsync(2007);
        var evaluator = await app.SignInAsync("evaluator");
        var opened = await evaluator.GetStringAsync($"/evaluations/{id}");

        // Another part saved meanwhile: the table's stamp still holds.
        var api = await app.ApiAsync("evaluator");
        await EvaluationApi.Ok(await api.PutAsJsonAsync($"/api/evaluations/{id}/report", new { expectedVersion = await EvaluationApi.VersionAsync(api, id), sections = new { overview = "部门概况" } }));
        var imported = await PostImportAsync(evaluator, id, opened);

        Assert.Equal(HttpStatusCode.Redirect, imported.StatusCode);
        Assert.Equal(89.80m, (await EvaluationApi.JsonAsync(api, $"/api/evaluations/{id}")).GetProperty("totalScore").GetDecimal());
    }

    [Fact]
    public async Task Given_a_teammate_saving_a_score_after_the_version_was_read_When_importing_over_the_api_Then_stale_answers_409_missing_or_bad_400_and_fresh_imports()
    {
        var id = await _api.CommissionedAsync(2008);
        var importer = await app.ApiAsync("evaluator");
        var read = await EvaluationApi.VersionAsync(importer, id);
        var csv = SampleExternalEvaluation.IndicatorsCsv();

        await TeammateSavesAsync(id);
        var stale = await EvaluationApi.ImportAsync(importer, id, csv, "sample.csv", read.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var missing = await EvaluationApi.ImportAsync(importer, id, csv, "sample.csv", expectedVersion: null);
        var bad = await EvaluationApi.ImportAsync(importer, id, csv, "sample.csv", "最新");

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains(EvaluationService.StaleMessage, await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(EvaluationService.MissingVersionMessage(id), Field(await missing.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("「expectedVersion」「最新」应为评价的版本号", Field(await bad.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal((1.5m, TeammateNote), await RowAsync(id));

        var fresh = await EvaluationApi.ImportAsync(importer, id, csv);
        await EvaluationApi.Ok(fresh);
        Assert.Equal(89.80m, JsonDocument.Parse(await fresh.Content.ReadAsStringAsync()).RootElement.GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task Given_a_teammate_saving_a_score_while_the_import_reads_its_file_When_the_import_saves_Then_it_is_refused_and_the_score_stays()
    {
        var id = await _api.CommissionedAsync(2009);
        var firm = await app.OrganisationIdAsync(DemoSeeder.XinCaiYuan);
        var colleague = await FirmColleagues.AddEvaluatorAsync(app, "firmracer", "李倩");

        // The teammate's save lands when the import has read the table (its first role check) and before it saves.
        var roles = new OnFirstCheck(Roles.Evaluator, () => Task.Run(() => TeammateSavesAsync(id)).GetAwaiter().GetResult());
        var actor = new WorkflowActor(colleague, "李倩", firm, OrganisationKind.EvaluationFirm, roles);
        using var scope = app.Factory.Services.CreateScope();
        var (read, saved) = await scope.ServiceProvider.GetRequiredService<EvaluationService>()
            .ImportScoresAsync(id, "sample.csv", SampleExternalEvaluation.IndicatorsCsv(), actor, CancellationToken.None);

        Assert.True(roles.Fired);
        Assert.True(read.Succeeded);
        Assert.Equal(FireStatus.Conflict, saved.Status);
        Assert.Equal([EvaluationService.ScoresStaleMessage], saved.Errors);
        Assert.Equal((1.5m, TeammateNote), await RowAsync(id));
    }

    /// <summary>The 主评人 江惠平 saves one score and its 评分说明 over the API, with the version it reads.</summary>
    private async Task TeammateSavesAsync(Guid id)
    {
        var teammate = await app.ApiAsync("evaluator");
        await EvaluationApi.Ok(await teammate.PutAsJsonAsync($"/api/evaluations/{id}/scores", new
        {
            rows = new[] { new { level1 = Level1, level3 = Level3, score = 1.5m, note = TeammateNote } },
            expectedVersion = await EvaluationApi.VersionAsync(teammate, id),
        }));
    }

    /// <summary>The page's import form as <paramref name="page"/> showed it (its token and table stamp), with the sample table.</summary>
    private static Task<HttpResponseMessage> PostImportAsync(HttpClient client, Guid id, string page)
    {
        var form = Corpus.Multipart("sample.csv", SampleExternalEvaluation.IndicatorsCsv(), AppFixture.AntiforgeryToken(page));
        form.Add(new StringContent(AdminForms.HiddenValue(page, "scoresStamp")), "scoresStamp");
        return client.PostAsync($"/evaluations/{id}?handler=Import", form);
    }

    private async Task<(decimal? Score, string? Note)> RowAsync(Guid id)
    {
        var rows = await app.DbAsync(async db => (await db.Evaluations.IgnoreQueryFilters().AsNoTracking().SingleAsync(e => e.Id == id)).Rows);
        var row = rows.Single(r => r.Level1 == Level1 && r.Level3 == Level3);
        return (row.Score, row.Note);
    }

    private static string? Field(string problem) =>
        JsonDocument.Parse(problem).RootElement.GetProperty("errors").GetProperty("expectedVersion")[0].GetString();

    /// <summary>An actor's roles that run <paramref name="action"/> the first time <paramref name="role"/> is checked.</summary>
    private sealed class OnFirstCheck(string role, Action action) : IReadOnlySet<string>
    {
        private readonly HashSet<string> _roles = [role];

        public bool Fired { get; private set; }

        public int Count => _roles.Count;

        public bool Contains(string item)
        {
            if (item == role && !Fired)
            {
                Fired = true;
                action();
            }

            return _roles.Contains(item);
        }

        public IEnumerator<string> GetEnumerator() => _roles.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public bool IsProperSubsetOf(IEnumerable<string> other) => _roles.IsProperSubsetOf(other);

        public bool IsProperSupersetOf(IEnumerable<string> other) => _roles.IsProperSupersetOf(other);

        public bool IsSubsetOf(IEnumerable<string> other) => _roles.IsSubsetOf(other);

        public bool IsSupersetOf(IEnumerable<string> other) => _roles.IsSupersetOf(other);

        public bool Overlaps(IEnumerable<string> other) => _roles.Overlaps(other);

        public bool SetEquals(IEnumerable<string> other) => _roles.SetEquals(other);
    }
}
