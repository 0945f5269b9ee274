using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Plans;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.SelfEvaluationForm2;

/// <summary>One length limit per text of the 自评表 (the column's size), checked by the page and the API before saving, naming the field.</summary>
public sealed class TextLimitTests(AppFixture app) : IClassFixture<AppFixture>
{
    internal static Task<Guid> CentreDraftAsync(AppFixture app) => app.DbAsync(async db =>
    {
        var centre = await db.Organisations.Where(o => o.Name == DemoSeeder.SocialGovernanceCentre).Select(o => o.Id).SingleAsync();
        return await db.SelfEvaluations.Where(s => s.OrganisationId == centre && s.PlanId != null && s.Kind == EvaluationKind.DepartmentWide)
            .Select(s => s.Id).FirstAsync();
    });

    [Fact]
    public async Task Given_goals_over_20000_and_a_report_section_over_50000_When_the_page_saves_Then_422_naming_both_with_counts_text_kept_fields_marked_nothing_saved()
    {
        var id = await CentreDraftAsync(app);
        using var unit = await app.SignInAsync("unit");
        var (html, fields) = await FormPage.OpenAsync(unit, id);
        var goals = new string('目', 23456);
        fields["Input.GoalsPlanned"] = goals;
        fields["Input.Report[performance]"] = new string('绩', 50001);
        fields["Input.Report[other]"] = "其他说明（应随同其他内容一起保留，不被保存）";

        var response = await FormPage.PostAsync(unit, id, html, fields);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        var decoded = WebUtility.HtmlDecode(page);
        Assert.Contains("「年初设定目标」不能超过 20000 字（现 23,456 字）。", decoded, StringComparison.Ordinal);
        Assert.Contains("自评报告「绩效情况」不能超过 50000 字（现 50,001 字）。", decoded, StringComparison.Ordinal);
        Assert.Matches("name=\"Input.GoalsPlanned\" rows=\"4\" data-maxlength=\"20000\"[^>]* class=\"invalid\" aria-invalid=\"true\"", page);
        Assert.Matches("name=\"Input.Report\\[performance\\]\" rows=\"4\" data-maxlength=\"50000\"[^>]* class=\"invalid\" aria-invalid=\"true\"", page);
        Assert.DoesNotMatch("name=\"Input.Report\\[basics\\]\"[^>]* class=\"invalid\"", page);
        Assert.Contains("class=\"muted char-count over\" id=\"goals-planned-count\">23,456/20000（超出 3,456 字）</p>", decoded, StringComparison.Ordinal); // the counter starts from the kept text
        var shown = FormPage.Fields(page);
        Assert.Equal(goals, shown["Input.GoalsPlanned"]); // the typed text is kept for the user to shorten
        Assert.Equal(fields["Input.Report[other]"], shown["Input.Report[other]"]);

        var stored = await app.DbAsync(db => db.SelfEvaluations.AsNoTracking().SingleAsync(s => s.Id == id));
        Assert.Equal(SampleSelfEvaluation.GoalsPlanned, stored.GoalsPlanned);
        Assert.Null(stored.Report.Other);
    }

    [Fact]
    public async Task Given_a_report_section_of_30000_When_saved_by_page_and_api_Then_both_accept_it_and_the_api_refuses_goals_over_20000_by_name()
    {
        var id = await CentreDraftAsync(app);
        using var unit = await app.SignInAsync("unit");
        var (html, fields) = await FormPage.OpenAsync(unit, id);
        fields["Input.Report[problems]"] = new string('问', 30000);
        Assert.Equal(HttpStatusCode.Redirect, (await FormPage.PostAsync(unit, id, html, fields)).StatusCode);

        var api = await app.ApiAsync("unit");
        var ok = await api.PutAsJsonAsync($"/api/self-evaluations/{id}/text", new { report = new Dictionary<string, string> { ["nextSteps"] = new string('措', 30000) }, expectedVersion = await SelfEvaluations.SelfEvaluationApiTests.VersionAsync(api, id) });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        var refused = await api.PutAsJsonAsync($"/api/self-evaluations/{id}/text", new { goalsAchieved = new string('完', 20001), report = new Dictionary<string, string> { ["basics"] = new string('基', 50001) }, expectedVersion = await SelfEvaluations.SelfEvaluationApiTests.VersionAsync(api, id) });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal("「全年完成情况」不能超过 20000 字（现 20,001 字）。", errors.GetProperty("goalsAchieved")[0].GetString());
        Assert.Equal("自评报告「部门基本情况」不能超过 50000 字（现 50,001 字）。", errors.GetProperty("report.basics")[0].GetString());

        var stored = await app.DbAsync(db => db.SelfEvaluations.AsNoTracking().SingleAsync(s => s.Id == id));
        Assert.Equal(30000, stored.Report.Problems!.Length);
        Assert.Equal(30000, stored.Report.NextSteps!.Length);
        Assert.Equal(SampleSelfEvaluation.Functions, stored.Report.Basics);
    }
}
