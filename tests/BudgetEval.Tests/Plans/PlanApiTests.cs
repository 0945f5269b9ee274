using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Plans;

public sealed class PlanApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static object NewPlan(string notice, object? scoring = null, string? templateId = null) => new
    {
        fiscalYear = 2024,
        title = "2024年度绩效自评工作",
        noticeNumber = notice,
        deadline = "2025-03-31",
        templateId,
        scoring,
        targets = new object[]
        {
            new { organisationName = DemoSeeder.EducationBureau, kind = "部门整体支出" },
            new { organisationName = DemoSeeder.SocialGovernanceCentre, kind = "部门整体支出" },
            new { organisationName = DemoSeeder.SocialGovernanceCentre, kind = "项目支出", projectName = "社会治理系统运行维护", projectBudget = 282m },
        },
    };

    [Fact]
    public async Task Given_new_plan_When_published_Then_one_case_per_unit_and_kind_and_units_notified()
    {
        var finance = await app.ApiAsync("finance");
        var created = await finance.PostAsJsonAsync("/api/plans", NewPlan("望财绩〔2025〕1号"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        var notificationsBefore = await app.DbAsync(db => db.Notifications.CountAsync());

        var published = await finance.PostAsync($"/api/plans/{id}/publish", null);

        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        var plan = JsonDocument.Parse(await finance.GetStringAsync($"/api/plans/{id}")).RootElement;
        Assert.Equal("Published", plan.GetProperty("status").GetString());
        Assert.All(plan.GetProperty("targets").EnumerateArray(), t => Assert.NotEqual(JsonValueKind.Null, t.GetProperty("selfEvaluationId").ValueKind));
        var cases = await app.DbAsync(db => db.SelfEvaluations.Where(s => s.PlanId == id).Select(s => new { s.CaseId, s.Status, s.Kind }).ToListAsync());
        Assert.Equal(3, cases.Count);
        Assert.All(cases, c => Assert.Equal("draft", c.Status));
        Assert.True(await app.DbAsync(db => db.Notifications.CountAsync()) > notificationsBefore);

        var unit2 = await app.ApiAsync("unit2");
        var list = JsonDocument.Parse(await unit2.GetStringAsync("/api/self-evaluations?fiscalYear=2024")).RootElement.EnumerateArray().ToList();
        Assert.Single(list, i => i.GetProperty("planId").GetGuid() == id);
        Assert.All(list, i => Assert.Equal(DemoSeeder.EducationBureau, i.GetProperty("unitName").GetString()));
    }

    [Fact]
    public async Task Given_published_plan_When_published_again_Then_409_and_no_second_set_of_cases()
    {
        var finance = await app.ApiAsync("finance");
        var created = await finance.PostAsJsonAsync("/api/plans", NewPlan("望财绩〔2025〕2号"));
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await finance.PostAsync($"/api/plans/{id}/publish", null)).StatusCode);

        var again = await finance.PostAsync($"/api/plans/{id}/publish", null);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("已发布，不能重复发布", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(3, await app.DbAsync(db => db.SelfEvaluations.CountAsync(s => s.PlanId == id)));
    }

    [Fact]
    public async Task Given_targets_named_by_id_and_by_name_with_two_unknown_When_created_Then_400_naming_each_and_no_plan()
    {
        var finance = await app.ApiAsync("finance");
        var education = await app.DbAsync(db => db.Organisations.Where(o => o.Name == DemoSeeder.EducationBureau).Select(o => o.Id).SingleAsync());
        var plansBefore = await app.DbAsync(db => db.Plans.CountAsync());
        var request = new
        {
            fiscalYear = 2024,
            title = "2024年度绩效自评工作",
            noticeNumber = "望财绩〔2025〕9号",
            deadline = "2025-03-31",
            targets = new object[]
            {
                new { organisationId = education, kind = "部门整体支出" },
                new { organisationName = DemoSeeder.SocialGovernanceCentre, kind = "部门整体支出" },
                new { organisationName = "不存在的单位甲", kind = "部门整体支出" },
                new { organisationName = DemoSeeder.SocialGovernanceCentre, kind = "项目支出", projectName = "社会治理系统运行维护", projectBudget = 282m },
                new { organisationName = "不存在的单位乙", kind = "项目支出", projectName = "某项目", projectBudget = 1m },
            },
        };

        var response = await finance.PostAsJsonAsync("/api/plans", request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var targets = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").GetProperty("targets")
            .EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(["找不到单位「不存在的单位甲」。", "找不到单位「不存在的单位乙」。"], targets);
        Assert.Equal(plansBefore, await app.DbAsync(db => db.Plans.CountAsync()));

        var valid = await finance.PostAsJsonAsync("/api/plans", new { request.fiscalYear, request.title, request.noticeNumber, request.deadline, targets = request.targets.Where((_, i) => i is not (2 or 4)).ToArray() });
        Assert.Equal(HttpStatusCode.Created, valid.StatusCode);
        var units = JsonDocument.Parse(await valid.Content.ReadAsStringAsync()).RootElement.GetProperty("targets").EnumerateArray()
            .Select(t => t.GetProperty("unitName").GetString()).ToList();
        Assert.Equal(3, units.Count);
        Assert.Contains(DemoSeeder.EducationBureau, units);
        Assert.Equal(2, units.Count(u => u == DemoSeeder.SocialGovernanceCentre));
    }

    [Fact]
    public async Task Given_unit_user_When_creating_a_plan_Then_403()
    {
        var unit = await app.ApiAsync("unit");
        Assert.Equal(HttpStatusCode.Forbidden, (await unit.PostAsJsonAsync("/api/plans", NewPlan("x"))).StatusCode);
    }

    [Fact]
    public async Task Given_banded_rules_and_national_template_When_created_Then_stored_and_used_for_scoring()
    {
        var finance = await app.ApiAsync("finance");
        var scoring = new
        {
            fundsWeight = 10m,
            fundsRule = "Bands",
            bands = new[] { new { minRate = 1.0m, points = 10m }, new { minRate = 0.9m, points = 9m }, new { minRate = 0.6m, points = 6m } },
            indicatorTotal = 90m,
            grades = new { excellent = 90m, good = 80m, pass = 60m },
        };
        var created = await finance.PostAsJsonAsync("/api/plans", NewPlan("望财绩〔2025〕3号", scoring, "national2020"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var plan = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Bands", plan.GetProperty("scoring").GetProperty("fundsRule").GetString());
        Assert.Equal("决策", plan.GetProperty("template")[0].GetProperty("level1").GetString());
        var id = plan.GetProperty("id").GetGuid();
        await finance.PostAsync($"/api/plans/{id}/publish", null);

        var unit = await app.ApiAsync("unit");
        var seId = await app.DbAsync(db => db.SelfEvaluations.Where(s => s.PlanId == id && s.ProjectName == null && s.OrganisationId == db.Organisations.Single(o => o.Name == DemoSeeder.SocialGovernanceCentre).Id).Select(s => s.Id).SingleAsync());
        Assert.Equal(HttpStatusCode.OK, (await unit.PutAsJsonAsync($"/api/self-evaluations/{seId}/funds", new { budget = 1412.74m, executed = 979.56m, upperTransfer = 0m })).StatusCode);
        var detail = JsonDocument.Parse(await unit.GetStringAsync($"/api/self-evaluations/{seId}")).RootElement;
        Assert.Equal(6m, detail.GetProperty("funds").GetProperty("score").GetDecimal()); // 69.34% is in the ≥60% band
    }

    [Fact]
    public async Task Given_bad_bands_When_creating_Then_400()
    {
        var finance = await app.ApiAsync("finance");
        var response = await finance.PostAsJsonAsync("/api/plans", NewPlan("x", new { fundsRule = "Bands", bands = Array.Empty<object>() }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("分档", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_published_plan_When_amended_Then_unit_added_with_its_case_deadline_moved_and_recorded()
    {
        var finance = await app.ApiAsync("finance");
        var created = await finance.PostAsJsonAsync("/api/plans", NewPlan("望财绩〔2025〕4号"));
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        await finance.PostAsync($"/api/plans/{id}/publish", null);

        var amended = await finance.PostAsJsonAsync($"/api/plans/{id}/amendments", new
        {
            addTarget = new { organisationName = "长沙市望城区民政局", kind = "部门整体支出" },
            deadline = "2025-04-30",
            reason = "区政府要求增加",
        });

        Assert.Equal(HttpStatusCode.OK, amended.StatusCode);
        var plan = JsonDocument.Parse(await amended.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(4, plan.GetProperty("targets").GetArrayLength());
        Assert.Contains("截止日期由2025年3月31日调整为2025年4月30日", plan.GetProperty("amendments")[0].GetProperty("description").GetString(), StringComparison.Ordinal);
        var deadlines = await app.DbAsync(db => db.SelfEvaluations.Where(s => s.PlanId == id).Select(s => s.Deadline).ToListAsync());
        Assert.Equal(4, deadlines.Count);
        Assert.All(deadlines, d => Assert.Equal(new DateOnly(2025, 4, 30), d));

        // Adding the same unit again is refused, the error keyed by the request's own field.
        var again = await finance.PostAsJsonAsync($"/api/plans/{id}/amendments", new { addTarget = new { organisationName = "长沙市望城区民政局", kind = "部门整体支出" } });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.True(JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("addTarget", out _));
    }

    [Fact]
    public async Task Given_demo_seed_When_started_Then_published_2022_plan_with_the_centres_draft_in_the_units_inbox()
    {
        var plan = await app.DbAsync(db => db.Plans.SingleAsync(p => p.NoticeNumber == DemoSeeder.DemoNotice));
        Assert.Equal(2022, plan.FiscalYear);
        Assert.Equal(BudgetEval.Web.Plans.PlanStatus.Published, plan.Status);
        var centre = await app.SocialGovernanceCentreAsync();
        var openItems = await app.DbAsync(db => db.WorkItems.CountAsync(w => w.CaseOrganisationId == centre));
        Assert.True(openItems >= 2);
    }
}
