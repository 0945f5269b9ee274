using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Findings;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Evaluations;

/// <summary>问题整改情况 proposed from the register: all closed → full, some → half, none → zero.</summary>
public sealed class RectificationProposalTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_the_centre_with_the_2021_findings_When_its_2024_evaluation_is_scored_Then_the_proposal_follows_how_many_are_closed()
    {
        var id = await new EvaluationApi(app).InCommentWindowAsync(2024);
        var centre = await app.SocialGovernanceCentreAsync();
        using var finance = await app.ApiAsync("finance");

        decimal weight = 0;
        async Task<(decimal Score, int Total, int Closed)> ProposalAsync()
        {
            var p = (await EvaluationApi.JsonAsync(finance, $"/api/evaluations/{id}")).GetProperty("rectificationProposal");
            Assert.Equal("问题整改情况", p.GetProperty("indicator").GetString());
            weight = p.GetProperty("weight").GetDecimal();
            return (p.GetProperty("score").GetDecimal(), p.GetProperty("total").GetInt32(), p.GetProperty("closed").GetInt32());
        }

        // The demo's nine 2021 findings: two fixed before the report, seven open → partly → half the weight.
        var partly = await ProposalAsync();
        Assert.True(weight > 0);
        Assert.Equal((weight / 2, 9, 2), partly);

        await SetAllAsync(centre, FindingStatus.Rectified);
        Assert.Equal((weight, 9, 9), await ProposalAsync());

        await SetAllAsync(centre, FindingStatus.Open);
        Assert.Equal((0m, 9, 0), await ProposalAsync());

        using var evaluator = await app.SignInAsync("evaluator");
        var page = await evaluator.GetStringAsync($"/evaluations/{id}");
        Assert.Contains("「问题整改情况」系统建议得分：0 分", page, StringComparison.Ordinal);
        // The firm reads the findings as text: their pages are the unit's and the bureau's (404 to a firm).
        Assert.Contains("2021-第三方评价-001", page, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/findings/", page, StringComparison.Ordinal);
        using var bureau = await app.SignInAsync("finance");
        Assert.Contains("href=\"/findings/", await bureau.GetStringAsync($"/evaluations/{id}"), StringComparison.Ordinal);
    }

    // Only the proposal's arithmetic is under test here, so the findings' states are set directly.
    private Task<int> SetAllAsync(Guid unit, FindingStatus status) =>
        app.DbAsync(db => db.Findings.Where(f => f.OrganisationId == unit && f.FiscalYear == 2021)
            .ExecuteUpdateAsync(u => u.SetProperty(f => f.Status, status)));
}
