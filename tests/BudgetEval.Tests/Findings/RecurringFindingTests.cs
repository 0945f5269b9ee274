using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;

namespace BudgetEval.Tests.Findings;

/// <summary>重复发生: same unit, same category, consecutive years.</summary>
public sealed class RecurringFindingTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_findings_over_two_years_When_the_register_is_read_Then_only_the_same_unit_and_category_the_year_after_is_flagged()
    {
        var centre = await app.SocialGovernanceCentreAsync();
        var education = await app.OrganisationIdAsync(DemoSeeder.EducationBureau);
        using var finance = await app.ApiAsync("finance");
        async Task<Guid> Register(Guid unit, int year, string category, string title)
        {
            var response = await finance.PostAsJsonAsync("/api/findings", new
            {
                organisationId = unit, fiscalYear = year, category, title, detail = "审计发现。",
                source = "Audit", sourceDocument = $"望审〔{year}〕1号", sourceDate = $"{year}-10-01",
            });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        }

        var first = await Register(centre, 2023, "资产管理", "固定资产未及时入账");
        var again = await Register(centre, 2024, "资产管理", "固定资产盘点不实");
        var otherCategory = await Register(centre, 2024, "项目管理", "项目验收不及时");
        var otherUnit = await Register(education, 2024, "资产管理", "资产卡片缺失");

        var register = await EvaluationApi.JsonAsync(finance, "/api/findings?source=Audit");
        bool Recurring(Guid id) => register.EnumerateArray().Single(f => f.GetProperty("id").GetGuid() == id).GetProperty("recurring").GetBoolean();
        Assert.False(Recurring(first));
        Assert.True(Recurring(again));
        Assert.False(Recurring(otherCategory));
        Assert.False(Recurring(otherUnit));

        using var page = await app.SignInAsync("unit");
        var html = await page.GetStringAsync("/findings?FiscalYear=2024&Source=Audit");
        Assert.Contains("固定资产盘点不实</a> <span class=\"badge late\" data-testid=\"recurring\">重复发生</span>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("资产卡片缺失", html, StringComparison.Ordinal); // another unit's finding is not even listed
        Assert.Contains("data-testid=\"recurring\">重复发生", await page.GetStringAsync($"/findings/{again}"), StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"recurring\"", await page.GetStringAsync($"/findings/{first}"), StringComparison.Ordinal);
    }
}
