using System.Net;
using System.Text;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.SelfEvaluations;

namespace BudgetEval.Tests.Reliability;

/// <summary>A JSON list holding null ("rows": [null]) is refused with 400 naming the list, never a 500, and nothing is saved.</summary>
public sealed class NullListItemTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("unit", "PUT", "/api/self-evaluations/{se}/funds", """{"budget":1412.74,"executed":979.56,"rows":[null]}""", "rows")]
    [InlineData("unit", "PUT", "/api/self-evaluations/{se}/indicators", """{"indicators":[{"level1":"产出指标","level2":"数量指标","level3":"x","weight":10,"score":10},null]}""", "indicators")]
    [InlineData("finance", "POST", "/api/plans", """{"fiscalYear":2026,"title":"计划","deadline":"2026-12-31","templateId":"standard","targets":[null]}""", "targets")]
    [InlineData("finance", "POST", "/api/evaluations", """{"fiscalYear":2022,"targets":[null]}""", "targets")]
    [InlineData("evaluator", "PUT", "/api/evaluations/{ev}/scores", """{"rows":[null]}""", "rows")]
    public async Task Given_a_list_with_a_null_item_When_posted_Then_400_names_the_list_and_nothing_changes(string user, string method, string url, string body, string field)
    {
        var se = await SelfEvaluationApiTests.CentreIdAsync(await app.ApiAsync("unit"));
        var ev = (await EvaluationApi.JsonAsync(await app.ApiAsync("finance"), "/api/evaluations?fiscalYear=2021"))[0].GetProperty("id").GetGuid();
        var client = await app.ApiAsync(user);
        var before = await DbFingerprint.TakeAsync(app.Database.ConnectionString);

        using var request = new HttpRequestMessage(new HttpMethod(method), url.Replace("{se}", $"{se}").Replace("{ev}", $"{ev}"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains($"「{field}」的第", text, StringComparison.Ordinal);
        Assert.Contains("项为空", text, StringComparison.Ordinal);
        Assert.Equal(before, await DbFingerprint.TakeAsync(app.Database.ConnectionString));
    }
}
