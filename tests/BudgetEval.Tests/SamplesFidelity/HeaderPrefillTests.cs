using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Plans;
using BudgetEval.Web.SelfEvaluations;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.SamplesFidelity;

/// <summary>A new year's 部门整体 self-evaluation starts with the unit's previous header fields, only where it is still blank.</summary>
public sealed class HeaderPrefillTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_the_centres_2022_form_When_a_2025_plan_is_published_Then_the_centres_new_form_starts_with_its_header_and_a_unit_without_one_stays_blank()
    {
        const string education = DemoSeeder.EducationBureau;
        var finance = await app.ApiAsync("finance");
        var created = await finance.PostAsJsonAsync("/api/plans", new
        {
            fiscalYear = 2025,
            title = "2025年度绩效自评（样表核对）",
            noticeNumber = "望财绩〔2026〕91号",
            deadline = "2026-04-30",
            targets = new object[]
            {
                new { organisationName = DemoSeeder.SocialGovernanceCentre, kind = "部门整体支出" },
                new { organisationName = education, kind = "部门整体支出" },
                new { organisationName = DemoSeeder.SocialGovernanceCentre, kind = "项目支出", projectName = "社会治理系统运行维护", projectBudget = 282m },
            },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var plan = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.OK, (await finance.PostAsync($"/api/plans/{plan}/publish", null)).StatusCode);

        var issued = await app.DbAsync(db => db.SelfEvaluations.AsNoTracking().Where(s => s.PlanId == plan)
            .Join(db.Organisations, s => s.OrganisationId, o => o.Id, (s, o) => new { o.Name, s.Kind, s.IndependentUnits, s.Functions }).ToListAsync());
        var centre = issued.Single(s => s.Name == DemoSeeder.SocialGovernanceCentre && s.Kind == EvaluationKind.DepartmentWide);
        Assert.Equal(SampleHeader.IndependentUnits, centre.IndependentUnits);
        Assert.Equal(SampleHeader.Functions, centre.Functions);
        var other = issued.Single(s => s.Name == education);
        Assert.Null(other.IndependentUnits);
        Assert.Null(other.Functions);
        var project = issued.Single(s => s.Kind == EvaluationKind.Project);
        Assert.Null(project.Functions); // a project's form has no such fields
    }

    [Fact]
    public async Task Given_a_new_form_with_its_own_functions_text_When_prefilled_Then_only_the_blank_count_is_taken()
    {
        var centre = await app.OrganisationIdAsync(DemoSeeder.SocialGovernanceCentre);
        var se = new SelfEvaluation
        {
            Id = Guid.NewGuid(), OrganisationId = centre, FiscalYear = 2026, Title = "t", Status = "draft", PlanId = Guid.NewGuid(),
            Kind = EvaluationKind.DepartmentWide, Functions = "本单位自己写的职能。",
        };

        await app.DbAsync(async db =>
        {
            await HeaderFields.PrefillAsync(db, se, CancellationToken.None);
            return 0;
        });

        Assert.Equal("本单位自己写的职能。", se.Functions);
        Assert.Equal(SampleHeader.IndependentUnits, se.IndependentUnits);
    }
}
