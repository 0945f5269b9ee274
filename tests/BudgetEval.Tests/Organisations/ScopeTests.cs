using System.Net;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;

namespace BudgetEval.Tests.Organisations;

public sealed class ScopeTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_unit2_of_another_unit_When_reading_the_social_governance_centre_over_the_api_Then_404()
    {
        var centre = await app.SocialGovernanceCentreAsync();
        using var client = await app.ApiAsync("unit2");
        var response = await client.GetAsync($"/api/organisations/{centre}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("社会治理", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_unit2_When_opening_the_social_governance_centre_page_Then_404()
    {
        var centre = await app.SocialGovernanceCentreAsync();
        using var client = await app.SignInAsync("unit2");
        var response = await client.GetAsync($"/organisations/{centre}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("长沙市望城区社会治理服务中心", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_the_centre_own_filler_When_opening_its_page_Then_it_shows_the_unit_and_its_users()
    {
        var centre = await app.SocialGovernanceCentreAsync();
        using var client = await app.SignInAsync("unit");
        var response = await client.GetAsync($"/organisations/{centre}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("长沙市望城区社会治理服务中心", html, StringComparison.Ordinal);
        Assert.Contains("刘志强", html, StringComparison.Ordinal); // the unit head, a colleague
    }

    [Fact]
    public async Task Given_unit2_When_listing_organisations_over_the_api_Then_only_its_own_is_returned()
    {
        using var client = await app.ApiAsync("unit2");
        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/organisations"));
        var names = json.RootElement.EnumerateArray().Select(o => o.GetProperty("name").GetString()).ToList();
        Assert.Equal([DemoSeeder.EducationBureau], names);
    }

    [Fact]
    public async Task Given_the_evaluator_When_listing_organisations_Then_only_the_firm_is_returned()
    {
        using var client = await app.ApiAsync("evaluator");
        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/organisations"));
        Assert.Equal([DemoSeeder.XinCaiYuan], json.RootElement.EnumerateArray().Select(o => o.GetProperty("name").GetString()).ToList());
    }

    [Fact]
    public async Task Given_the_finance_officer_When_reading_any_unit_Then_the_bureau_sees_everything()
    {
        var centre = await app.SocialGovernanceCentreAsync();
        using var client = await app.ApiAsync("finance");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/organisations/{centre}")).StatusCode);
        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/organisations"));
        Assert.Equal(14, json.RootElement.GetArrayLength());
    }

    [Theory]
    [InlineData("evaluator")]
    [InlineData("unit")]
    [InlineData("finance")]
    public async Task Given_a_non_admin_When_opening_the_admin_pages_Then_access_is_refused(string userName)
    {
        using var client = await app.SignInAsync(userName);
        foreach (var path in new[] { "/admin/users", "/admin/organisations" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode); // a refused read looks like a missing page
            Assert.Contains("页面不存在或您无权访问", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Given_a_unit_user_When_opening_the_bureau_directory_Then_access_is_refused()
    {
        using var client = await app.SignInAsync("unit");
        var response = await client.GetAsync("/organisations");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode); // a refused read looks like a missing page
    }

    [Fact]
    public async Task Given_an_anonymous_visitor_When_opening_a_page_Then_the_login_page_is_where_they_land()
    {
        using var client = app.Anonymous();
        var response = await client.GetAsync("/organisations");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }
}
