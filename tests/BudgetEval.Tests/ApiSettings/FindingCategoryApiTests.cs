using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.ApiSettings;

/// <summary>
/// 问题类别 through /api/finding-categories: the administrator adds, retires and brings back as on the admin page and
/// under its rules (same messages, audited); others may read but not change; the page and the API show one list.
/// Each test adds categories of its own names and retires only those, so the tests of the class stay independent.
/// </summary>
public sealed partial class FindingCategoryApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_the_administrator_When_adding_retiring_and_reactivating_through_the_api_Then_each_step_is_saved_audited_and_seen_by_finance()
    {
        using var admin = await app.ApiAsync("admin");
        using var finance = await app.ApiAsync("finance");

        var created = await admin.PostAsJsonAsync("/api/finding-categories", new { name = "  接口新增类别 " });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var category = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("接口新增类别", category.GetProperty("name").GetString()); // trimmed to one line, as on the page
        Assert.True(category.GetProperty("isActive").GetBoolean());
        var id = category.GetProperty("id").GetInt32();
        var location = created.Headers.Location!.OriginalString;
        Assert.Equal($"/api/finding-categories/{id}", location);
        var atLocation = JsonDocument.Parse(await admin.GetStringAsync(location)).RootElement;
        Assert.Equal("接口新增类别", atLocation.GetProperty("name").GetString());
        Assert.Contains(("接口新增类别", true), await ListAsync(finance));

        var retired = await admin.PostAsync($"/api/finding-categories/{id}/deactivate", null);
        Assert.Equal(HttpStatusCode.OK, retired.StatusCode);
        Assert.False(JsonDocument.Parse(await retired.Content.ReadAsStringAsync()).RootElement.GetProperty("isActive").GetBoolean());
        Assert.False(await app.DbAsync(db => db.FindingCategories.Where(c => c.Id == id).Select(c => c.IsActive).SingleAsync()));
        Assert.Contains(("接口新增类别", false), await ListAsync(admin)); // the administrator sees it, flagged
        Assert.DoesNotContain(await ListAsync(finance), c => c.Name == "接口新增类别"); // no longer offered
        Assert.Equal(HttpStatusCode.NotFound, (await finance.GetAsync(location)).StatusCode);

        var back = await admin.PostAsync($"/api/finding-categories/{id}/activate", null);
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.True(JsonDocument.Parse(await back.Content.ReadAsStringAsync()).RootElement.GetProperty("isActive").GetBoolean());
        Assert.Contains(("接口新增类别", true), await ListAsync(finance));

        var audit = await app.DbAsync(db => db.AuditEntries.Where(a => a.Action == "finding-category" && a.Target == "接口新增类别")
            .OrderBy(a => a.Id).Select(a => a.Detail).ToListAsync());
        Assert.Equal(["新增问题类别", "停用问题类别", "启用问题类别"], audit);

        // Activating an active one changes nothing and writes no audit line.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/finding-categories/{id}/activate", null)).StatusCode);
        Assert.Equal(3, await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Action == "finding-category" && a.Target == "接口新增类别")));
    }

    [Fact]
    public async Task Given_a_non_admin_When_changing_categories_through_the_api_Then_403_and_nothing_changes_while_units_cannot_read_the_list()
    {
        using var finance = await app.ApiAsync("finance");
        var before = await CountAsync();
        var add = await finance.PostAsJsonAsync("/api/finding-categories", new { name = "财政新增类别" });
        Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
        Assert.Equal(before, await CountAsync());

        var financeManagement = await app.DbAsync(db => db.FindingCategories.Where(c => c.Name == "财务管理").Select(c => c.Id).SingleAsync());
        foreach (var who in new[] { "finance", "financelead", "unit", "evaluator" })
        {
            using var client = await app.ApiAsync(who);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/finding-categories/{financeManagement}/deactivate", null)).StatusCode);
        }

        Assert.True(await app.DbAsync(db => db.FindingCategories.Where(c => c.Id == financeManagement).Select(c => c.IsActive).SingleAsync()));

        // The firm picks categories for its report's problems; the unit does not pick any.
        using var evaluator = await app.ApiAsync("evaluator");
        Assert.Contains(("财务管理", true), await ListAsync(evaluator));
        using var unit = await app.ApiAsync("unit");
        Assert.Equal(HttpStatusCode.NotFound, (await unit.GetAsync("/api/finding-categories")).StatusCode);
    }

    [Theory]
    [InlineData("财务管理", HttpStatusCode.Conflict, "已有类别“财务管理”（如已停用，可重新启用）")] // a seeded one
    [InlineData("  ", HttpStatusCode.BadRequest, "「类别名称」：必填。")]
    [InlineData(null, HttpStatusCode.BadRequest, "「类别名称」：必填。")]
    [InlineData("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一", HttpStatusCode.BadRequest, "「类别名称」：不能超过 50 个字符。")]
    public async Task Given_a_name_the_page_refuses_When_added_through_the_api_Then_it_is_refused_naming_name_and_nothing_is_saved(string? name, HttpStatusCode status, string message)
    {
        using var admin = await app.ApiAsync("admin");
        var before = await CountAsync();
        var audits = await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Action == "finding-category"));

        var response = await admin.PostAsJsonAsync("/api/finding-categories", new { name });

        Assert.Equal(status, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Contains(message, errors.GetProperty("name")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());
        Assert.Equal(audits, await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Action == "finding-category")));
    }

    [Fact]
    public async Task Given_a_category_added_on_the_page_When_the_api_adds_the_same_name_Then_409_and_the_page_refuses_an_api_added_name_alike()
    {
        using var pages = await app.SignInAsync("admin");
        Assert.Equal(HttpStatusCode.Redirect, (await PostPageAsync(pages, "Add", new() { ["name"] = "页面新增类别" })).StatusCode);
        using var admin = await app.ApiAsync("admin");
        var before = await CountAsync();

        var duplicate = await admin.PostAsJsonAsync("/api/finding-categories", new { name = "页面新增类别" });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(before, await CountAsync());

        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/finding-categories", new { name = "接口先加类别" })).StatusCode);
        var onPage = await PostPageAsync(pages, "Add", new() { ["name"] = "接口先加类别" });
        Assert.Equal(HttpStatusCode.OK, onPage.StatusCode);
        Assert.Contains("「类别名称」：已有类别“接口先加类别”（如已停用，可重新启用）。", await onPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await app.DbAsync(db => db.FindingCategories.CountAsync(c => c.Name == "接口先加类别")));
    }

    [Fact]
    public async Task Given_an_unknown_category_When_the_administrator_activates_or_deactivates_it_Then_404()
    {
        using var admin = await app.ApiAsync("admin");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/finding-categories/987654/activate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/finding-categories/987654/deactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/finding-categories/987654")).StatusCode);
    }

    [Fact]
    public async Task Given_a_category_retired_on_the_page_Then_the_page_and_the_api_show_the_same_list_in_the_same_order()
    {
        using var pages = await app.SignInAsync("admin");
        Assert.Equal(HttpStatusCode.Redirect, (await PostPageAsync(pages, "Add", new() { ["name"] = "同一清单类别" })).StatusCode);
        var id = await app.DbAsync(db => db.FindingCategories.Where(c => c.Name == "同一清单类别").Select(c => c.Id).SingleAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await PostPageAsync(pages, "Toggle", new() { ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) })).StatusCode);

        using var admin = await app.ApiAsync("admin");
        var api = await ListAsync(admin);
        var page = PageRows().Matches(await pages.GetStringAsync("/admin/finding-categories"))
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value == "启用")).ToList();

        Assert.Contains(("同一清单类别", false), api);
        Assert.Equal(page, api);
        Assert.Equal(await app.DbAsync(db => db.FindingCategories.CountAsync()), api.Count);
    }

    private Task<int> CountAsync() => app.DbAsync(db => db.FindingCategories.CountAsync());

    private static async Task<List<(string Name, bool IsActive)>> ListAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/finding-categories");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray()
            .Select(c => (c.GetProperty("name").GetString()!, c.GetProperty("isActive").GetBoolean())).ToList();
    }

    private static async Task<HttpResponseMessage> PostPageAsync(HttpClient client, string handler, Dictionary<string, string> fields)
    {
        var page = await client.GetStringAsync("/admin/finding-categories");
        fields["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(page);
        return await client.PostAsync($"/admin/finding-categories?handler={handler}", new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex(@"<tr>\s*<td>([^<]+)</td>\s*<td>(启用|已停用)</td>")]
    private static partial Regex PageRows();
}
