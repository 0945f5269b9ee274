using System.Net;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.Foundation;

/// <summary>
/// The API's lists come in pages (ApiPage): following X-Has-Next / Link from page 1 yields every row exactly
/// once, where the lists used to stop silently after their first 500–2,000 rows.
/// </summary>
public sealed class ApiPagingTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("/api/organisations", "id")]
    [InlineData("/api/self-evaluations", "id")]
    [InlineData("/api/findings", "id")]
    public async Task Given_a_list_of_the_bureau_When_walked_in_pages_of_two_Then_every_row_comes_once_and_the_last_page_says_so(string list, string key)
    {
        using var finance = await app.ApiAsync("finance");
        var whole = Ids(await finance.GetStringAsync($"{list}?pageSize=1000"), key);
        Assert.True(whole.Count > 2, $"{list} has {whole.Count} rows in the demo, too few to page");

        var walked = new List<string>();
        var url = $"{list}?pageSize=2";
        var pages = 0;
        while (true)
        {
            using var response = await finance.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var rows = Ids(await response.Content.ReadAsStringAsync(), key);
            walked.AddRange(rows);
            pages++;
            Assert.Equal(pages.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("X-Page").Single());
            Assert.Equal("2", response.Headers.GetValues("X-Page-Size").Single());
            var hasNext = response.Headers.GetValues("X-Has-Next").Single() == "true";
            if (!hasNext)
            {
                Assert.False(response.Headers.Contains("Link"));
                break;
            }

            Assert.Equal(2, rows.Count);
            var link = response.Headers.GetValues("Link").Single();
            Assert.EndsWith("; rel=\"next\"", link, StringComparison.Ordinal);
            url = link[1..link.IndexOf('>', StringComparison.Ordinal)];
            Assert.Contains("pageSize=2", url, StringComparison.Ordinal);
        }

        Assert.Equal(whole, walked);
        Assert.Equal((whole.Count + 1) / 2, pages);
    }

    [Fact]
    public async Task Given_the_inbox_When_read_in_pages_Then_the_pages_add_up_to_the_whole_inbox()
    {
        using var unit = await app.ApiAsync("unit");
        var whole = InboxIds(await unit.GetStringAsync("/api/inbox?pageSize=1000"));
        Assert.True(whole.Count > 1, "the demo centre has open tasks");

        using var first = await unit.GetAsync("/api/inbox?pageSize=1");
        Assert.Equal("true", first.Headers.GetValues("X-Has-Next").Single());
        using var second = await unit.GetAsync("/api/inbox?pageSize=1&page=2");
        Assert.Equal(whole.Take(2), InboxIds(await first.Content.ReadAsStringAsync()).Concat(InboxIds(await second.Content.ReadAsStringAsync())));
    }

    [Fact]
    public async Task Given_notifications_and_a_plans_targets_When_read_in_pages_Then_the_pages_add_up_to_the_whole_list()
    {
        using var finance = await app.ApiAsync("finance");
        async Task<List<string>> WalkAsync(string url, Func<JsonElement, JsonElement> list)
        {
            var ids = new List<string>();
            for (var page = 1; ; page++)
            {
                using var response = await finance.GetAsync($"{url}{(url.Contains('?', StringComparison.Ordinal) ? '&' : '?')}pageSize=1&page={page}");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                ids.AddRange(list(doc.RootElement).EnumerateArray().Select(e => e.GetProperty("id").ToString()));
                if (response.Headers.GetValues("X-Has-Next").Single() == "false")
                {
                    return ids;
                }
            }
        }

        using (var whole = JsonDocument.Parse(await finance.GetStringAsync("/api/notifications?pageSize=1000")))
        {
            var all = whole.RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").ToString()).ToList();
            Assert.True(all.Count > 1, "the demo's finance officer has notifications");
            Assert.Equal(all, await WalkAsync("/api/notifications", r => r.GetProperty("items")));
        }

        using var plans = JsonDocument.Parse(await finance.GetStringAsync("/api/plans"));
        var planId = plans.RootElement.EnumerateArray().First().GetProperty("id").ToString();
        using var plan = JsonDocument.Parse(await finance.GetStringAsync($"/api/plans/{planId}?pageSize=1000"));
        var targets = plan.RootElement.GetProperty("targets").EnumerateArray().Select(e => e.GetProperty("id").ToString()).ToList();
        Assert.True(targets.Count > 1, "the demo plan covers several units");
        Assert.Equal(targets.Count, plan.RootElement.GetProperty("targetCount").GetInt32());
        Assert.Equal(targets, await WalkAsync($"/api/plans/{planId}", r => r.GetProperty("targets")));
    }

    [Theory]
    [InlineData("/api/organisations?page=0", "page")]
    [InlineData("/api/notifications?pageSize=0", "pageSize")]
    [InlineData("/api/self-evaluations?pageSize=abc", "pageSize")]
    [InlineData("/api/findings?pageSize=1001", "pageSize")]
    [InlineData("/api/inbox?page=1001", "page")]
    [InlineData("/api/inbox/done?pageSize=-1", "pageSize")]
    [InlineData("/api/evaluations?page=x", "page")]
    [InlineData("/api/evaluations/proposals?fiscalYear=2025&pageSize=0", "pageSize")]
    [InlineData("/api/plans/00000000-0000-0000-0000-000000000001?page=0", "page")] // checked before the plan is looked up
    public async Task Given_a_page_out_of_range_When_asked_Then_400_names_the_parameter_in_Chinese(string url, string field)
    {
        using var finance = await app.ApiAsync("finance");
        using var response = await finance.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var message = problem.RootElement.GetProperty("errors").GetProperty(field)[0].GetString();
        Assert.Contains("须为 1 到", message, StringComparison.Ordinal);
    }

    private static List<string> Ids(string json, string key)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray().Select(e => e.GetProperty(key).ToString()).ToList();
    }

    private static List<string> InboxIds(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").ToString()).ToList();
    }
}
