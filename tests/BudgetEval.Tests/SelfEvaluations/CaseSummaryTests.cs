using BudgetEval.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.SelfEvaluations;

/// <summary>The case page summarises a plan's self-evaluation with its live scores, for the filler and the reviewer alike.</summary>
public sealed class CaseSummaryTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("unit", "填写自评表")]
    [InlineData("finance", "查看自评表")]
    public async Task Given_the_demo_centre_draft_When_its_case_page_opens_Then_it_shows_the_sample_scores(string user, string link)
    {
        var centre = await app.SocialGovernanceCentreAsync();
        var caseId = await app.DbAsync(db => db.SelfEvaluations
            .Where(s => s.OrganisationId == centre && s.FiscalYear == 2022 && s.PlanId != null && s.CaseId != null && s.Kind == BudgetEval.Web.Plans.EvaluationKind.DepartmentWide)
            .OrderBy(s => s.CreatedAt).Select(s => s.CaseId!.Value).FirstAsync());

        using var client = await app.SignInAsync(user);
        var html = await client.GetStringAsync($"/cases/{caseId}");
        Assert.Contains("69.34%", html, StringComparison.Ordinal);
        Assert.Contains("6.93", html, StringComparison.Ordinal);
        Assert.Contains("<strong>96.93</strong> 优", html, StringComparison.Ordinal);
        Assert.Contains(link, html, StringComparison.Ordinal);
    }
}
