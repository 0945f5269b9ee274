using System.Net;
using System.Net.Http.Headers;
using BudgetEval.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace BudgetEval.Tests.Foundation;

/// <summary>Two nodes on one database: what one issues, the other honours (keys live in PostgreSQL).</summary>
public sealed class MultiNodeTests
{
    [Fact]
    public async Task Given_two_nodes_When_a_user_signs_in_on_one_Then_the_cookie_and_the_token_work_on_the_other()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var nodeA = new AppFactory(database.ConnectionString);
        await using var nodeB = new AppFactory(database.ConnectionString, new Dictionary<string, string?> { ["Node:Migrate"] = "false" });
        _ = nodeA.Server;
        _ = nodeB.Server;

        await AssertSignInOnOneWorksOnTheOtherAsync(nodeA, nodeB);

        var options = new WebApplicationFactoryClientOptions { AllowAutoRedirect = false };
        using var onB = nodeB.CreateClient(options);
        using var api = nodeA.CreateClient(options);
        var token = await AppFixture.TokenAsync(api, "unit");
        onB.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/me")).StatusCode);
        Assert.True(await database.ScalarAsync<long>("SELECT count(*) FROM budgeteval.data_protection_keys") >= 1);
    }

    /// <summary>finance signs in on <paramref name="first"/>; the cookie opens finance's home page on <paramref name="second"/>.</summary>
    internal static async Task AssertSignInOnOneWorksOnTheOtherAsync(AppFactory first, AppFactory second)
    {
        var options = new WebApplicationFactoryClientOptions { AllowAutoRedirect = false };
        using var onFirst = first.CreateClient(options);
        var login = await AppFixture.PostLoginFormAsync(onFirst, "finance", AppFixture.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var cookie = string.Join("; ", login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));

        using var onSecond = second.CreateClient(options);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", cookie);
        var home = await onSecond.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("李敏", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_jobs_only_node_When_pages_are_asked_Then_only_the_health_check_answers()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var node = new AppFactory(database.ConnectionString, new Dictionary<string, string?> { ["Node:Web"] = "false" });
        using var client = node.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/login")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/me")).StatusCode);
    }
}
