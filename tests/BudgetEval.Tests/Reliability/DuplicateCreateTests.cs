using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Reliability;

/// <summary>Duplicate submissions of a creation: the same Idempotency-Key (API) or form key (page) creates one record.</summary>
[Trait("Category", "Corpus")]
public sealed class DuplicateCreateTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static object Body(string title) => new { title, fiscalYear = 2025, deadline = "2026-03-31", summary = "概述", totalBudget = 100m };

    [Fact]
    public async Task Given_the_same_idempotency_key_When_a_self_evaluation_is_created_twice_and_four_times_at_once_Then_one_record_exists_and_every_answer_names_it()
    {
        using var unit = await app.ApiAsync("unit");
        async Task<HttpResponseMessage> PostAsync(string title, string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/self-evaluations") { Content = JsonContent.Create(Body(title)) };
            request.Headers.Add("Idempotency-Key", key);
            return await unit.SendAsync(request);
        }

        static async Task<Guid> IdAsync(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

        var first = await PostAsync("重复提交测试一", "dup-1");
        var again = await PostAsync("重复提交测试一", "dup-1");
        var racing = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostAsync("重复提交测试二", "dup-2")));
        var other = await PostAsync("重复提交测试二", "dup-3");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(await IdAsync(first), await IdAsync(again));
        Assert.All(racing, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single((await Task.WhenAll(racing.Select(IdAsync))).Distinct());
        Assert.Equal(HttpStatusCode.Created, other.StatusCode); // a new key is a new record
        Assert.Equal(1, await app.DbAsync(db => db.SelfEvaluations.CountAsync(s => s.Title == "重复提交测试一")));
        Assert.Equal(2, await app.DbAsync(db => db.SelfEvaluations.CountAsync(s => s.Title == "重复提交测试二")));
        Assert.Equal(3, await app.DbAsync(db => db.WorkflowInstances.CountAsync(i => i.Title.StartsWith("重复提交测试"))));
    }

    [Fact]
    public async Task Given_the_new_self_evaluation_form_When_it_is_posted_twice_Then_one_record_is_created()
    {
        using var unit = await app.SignInAsync("unit");
        var page = await unit.GetStringAsync("/self-evaluations");
        var key = System.Text.RegularExpressions.Regex.Match(page, "name=\"IdempotencyKey\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(key);
        var form = new Dictionary<string, string>
        {
            ["IdempotencyKey"] = key, ["Title"] = "表单重复提交", ["FiscalYear"] = "2025", ["Deadline"] = "2026-03-31", ["Summary"] = "概述", ["TotalBudget"] = "10",
            ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(page),
        };
        var first = await unit.PostAsync("/self-evaluations", new FormUrlEncodedContent(form));
        var second = await unit.PostAsync("/self-evaluations", new FormUrlEncodedContent(form));

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(1, await app.DbAsync(db => db.SelfEvaluations.CountAsync(s => s.Title == "表单重复提交")));
    }
}
