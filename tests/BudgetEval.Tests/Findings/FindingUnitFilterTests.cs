using System.Net;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;

namespace BudgetEval.Tests.Findings;

/// <summary>/findings opened from a link that filters by a unit's id (an import's result, the report's 返回问题台账).</summary>
public sealed class FindingUnitFilterTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_link_filtering_by_unit_id_When_the_register_opens_Then_the_filter_box_shows_the_units_name_and_the_list_that_unit()
    {
        var centre = await app.SocialGovernanceCentreAsync();
        using var finance = await app.SignInAsync("finance");
        var page = WebUtility.HtmlDecode(await finance.GetStringAsync($"/findings?Unit={centre}&FiscalYear=2021"));
        Assert.Contains($"id=\"Unit\" name=\"Unit\" value=\"{DemoSeeder.SocialGovernanceCentre}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"id=\"Unit\" name=\"Unit\" value=\"{centre}\"", page, StringComparison.Ordinal);
        Assert.Contains("费用报销不规范", page, StringComparison.Ordinal); // one of the centre's 2021 findings

        // Filtering again by what the box shows finds the same unit.
        var again = WebUtility.HtmlDecode(await finance.GetStringAsync($"/findings?Unit={Uri.EscapeDataString(DemoSeeder.SocialGovernanceCentre)}&FiscalYear=2021"));
        Assert.Contains("费用报销不规范", again, StringComparison.Ordinal);
    }
}
