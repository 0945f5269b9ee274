using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.Deployment;

/// <summary>
/// Two real app processes on different loopback ports against one PostgreSQL — one web-only, one
/// web+jobs — as a deployment runs them: a user signs in on one and carries on on the other, and a
/// case moves through transitions on each, and background jobs run on the jobs node alone.
/// </summary>
public sealed class TwoProcessTests
{
    [Fact]
    public async Task Given_a_web_node_and_a_web_jobs_node_When_users_move_between_them_Then_sessions_and_cases_carry_over()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var nodeA = await AppProcess.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Default"] = database.ConnectionString,
            ["Demo__Seed"] = "true",
            ["Node__Web"] = "true",
            ["Node__Jobs"] = "true",
        });
        await using var nodeB = await AppProcess.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Default"] = database.ConnectionString,
            ["Node__Migrate"] = "false",
            ["Node__Web"] = "true",
            ["Node__Jobs"] = "false",
        });

        // A browser session begun on A is valid on B.
        using (var a = nodeA.Client())
        using (var b = nodeB.Client())
        {
            a.DefaultRequestHeaders.Add("Cookie", await AppFixture.AuthCookieAsync(a, "finance"));
            using var onB = new HttpRequestMessage(HttpMethod.Get, "/");
            onB.Headers.Add("Cookie", a.DefaultRequestHeaders.GetValues("Cookie").Single());
            var home = await b.SendAsync(onB);
            Assert.Equal(HttpStatusCode.OK, home.StatusCode);
            Assert.Contains("李敏，您好", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // A case created on A, submitted on B, approved on A with a token issued by B.
        using var unitOnA = await ApiAsync(nodeA, nodeA, "unit");
        var created = await unitOnA.PostAsJsonAsync("/api/self-evaluations", new
        {
            title = "两节点测试自评", fiscalYear = 2025, deadline = "2026-12-31", summary = "概述", totalBudget = 100m,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var createdJson = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var caseId = createdJson.RootElement.GetProperty("caseId").GetGuid();

        using var unitOnB = await ApiAsync(nodeA, nodeB, "unit");
        var version = await FireAsync(unitOnB, caseId, "submit", 1);
        using var headOnA = await ApiAsync(nodeB, nodeA, "unithead");
        version = await FireAsync(headOnA, caseId, "approve", version);

        using var financeOnB = await ApiAsync(nodeA, nodeB, "finance");
        using var state = JsonDocument.Parse(await financeOnB.GetStringAsync($"/api/cases/{caseId}"));
        Assert.Equal("bureau_review", state.RootElement.GetProperty("state").GetString());
        Assert.Equal(version, state.RootElement.GetProperty("version").GetInt32());

        // Only the jobs node joined the scheduler cluster, and the minutely reminder sweep runs there.
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM budgeteval.qrtz_scheduler_state"));
        var jobsNode = await database.ScalarAsync<string>("SELECT instance_name FROM budgeteval.qrtz_scheduler_state");
        var until = DateTime.UtcNow.AddSeconds(75);
        while (DateTime.UtcNow < until && await database.ScalarAsync<long>("SELECT count(*) FROM budgeteval.job_runs WHERE \"Job\" = 'reminder-sweep'") == 0)
        {
            await Task.Delay(1000);
        }

        Assert.True(await database.ScalarAsync<long>("SELECT count(*) FROM budgeteval.job_runs WHERE \"Job\" = 'reminder-sweep'") >= 1, "the sweep did not run within 75 s");
        Assert.Equal(0L, await database.ScalarAsync<long>($"SELECT count(*) FROM budgeteval.job_runs WHERE \"Node\" <> '{jobsNode}'"));
    }

    /// <summary>A client on <paramref name="node"/> carrying a token issued by <paramref name="issuer"/>.</summary>
    private static async Task<HttpClient> ApiAsync(AppProcess issuer, AppProcess node, string user)
    {
        using var login = issuer.Client();
        var token = await AppFixture.TokenAsync(login, user);
        var client = node.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<int> FireAsync(HttpClient client, Guid caseId, string action, int expectedVersion)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/cases/{caseId}/actions/{action}") { Content = JsonContent.Create(new { expectedVersion }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{action}: {(int)response.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("version").GetInt32();
    }
}
