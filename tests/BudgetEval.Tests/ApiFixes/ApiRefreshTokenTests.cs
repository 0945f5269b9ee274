using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.ApiFixes;

/// <summary>Refresh tokens are one-time: exchanging one rotates it; a reused one answers 401 and ends its session's refresh tokens.</summary>
public sealed class ApiRefreshTokenTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static async Task<JsonElement> LoginAsync(HttpClient client, string user)
    {
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = AppFixture.DemoPassword });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static Task<HttpResponseMessage> RefreshAsync(HttpClient client, string token) =>
        client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = token });

    private static async Task<string> RefreshTokenOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("refreshToken").GetString()!;

    [Fact]
    public async Task Given_a_refresh_token_When_exchanged_twice_Then_the_second_is_401_and_the_rotated_token_is_revoked_too()
    {
        var client = app.Anonymous();
        var r1 = (await LoginAsync(client, "unit")).GetProperty("refreshToken").GetString()!;

        var first = await RefreshAsync(client, r1);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var r2 = await RefreshTokenOf(first);
        Assert.NotEqual(r1, r2);

        var replay = await RefreshAsync(client, r1);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Contains("已使用", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The replay revoked the session: the token the first exchange gave is refused as well.
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(client, r2)).StatusCode);
    }

    [Fact]
    public async Task Given_a_chain_of_refreshes_When_each_new_token_is_used_once_Then_each_works_and_another_session_is_unaffected()
    {
        var client = app.Anonymous();
        var token = (await LoginAsync(client, "finance")).GetProperty("refreshToken").GetString()!;
        var other = (await LoginAsync(client, "finance")).GetProperty("refreshToken").GetString()!;

        for (var i = 0; i < 3; i++)
        {
            var response = await RefreshAsync(client, token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var access = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString();
            using var me = new HttpRequestMessage(HttpMethod.Get, "/api/me");
            me.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", access);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(me)).StatusCode);
            token = await RefreshTokenOf(response);
        }

        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(client, other)).StatusCode);
    }

    [Fact]
    public async Task Given_one_refresh_token_When_exchanged_four_times_at_once_Then_at_most_one_succeeds()
    {
        var client = app.Anonymous();
        var token = (await LoginAsync(client, "unit2")).GetProperty("refreshToken").GetString()!;

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RefreshAsync(client, token)));

        Assert.True(answers.Count(a => a.StatusCode == HttpStatusCode.OK) <= 1);
        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Unauthorized }));
    }
}
