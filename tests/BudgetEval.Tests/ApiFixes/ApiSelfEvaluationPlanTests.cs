using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.ApiFixes;

/// <summary>A unit's hand-made self-evaluations may not duplicate or rename what a published plan issued.</summary>
public sealed class ApiSelfEvaluationPlanTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static async Task<JsonElement> PlanIssuedAsync(HttpClient unit2, int fiscalYear = 2022) =>
        JsonDocument.Parse(await unit2.GetStringAsync($"/api/self-evaluations?fiscalYear={fiscalYear}")).RootElement.EnumerateArray()
            .First(i => i.GetProperty("planId").ValueKind != JsonValueKind.Null && i.GetProperty("kind").GetString() == "DepartmentWide");

    [Fact]
    public async Task Given_a_plan_issued_2022_record_When_the_unit_creates_another_for_2022_Then_409_naming_the_plan_record_and_nothing_created()
    {
        var unit2 = await app.ApiAsync("unit2");
        var issued = await PlanIssuedAsync(unit2);
        var before = await app.DbAsync(db => db.SelfEvaluations.CountAsync());

        var response = await unit2.PostAsJsonAsync("/api/self-evaluations",
            new { title = "2022年度重复自评", fiscalYear = 2022, deadline = "2020-01-01", summary = "概述", totalBudget = 1m });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("已由评价计划下达", body, StringComparison.Ordinal);
        Assert.Contains(issued.GetProperty("title").GetString()!, body, StringComparison.Ordinal);
        Assert.Equal(before, await app.DbAsync(db => db.SelfEvaluations.CountAsync()));
        Assert.Equal(0, await app.DbAsync(db => db.WorkflowInstances.CountAsync(i => i.Title == "2022年度重复自评")));
    }

    [Fact]
    public async Task Given_a_plan_issued_record_When_its_title_year_and_deadline_are_put_Then_400_naming_each_and_nothing_changes()
    {
        var unit2 = await app.ApiAsync("unit2");
        var issued = await PlanIssuedAsync(unit2);
        var id = issued.GetProperty("id").GetGuid();

        var response = await unit2.PutAsJsonAsync($"/api/self-evaluations/{id}", new
        {
            title = "改过的标题", fiscalYear = 2021, deadline = "2020-01-01", expectedVersion = issued.GetProperty("version").GetUInt32(),
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        foreach (var field in new[] { "title", "fiscalYear", "deadline" })
        {
            Assert.Equal("由评价计划下达的自评不能修改标题、年度或截止日期。", errors.GetProperty(field)[0].GetString());
        }

        var saved = await app.DbAsync(db => db.SelfEvaluations.SingleAsync(s => s.Id == id));
        Assert.Equal(issued.GetProperty("title").GetString(), saved.Title);
        Assert.Equal(2022, saved.FiscalYear);
    }

    [Fact]
    public async Task Given_a_plan_issued_record_When_put_with_its_own_title_year_and_deadline_Then_200_and_the_summary_is_saved()
    {
        var unit2 = await app.ApiAsync("unit2");
        var issued = await PlanIssuedAsync(unit2);
        var id = issued.GetProperty("id").GetGuid();

        var response = await unit2.PutAsJsonAsync($"/api/self-evaluations/{id}", new
        {
            title = issued.GetProperty("title").GetString(), fiscalYear = 2022, deadline = issued.GetProperty("deadline").GetString(),
            summary = "照原样保存", expectedVersion = issued.GetProperty("version").GetUInt32(),
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("照原样保存", await app.DbAsync(db => db.SelfEvaluations.Where(s => s.Id == id).Select(s => s.Summary).SingleAsync()));
    }

    [Fact]
    public async Task Given_a_hand_made_record_When_its_title_changes_Then_the_case_and_its_tasks_take_the_new_title_and_a_new_year_is_refused()
    {
        var unit = await app.ApiAsync("unit");
        var created = await unit.PostAsJsonAsync("/api/self-evaluations", new { title = "自建自评旧标题", fiscalYear = 2019, deadline = "2026-03-31", summary = "概述" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var record = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        var id = record.GetProperty("id").GetGuid();
        var caseId = record.GetProperty("caseId").GetGuid();

        var year = await unit.PutAsJsonAsync($"/api/self-evaluations/{id}", new { title = "自建自评新标题", fiscalYear = 2018, expectedVersion = record.GetProperty("version").GetUInt32() });
        Assert.Equal(HttpStatusCode.BadRequest, year.StatusCode);
        Assert.True(JsonDocument.Parse(await year.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("fiscalYear", out _));
        Assert.Equal("自建自评旧标题", await app.DbAsync(db => db.WorkflowInstances.IgnoreQueryFilters().Where(i => i.Id == caseId).Select(i => i.Title).SingleAsync()));

        var renamed = await unit.PutAsJsonAsync($"/api/self-evaluations/{id}", new { title = "自建自评新标题", expectedVersion = record.GetProperty("version").GetUInt32() });

        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("自建自评新标题", await app.DbAsync(db => db.WorkflowInstances.IgnoreQueryFilters().Where(i => i.Id == caseId).Select(i => i.Title).SingleAsync()));
        var taskTitles = await app.DbAsync(db => db.WorkItems.IgnoreQueryFilters().Where(w => w.InstanceId == caseId).Select(w => w.Title).ToListAsync());
        Assert.NotEmpty(taskTitles);
        Assert.All(taskTitles, t => Assert.Equal("自建自评新标题", t));
    }
}
