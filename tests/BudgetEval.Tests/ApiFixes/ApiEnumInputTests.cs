using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.ApiFixes;

/// <summary>Enum values on the API are taken by name only: a number ("99", 5) is refused naming the field, nothing saved.</summary>
public sealed class ApiEnumInputTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static object Plan(int fiscalYear, string kind, object? scoring = null) => new
    {
        fiscalYear,
        title = $"{fiscalYear}年度绩效自评工作",
        noticeNumber = $"望财绩〔{fiscalYear}〕9号",
        deadline = "2025-03-31",
        scoring,
        targets = new object[]
        {
            new { organisationName = DemoSeeder.EducationBureau, kind = "DepartmentWide" },
            new { organisationName = DemoSeeder.EducationBureau, kind },
        },
    };

    [Theory]
    [InlineData("99")]
    [InlineData("1")]
    [InlineData("-1")]
    [InlineData("DepartmentWide, Project")]
    public async Task Given_a_numeric_kind_When_a_plan_is_created_Then_400_naming_targets_1_kind_and_no_plan(string kind)
    {
        var finance = await app.ApiAsync("finance");
        var before = await app.DbAsync(db => db.Plans.CountAsync());

        var response = await finance.PostAsJsonAsync("/api/plans", Plan(2019, kind));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Contains("kind", errors.GetProperty("targets[1].kind")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await app.DbAsync(db => db.Plans.CountAsync()));
    }

    [Fact]
    public async Task Given_named_kinds_and_chinese_words_When_a_plan_is_created_Then_201_with_the_kinds()
    {
        var finance = await app.ApiAsync("finance");
        var response = await finance.PostAsJsonAsync("/api/plans", new
        {
            fiscalYear = 2018, title = "2018年度绩效自评工作", deadline = "2025-03-31",
            targets = new object[]
            {
                new { organisationName = DemoSeeder.EducationBureau, kind = "departmentwide" },
                new { organisationName = DemoSeeder.SocialGovernanceCentre, kind = "项目支出", projectName = "运维", projectBudget = 1m },
            },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var kinds = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("targets").EnumerateArray()
            .Select(t => t.GetProperty("kind").GetString()).Order().ToList();
        Assert.Equal(["DepartmentWide", "Project"], kinds);
    }

    [Fact]
    public async Task Given_a_numeric_kind_When_an_amendment_adds_a_target_Then_400_naming_addTarget_kind()
    {
        var finance = await app.ApiAsync("finance");
        var created = await finance.PostAsJsonAsync("/api/plans", new
        {
            fiscalYear = 2017, title = "2017年度绩效自评工作", deadline = "2025-03-31",
            targets = new object[] { new { organisationName = DemoSeeder.EducationBureau, kind = "DepartmentWide" } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await finance.PostAsync($"/api/plans/{id}/publish", null)).StatusCode);

        var amended = await finance.PostAsJsonAsync($"/api/plans/{id}/amendments",
            new { addTarget = new { organisationName = DemoSeeder.SocialGovernanceCentre, kind = "0" }, reason = "补充" });

        Assert.Equal(HttpStatusCode.BadRequest, amended.StatusCode);
        Assert.True(JsonDocument.Parse(await amended.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("addTarget.kind", out _));
        Assert.Equal(1, await app.DbAsync(db => db.SelfEvaluations.CountAsync(s => s.PlanId == id)));
    }

    [Theory]
    [InlineData("99")]
    [InlineData("98")]
    public async Task Given_a_numeric_kind_When_an_evaluation_is_selected_Then_400_naming_targets_0_kind_and_none_created(string kind)
    {
        var finance = await app.ApiAsync("finance");
        var centre = await app.DbAsync(db => db.Organisations.Where(o => o.Name == DemoSeeder.SocialGovernanceCentre).Select(o => o.Id).SingleAsync());
        var before = await app.DbAsync(db => db.Evaluations.CountAsync());

        var response = await finance.PostAsJsonAsync("/api/evaluations",
            new { fiscalYear = 2021, targets = new[] { new { organisationId = centre, kind, reason = "预算规模大" } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("targets[0].kind", out _));
        Assert.Equal(before, await app.DbAsync(db => db.Evaluations.CountAsync()));
    }

    [Theory]
    [InlineData("5")]
    [InlineData("1")]
    [InlineData("\"5\"")]
    [InlineData("\"Nonsense\"")]
    public async Task Given_a_funds_rule_that_is_not_a_name_When_a_plan_is_created_Then_400_naming_scoring_fundsRule_and_no_plan(string rule)
    {
        var finance = await app.ApiAsync("finance");
        var before = await app.DbAsync(db => db.Plans.CountAsync());
        var body = $$"""{"fiscalYear":2016,"title":"2016年度绩效自评工作","deadline":"2025-03-31","scoring":{"fundsRule":{{rule}}},"targets":[{"organisationName":"{{DemoSeeder.EducationBureau}}","kind":"DepartmentWide"}]}""";

        var response = await finance.PostAsync("/api/plans", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("scoring.fundsRule", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await app.DbAsync(db => db.Plans.CountAsync()));
    }

    [Fact]
    public async Task Given_the_funds_rule_by_name_When_a_plan_is_created_Then_201()
    {
        var finance = await app.ApiAsync("finance");
        var body = $$"""{"fiscalYear":2015,"title":"2015年度绩效自评工作","deadline":"2025-03-31","scoring":{"fundsRule":"Bands","bands":[{"minRate":0.9,"points":10}]},"targets":[{"organisationName":"{{DemoSeeder.EducationBureau}}","kind":"DepartmentWide"}]}""";

        var response = await finance.PostAsync("/api/plans", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("Bands", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("scoring").GetProperty("fundsRule").GetString());
    }
}
