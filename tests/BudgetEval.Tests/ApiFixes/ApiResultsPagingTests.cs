using System.Net;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.ApiFixes;

/// <summary>GET /api/results/{year} pages like every other list and gives states by id with a label.</summary>
public sealed class ApiResultsPagingTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_the_2022_results_When_read_two_to_a_page_Then_pageSize_is_honoured_with_the_list_headers_and_status_is_the_id()
    {
        var finance = await app.ApiAsync("finance");

        var first = await finance.GetAsync("/api/results/2022?pageSize=2&page=1");
        var second = await finance.GetAsync("/api/results/2022?pageSize=2&page=2");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var body = JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(2, body.GetProperty("pageSize").GetInt32());
        Assert.Equal(2, body.GetProperty("page").GetInt32());
        Assert.Equal(2, body.GetProperty("rows").GetArrayLength());
        Assert.True(body.GetProperty("total").GetInt32() > 4);
        Assert.Equal("2", second.Headers.GetValues("X-Page").Single());
        Assert.Equal("2", second.Headers.GetValues("X-Page-Size").Single());
        Assert.Equal("true", second.Headers.GetValues("X-Has-Next").Single());
        Assert.Contains("page=3", second.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        var firstIds = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("subjectId").GetGuid());
        Assert.Empty(firstIds.Intersect(body.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("subjectId").GetGuid())));

        var self = body.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("selfEvaluation")).First(s => s.ValueKind == JsonValueKind.Object);
        Assert.Matches("^[a-z_]+$", self.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(self.GetProperty("statusLabel").GetString()));
    }

    [Fact]
    public async Task Given_a_page_size_out_of_range_When_read_Then_400_names_pageSize()
    {
        var response = await (await app.ApiAsync("finance")).GetAsync("/api/results/2022?pageSize=5000");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("pageSize", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
