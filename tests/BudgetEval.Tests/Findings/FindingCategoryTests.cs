using System.Net;
using System.Net.Http.Json;
using BudgetEval.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Findings;

/// <summary>The 问题类别 list is the administrator's: added categories can be used at once, retired ones no longer.</summary>
public sealed class FindingCategoryTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_the_administrator_adds_one_category_and_retires_another_When_finance_registers_findings_Then_only_active_ones_are_accepted()
    {
        using var admin = await app.SignInAsync("admin");
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(admin, "Add", new() { ["name"] = "政府采购管理" })).StatusCode);
        var duplicate = await PostAsync(admin, "Add", new() { ["name"] = "政府采购管理" });
        Assert.Contains("已有类别“政府采购管理”", await duplicate.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var other = await app.DbAsync(db => db.FindingCategories.Where(c => c.Name == "其他").Select(c => c.Id).SingleAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(admin, "Toggle", new() { ["id"] = other.ToString(System.Globalization.CultureInfo.InvariantCulture) })).StatusCode);

        var centre = await app.SocialGovernanceCentreAsync();
        using var finance = await app.ApiAsync("finance");
        object Finding(string category) => new
        {
            organisationId = centre, fiscalYear = 2024, category, title = "采购程序不规范", detail = "审计发现。",
            source = "Audit", sourceDocument = "望审〔2024〕5号", sourceDate = "2024-09-10",
        };
        var added = await finance.PostAsJsonAsync("/api/findings", Finding("政府采购管理"));
        Assert.True(added.IsSuccessStatusCode, $"{(int)added.StatusCode} {await added.Content.ReadAsStringAsync()}");
        var retired = await finance.PostAsJsonAsync("/api/findings", Finding("其他"));
        Assert.Equal(HttpStatusCode.BadRequest, retired.StatusCode);
        Assert.Contains("政府采购管理", await retired.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The register's form offers the new one and not the retired one.
        using var financePages = await app.SignInAsync("finance");
        var register = await financePages.GetStringAsync("/findings");
        Assert.Contains("<option>政府采购管理</option>", register, StringComparison.Ordinal);
        Assert.DoesNotContain("<option>其他</option>", register, StringComparison.Ordinal);
        Assert.NotEmpty(await app.DbAsync(db => db.AuditEntries.Where(a => a.Action == "finding-category" && a.Target == "政府采购管理").ToListAsync()));
    }

    [Fact]
    public async Task Given_a_non_admin_When_opening_the_category_page_Then_it_is_refused()
    {
        using var finance = await app.SignInAsync("finance");
        var response = await finance.GetAsync("/admin/finding-categories");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode); // a refused read looks like a missing page
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string handler, Dictionary<string, string> fields)
    {
        var page = await client.GetStringAsync("/admin/finding-categories");
        fields["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(page);
        return await client.PostAsync($"/admin/finding-categories?handler={handler}", new FormUrlEncodedContent(fields));
    }
}
