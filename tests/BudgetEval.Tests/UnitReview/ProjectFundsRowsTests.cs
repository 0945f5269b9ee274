using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Plans;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.UnitReview;

/// <summary>资金明细 offers the rows of the table being filled: a project's funds by source, a department's 基本支出 and 项目支出.</summary>
public sealed class ProjectFundsRowsTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_the_centres_drafts_When_their_forms_open_Then_the_project_offers_its_sources_and_the_department_its_spending_kinds()
    {
        var centre = await app.SocialGovernanceCentreAsync();
        var project = await app.DbAsync(db => db.SelfEvaluations.IgnoreQueryFilters()
            .Where(s => s.OrganisationId == centre && s.PlanId != null && s.Kind == EvaluationKind.Project).Select(s => s.Id).FirstAsync());
        var unit = await app.SignInAsync("unit");

        var projectForm = await unit.GetStringAsync($"/self-evaluations/{project}/form");
        foreach (var name in new[] { "当年财政拨款", "上年结转资金", "其他资金" })
        {
            Assert.Contains($"value=\"{name}\"", projectForm, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("基本支出-人员经费", projectForm, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_the_centres_department_draft_When_its_form_opens_Then_it_offers_the_basic_and_project_spending_rows()
    {
        var centre = await app.SocialGovernanceCentreAsync();
        var department = await app.DbAsync(db => db.SelfEvaluations.IgnoreQueryFilters()
            .Where(s => s.OrganisationId == centre && s.PlanId != null && s.Kind == EvaluationKind.DepartmentWide).Select(s => s.Id).FirstAsync());

        var form = await (await app.SignInAsync("unit")).GetStringAsync($"/self-evaluations/{department}/form");

        Assert.Contains("value=\"基本支出-人员经费\"", form, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"当年财政拨款\"", form, StringComparison.Ordinal);
    }
}
