using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Findings;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Home;

/// <summary>首页 shows a unit its self-evaluations and the findings still being rectified, and a firm its evaluations.</summary>
public sealed class HomeWorkTilesTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_the_centre_When_its_filler_opens_the_home_page_Then_the_tiles_count_its_self_evaluations_and_open_findings_by_status()
    {
        var centre = await app.SocialGovernanceCentreAsync();
        var (selfEvaluations, byStatus) = await app.DbAsync(async db => (
            await db.SelfEvaluations.IgnoreQueryFilters().CountAsync(s => s.OrganisationId == centre),
            await db.Findings.IgnoreQueryFilters().Where(f => f.OrganisationId == centre).GroupBy(f => f.Status)
                .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count)));
        Assert.True(selfEvaluations > 0 && byStatus.GetValueOrDefault(FindingStatus.Open) > 0, "the demo centre has self-evaluations and open findings");

        var home = await (await app.SignInAsync("unit")).GetStringAsync("/");

        Assert.Equal((selfEvaluations, "/self-evaluations"), Tiles.Read(home, "own-self-evaluations"));
        foreach (var status in new[] { FindingStatus.Open, FindingStatus.InProgress, FindingStatus.Partial })
        {
            Assert.Equal((byStatus.GetValueOrDefault(status), $"/findings?Status={status}"), Tiles.Read(home, $"own-findings-{status.ToString().ToLowerInvariant()}"));
        }

        // Rectified findings are not work: no tile counts them.
        Assert.True(byStatus.GetValueOrDefault(FindingStatus.Rectified) > 0);
        Assert.DoesNotContain("own-findings-rectified", home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_firm_whose_only_evaluation_is_accepted_When_its_evaluator_looks_Then_the_home_page_counts_none_and_the_list_says_why()
    {
        var evaluator = await app.SignInAsync("evaluator");

        Assert.Equal((0, "/evaluations"), Tiles.Read(await evaluator.GetStringAsync("/"), "own-evaluations"));
        Assert.Contains("评价经财政局验收通过（或改由其他机构评价）后，不再在此显示。", await evaluator.GetStringAsync("/evaluations"), StringComparison.Ordinal);
        var unitList = await (await app.SignInAsync("unit2")).GetStringAsync("/evaluations"); // a unit with no evaluation: the plain message
        Assert.Contains("data-testid=\"evaluations-empty\">暂无重点评价。<", unitList, StringComparison.Ordinal);
    }
}
