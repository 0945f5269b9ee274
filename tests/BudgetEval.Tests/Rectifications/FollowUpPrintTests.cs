using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Plans;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Rectifications;

/// <summary>The 自评报告's 上年及以前发现问题的整改情况 prints the earlier findings with the unit's statements.</summary>
public sealed class FollowUpPrintTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_the_centre_2022_draft_When_its_print_view_opens_Then_the_2021_findings_are_listed_with_their_statements()
    {
        var centre = await app.SocialGovernanceCentreAsync();
        var id = await app.DbAsync(db => db.SelfEvaluations
            .Where(s => s.OrganisationId == centre && s.FiscalYear == 2022 && s.PlanId != null && s.Kind == EvaluationKind.DepartmentWide)
            .Select(s => s.Id).FirstAsync());

        using var unit = await app.SignInAsync("unit");
        var html = await unit.GetStringAsync($"/self-evaluations/{id}/print");
        Assert.Contains("data-testid=\"follow-up\"", html, StringComparison.Ordinal);
        Assert.Contains("重点问题未及时整改到位", html, StringComparison.Ordinal); // one of the 2021 findings
        Assert.Equal(7, html.Split("（未填写）</td>").Length - 1); // seven open findings without a statement yet
    }
}
