using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.OperatorReview;

/// <summary>
/// Every page's footer names the installation's own finance bureau (entered with --create-admin or in 机构管理), not the
/// demo district: a district other than 望城区 installing the product must not see 望城区 on its sign-in page.
/// </summary>
public sealed class DistrictNameTests
{
    [Fact]
    public async Task Given_an_installation_of_another_district_When_the_sign_in_page_is_shown_Then_its_footer_names_that_bureau()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using (var seeding = new AppFactory(database.ConnectionString))
        {
            _ = seeding.Server; // migrates and seeds; the bureau is then renamed as another district's would be called
        }

        Assert.Equal(1, await database.ScalarAsync<int>("""
            WITH renamed AS (UPDATE budgeteval.organisations SET "Name" = '宁乡市财政局' WHERE "Kind" = 'FinanceBureau' RETURNING 1)
            SELECT count(*)::int FROM renamed
            """));
        await using var node = new AppFactory(database.ConnectionString);
        using var client = node.CreateClient();

        var page = await client.GetStringAsync("/login");

        Assert.Contains("宁乡市财政局 · 预算绩效评价与问题整改</footer>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("望城区", page, StringComparison.Ordinal);
    }
}
