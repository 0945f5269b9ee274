using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Plans;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Plans;

public sealed class PlanApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    // Each test that publishes uses a year of its own: a unit's self-evaluation of a year is started by one plan only.
    private static object NewPlan(string notice, object? scoring = null, string? templateId = null, int fiscalYear = 2024) => new
    {
        fiscalYear,
        title = $"{fiscalYear}年度绩效自评工作",
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
        var created = await finance.PostAsJsonAsync("/api/plans", NewPlan("望财绩〔2025〕2号", fiscalYear: 2023));
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
        var created = await finance.PostAsJsonAsync("/api/plans", NewPlan("望财绩〔2025〕3号", scoring, "national2020", fiscalYear: 2020));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var plan = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Bands", plan.GetProperty("scoring").GetProperty("fundsRule").GetString());
        Assert.Equal("决策", plan.GetProperty("template")[0].GetProperty("level1").GetString());
        var id = plan.GetProperty("id").GetGuid();
        await finance.PostAsync($"/api/plans/{id}/publish", null);

        var unit = await app.ApiAsync("unit");
        var seId = await app.DbAsync(db => db.SelfEvaluations.Where(s => s.PlanId == id && s.ProjectName == null && s.OrganisationId == db.Organisations.Single(o => o.Name == DemoSeeder.SocialGovernanceCentre).Id).Select(s => s.Id).SingleAsync());
        Assert.Equal(HttpStatusCode.OK, (await unit.PutAsJsonAsync($"/api/self-evaluations/{seId}/funds", new { budget = 1412.74m, executed = 979.56m, upperTransfer = 0m, expectedVersion = await SelfEvaluations.SelfEvaluationApiTests.VersionAsync(unit, seId) })).StatusCode);
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
        var created = await finance.PostAsJsonAsync("/api/plans", NewPlan("望财绩〔2025〕4号", fiscalYear: 2019));
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

        // A unit of the plan reads its own lines, not the bureau's amendment record (which names other units
        // and the bureau's reasons); a draft plan is not shown outside the bureau at all.
        var unitView = await (await app.ApiAsync("unit")).GetFromJsonAsync<JsonElement>($"/api/plans/{id}");
        Assert.Equal(0, unitView.GetProperty("amendments").GetArrayLength());
        Assert.DoesNotContain("民政局", unitView.GetRawText(), StringComparison.Ordinal);
        var draft = await CreateAsync(finance, NewPlan("（内部草稿）望财绩〔2025〕5号", fiscalYear: 2018));
        foreach (var outsider in new[] { "unit2", "evaluator" })
        {
            using var client = await app.ApiAsync(outsider);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/plans/{draft}")).StatusCode);
            Assert.DoesNotContain("内部草稿", await client.GetStringAsync("/api/plans"), StringComparison.Ordinal);
        }

        // Adding the same unit again is refused, the error keyed by the request's own field.
        var again = await finance.PostAsJsonAsync($"/api/plans/{id}/amendments", new { addTarget = new { organisationName = "长沙市望城区民政局", kind = "部门整体支出" } });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.True(JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("addTarget", out _));
    }

    private static async Task<Guid> CreateAsync(HttpClient finance, object plan)
    {
        var created = await finance.PostAsJsonAsync("/api/plans", plan);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
    }

    // The deadline falls after the fiscal year, as PlanService requires (2026-04-30 for the 2025 plans).
    private static object PlanOf(int fiscalYear, string notice, params object[] targets) =>
        new { fiscalYear, title = $"{fiscalYear}年度绩效自评（{notice}）", noticeNumber = notice, deadline = $"{fiscalYear + 1}-04-30", targets };

    private static string[] Errors(JsonElement problem, string field) =>
        problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Fact]
    public async Task Given_a_published_plan_When_a_second_plan_of_the_year_names_the_same_targets_Then_publishing_and_amending_are_refused_naming_each_and_nothing_is_saved()
    {
        const string civil = "长沙市望城区民政局";
        var finance = await app.ApiAsync("finance");
        var first = await CreateAsync(finance, PlanOf(2025, "望财绩〔2026〕31号",
            new { organisationName = DemoSeeder.SocialGovernanceCentre, kind = "部门整体支出" },
            new { organisationName = DemoSeeder.SocialGovernanceCentre, kind = "项目支出", projectName = "社会治理系统运行维护", projectBudget = 282m }));
        Assert.Equal(HttpStatusCode.OK, (await finance.PostAsync($"/api/plans/{first}/publish", null)).StatusCode);

        // The same centre (both kinds) again, the education bureau new; another project of the centre is a different target.
        var second = await CreateAsync(finance, PlanOf(2025, "望财绩〔2026〕32号",
            new { organisationName = DemoSeeder.EducationBureau, kind = "部门整体支出" },
            new { organisationName = DemoSeeder.SocialGovernanceCentre, kind = "部门整体支出" },
            new { organisationName = DemoSeeder.SocialGovernanceCentre, kind = "项目支出", projectName = "社会治理系统运行维护", projectBudget = 282m },
            new { organisationName = DemoSeeder.SocialGovernanceCentre, kind = "项目支出", projectName = "网格化服务", projectBudget = 50m }));
        var before = await app.DbAsync(db => db.SelfEvaluations.CountAsync());

        var refused = await finance.PostAsync($"/api/plans/{second}/publish", null);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var messages = Errors(JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement, "targets");
        Assert.Equal(
        [
            $"{DemoSeeder.SocialGovernanceCentre}的2025年度部门整体支出绩效自评已由评价工作计划「2025年度绩效自评（望财绩〔2026〕31号）」（望财绩〔2026〕31号）立项，不能重复立项。",
            $"{DemoSeeder.SocialGovernanceCentre}的2025年度项目支出绩效自评（社会治理系统运行维护）已由评价工作计划「2025年度绩效自评（望财绩〔2026〕31号）」（望财绩〔2026〕31号）立项，不能重复立项。",
        ], messages);
        Assert.Equal(before, await app.DbAsync(db => db.SelfEvaluations.CountAsync()));
        Assert.Equal(PlanStatus.Draft, await app.DbAsync(db => db.Plans.Where(p => p.Id == second).Select(p => p.Status).SingleAsync()));
        using (var page = await app.SignInAsync("finance"))
        {
            var token = AppFixture.AntiforgeryToken(await page.GetStringAsync($"/plans/{second}"));
            var html = System.Net.WebUtility.HtmlDecode(await (await page.PostAsync($"/plans/{second}?handler=publish",
                new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }))).Content.ReadAsStringAsync());
            Assert.Contains($"覆盖单位：{messages[0]}", html, StringComparison.Ordinal);
        }

        // A plan of the year without the clash publishes; adding the centre to it afterwards is refused the same way.
        var third = await CreateAsync(finance, PlanOf(2025, "望财绩〔2026〕33号", new { organisationName = civil, kind = "部门整体支出" }));
        Assert.Equal(HttpStatusCode.OK, (await finance.PostAsync($"/api/plans/{third}/publish", null)).StatusCode);
        var amended = await finance.PostAsJsonAsync($"/api/plans/{third}/amendments", new
        {
            addTarget = new { organisationName = DemoSeeder.SocialGovernanceCentre, kind = "部门整体支出" },
            deadline = "2026-05-31",
        });
        Assert.Equal(HttpStatusCode.BadRequest, amended.StatusCode);
        Assert.Equal([messages[0]], Errors(JsonDocument.Parse(await amended.Content.ReadAsStringAsync()).RootElement, "addTarget"));
        Assert.Equal(1, await app.DbAsync(db => db.SelfEvaluations.CountAsync(s => s.PlanId == third)));
        Assert.Equal(new DateOnly(2026, 4, 30), await app.DbAsync(db => db.SelfEvaluations.Where(s => s.PlanId == third).Select(s => s.Deadline).SingleAsync()));
        Assert.Equal(0, await app.DbAsync(db => db.Set<PlanAmendment>().CountAsync(a => a.PlanId == third)));

        // Another year is another self-evaluation.
        var nextYear = await CreateAsync(finance, PlanOf(2026, "望财绩〔2027〕31号", new { organisationName = DemoSeeder.SocialGovernanceCentre, kind = "部门整体支出" }));
        Assert.Equal(HttpStatusCode.OK, (await finance.PostAsync($"/api/plans/{nextYear}/publish", null)).StatusCode);
        var centre = await app.SocialGovernanceCentreAsync();
        Assert.Equal(1, await app.DbAsync(db => db.SelfEvaluations.CountAsync(s => s.OrganisationId == centre && s.FiscalYear == 2025 && s.Kind == EvaluationKind.DepartmentWide)));
    }

    [Fact]
    public async Task Given_two_draft_plans_naming_the_same_unit_When_both_are_published_at_once_Then_one_publishes_and_the_unit_has_one_self_evaluation()
    {
        var plans = new List<Guid>();
        var finance = await app.ApiAsync("finance");
        for (var i = 0; i < 4; i++)
        {
            plans.Add(await CreateAsync(finance, PlanOf(2017, $"望财绩〔2018〕{i + 1}号", new { organisationName = DemoSeeder.EducationBureau, kind = "部门整体支出" })));
        }

        var clients = await Task.WhenAll(plans.Select(_ => app.ApiAsync("finance")));
        var answers = await Task.WhenAll(plans.Select((id, i) => clients[i].PostAsync($"/api/plans/{id}/publish", null)));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.BadRequest));
        var education = await app.DbAsync(db => db.Organisations.Where(o => o.Name == DemoSeeder.EducationBureau).Select(o => o.Id).SingleAsync());
        Assert.Equal(1, await app.DbAsync(db => db.SelfEvaluations.CountAsync(s => s.OrganisationId == education && s.FiscalYear == 2017)));
        Assert.Equal(1, await app.DbAsync(db => db.Plans.CountAsync(p => plans.Contains(p.Id) && p.Status == PlanStatus.Published)));
    }

    [Fact]
    public async Task Given_a_plan_with_many_problems_When_created_over_the_api_Then_one_answer_names_every_one()
    {
        var finance = await app.ApiAsync("finance");
        var before = await app.DbAsync(db => db.Plans.CountAsync());

        var response = await finance.PostAsJsonAsync("/api/plans", new
        {
            fiscalYear = 1999,
            title = "",
            deadline = "2026-04-30",
            scoring = new { fundsRule = "Bands", bands = Array.Empty<object>(), grades = new { excellent = 80m, good = 90m, pass = 60m } },
            targets = new object[]
            {
                new { kind = "项目支出", projectName = "某项目", projectBudget = -5m },
                new { organisationName = DemoSeeder.EducationBureau, kind = "项目支出", projectName = "", projectBudget = -1m },
            },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Single(Errors(problem, "fiscalYear"));
        Assert.Single(Errors(problem, "title"));
        Assert.Contains("分档计分须至少填写一档。", Errors(problem, "scoring"));
        Assert.Contains("等级分数线须满足 优 > 良 > 中 ≥ 0。", Errors(problem, "scoring"));
        Assert.Equal(
        [
            "第1项：请填写单位（organisationId 或 organisationName）。",
            "第1项：项目预算不能为负数。",
            $"{DemoSeeder.EducationBureau}：项目支出自评须填写项目名称。",
            $"{DemoSeeder.EducationBureau}：项目预算不能为负数。",
        ], Errors(problem, "targets"));
        Assert.Equal(before, await app.DbAsync(db => db.Plans.CountAsync()));
    }

    [Fact]
    public async Task Given_a_plan_for_a_year_that_has_not_begun_When_created_Then_the_year_is_refused_by_name_and_nothing_is_saved()
    {
        var finance = await app.ApiAsync("finance");
        var before = await app.DbAsync(db => db.Plans.CountAsync());

        // The test clock stands in March 2026: 2027 is a typo for 2025 or 2026; 2026 itself may be prepared already.
        var response = await finance.PostAsJsonAsync("/api/plans", NewPlan("望财绩〔2026〕90号", fiscalYear: 2027));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["评价年度不能晚于今年（2026年），填写的是2027年。"], Errors(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement, "fiscalYear"));
        Assert.Equal(before, await app.DbAsync(db => db.Plans.CountAsync()));
        var current = await finance.PostAsJsonAsync("/api/plans", PlanOf(2026, "望财绩〔2026〕91号", new { organisationName = DemoSeeder.EducationBureau, kind = "部门整体支出" }));
        Assert.Equal(HttpStatusCode.Created, current.StatusCode);
    }

    [Fact]
    public async Task Given_a_project_named_with_项目_When_published_Then_its_title_says_项目_once()
    {
        var finance = await app.ApiAsync("finance");
        var id = await CreateAsync(finance, PlanOf(2018, "望财绩〔2019〕1号",
            new { organisationName = DemoSeeder.EducationBureau, kind = "项目支出", projectName = "学前教育普惠资助项目", projectBudget = 100m },
            new { organisationName = DemoSeeder.EducationBureau, kind = "项目支出", projectName = "校园安全", projectBudget = 20m },
            new { organisationName = DemoSeeder.EducationBureau, kind = "部门整体支出" }));

        Assert.Equal(HttpStatusCode.OK, (await finance.PostAsync($"/api/plans/{id}/publish", null)).StatusCode);

        var titles = await app.DbAsync(db => db.SelfEvaluations.Where(s => s.PlanId == id).OrderBy(s => s.Title).Select(s => s.Title).ToListAsync());
        Assert.Equal(
        [
            "2018年度学前教育普惠资助项目支出绩效自评",
            "2018年度校园安全项目支出绩效自评",
            $"2018年度{DemoSeeder.EducationBureau}部门整体支出绩效自评",
        ], titles.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Given_demo_seed_When_started_Then_published_2022_plan_with_the_centres_draft_in_the_units_inbox()
    {
        var plan = await app.DbAsync(db => db.Plans.SingleAsync(p => p.NoticeNumber == DemoSeeder.DemoNotice));
        Assert.Equal(2022, plan.FiscalYear);
        Assert.Equal(PlanStatus.Published, plan.Status);
        var centre = await app.SocialGovernanceCentreAsync();
        var openItems = await app.DbAsync(db => db.WorkItems.CountAsync(w => w.CaseOrganisationId == centre));
        Assert.True(openItems >= 2);
    }
}
