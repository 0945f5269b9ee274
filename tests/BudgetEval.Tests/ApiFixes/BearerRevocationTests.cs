using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Audit;
using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Jobs;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace BudgetEval.Tests.ApiFixes;

/// <summary>
/// A revoked API login (a replayed refresh token, or POST /api/auth/logout) ends its access tokens at once, on
/// every node: two web nodes on one database, the revocation written through one and checked on the other. Before,
/// the access tokens of a revoked session kept working until they expired (an hour).
/// </summary>
public sealed class BearerRevocationTests(TwoNodes nodes) : IClassFixture<TwoNodes>
{
    [Fact]
    public async Task Given_a_refresh_token_reused_When_the_sessions_access_tokens_are_used_on_either_node_Then_401_and_another_session_keeps_working()
    {
        using var first = nodes.First.CreateClient(NoRedirects);
        using var second = nodes.Second.CreateClient(NoRedirects);
        var (access1, refresh1) = await LoginAsync(first, "unit");
        var (otherAccess, otherRefresh) = await LoginAsync(second, "unit");

        // Before the reuse the token works on both nodes (each has now confirmed the user's stamp).
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(first, access1)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(second, access1)).StatusCode);

        var exchanged = await RefreshAsync(first, refresh1);
        Assert.Equal(HttpStatusCode.OK, exchanged.StatusCode);
        var (access2, refresh2) = await TokensOf(exchanged);
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(second, access2)).StatusCode);

        // The replay, on the second node, revokes the session.
        var replay = await RefreshAsync(second, refresh1);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Contains("已使用", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Every access token of the session answers 401 on both nodes, saying why; so does its rotated refresh token.
        foreach (var client in new[] { first, second })
        {
            foreach (var access in new[] { access1, access2 })
            {
                var refused = await MeAsync(client, access);
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
                Assert.Contains("刷新令牌被重复使用", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(first, refresh2)).StatusCode);

        // The revocation is a security event: one audit line for the user, however often the dead tokens come back.
        Assert.Equal(1, await AuditCountAsync(AuditActions.SessionRevoked, "unit"));

        // The same user's other login is untouched.
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(first, otherAccess)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(second, otherAccess)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(first, otherRefresh)).StatusCode);
    }

    [Fact]
    public async Task Given_an_api_login_When_it_logs_out_Then_its_access_and_refresh_tokens_answer_401_on_both_nodes_and_another_session_keeps_working()
    {
        using var first = nodes.First.CreateClient(NoRedirects);
        using var second = nodes.Second.CreateClient(NoRedirects);
        var (access, refresh) = await LoginAsync(first, "finance");
        var (otherAccess, otherRefresh) = await LoginAsync(first, "finance");
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(first, access)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(second, access)).StatusCode);

        using (var logout = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout"))
        {
            logout.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);
            Assert.Equal(HttpStatusCode.NoContent, (await second.SendAsync(logout)).StatusCode);
        }

        foreach (var client in new[] { first, second })
        {
            var refused = await MeAsync(client, access);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains("已退出", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var refreshed = await RefreshAsync(first, refresh);
        Assert.Equal(HttpStatusCode.Unauthorized, refreshed.StatusCode);
        Assert.Contains("已退出", await refreshed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await MeAsync(second, otherAccess)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(second, otherRefresh)).StatusCode);
        Assert.Equal(1, await AuditCountAsync(AuditActions.Logout, "finance"));
    }

    private async Task<int> AuditCountAsync(string action, string userName)
    {
        using var scope = nodes.First.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.Action == action && a.Target == userName && a.ActorName != null);
    }

    [Fact]
    public async Task Given_used_tokens_and_revoked_sessions_older_and_younger_than_the_refresh_lifetime_When_housekeeping_runs_Then_only_the_old_ones_go()
    {
        using var scope = nodes.First.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var user = Guid.NewGuid();
        var now = nodes.Clock.GetUtcNow();

        // Refresh tokens live 14 days; the rows are kept a day longer (clocks of nodes may differ).
        var (oldId, recentId) = (Guid.NewGuid(), Guid.NewGuid());
        foreach (var (id, days) in new[] { (oldId, 16), (recentId, 14) })
        {
            db.Set<RefreshTokenUse>().Add(new RefreshTokenUse { TokenId = id, SessionId = id, UserId = user, UsedAt = now.AddDays(-days) });
            db.Set<RevokedBearerSession>().Add(new RevokedBearerSession { SessionId = id, UserId = user, RevokedAt = now.AddDays(-days), Reason = BearerRevocationReason.Logout });
        }

        await db.SaveChangesAsync();

        var job = ActivatorUtilities.CreateInstance<HousekeepingJob>(scope.ServiceProvider, NullLogger<HousekeepingJob>.Instance);
        var (uses, sessions) = await job.PurgeBearerSessionsAsync(CancellationToken.None);
        Assert.Equal((1, 1), (uses, sessions));
        Assert.Equal([recentId], await db.Set<RefreshTokenUse>().AsNoTracking().Where(u => u.UserId == user).Select(u => u.TokenId).ToListAsync());
        Assert.Equal([recentId], await db.Set<RevokedBearerSession>().AsNoTracking().Where(r => r.UserId == user).Select(r => r.SessionId).ToListAsync());
    }

    [Fact]
    public async Task Given_a_refresh_token_When_exchanged_Then_its_use_is_recorded_in_its_own_table_and_not_in_the_idempotency_store()
    {
        using var client = nodes.First.CreateClient(NoRedirects);
        var (_, refresh) = await LoginAsync(client, "unit2");
        var since = nodes.Clock.GetUtcNow();
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(client, refresh)).StatusCode);

        using var scope = nodes.First.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.True(await db.Set<RefreshTokenUse>().AnyAsync(u => u.UsedAt >= since));
        Assert.False(await db.IdempotencyKeys.AnyAsync(k => k.Key.StartsWith("refresh-")));
    }

    private static readonly WebApplicationFactoryClientOptions NoRedirects = new() { AllowAutoRedirect = false };

    private static async Task<(string Access, string Refresh)> LoginAsync(HttpClient client, string user)
    {
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = AppFixture.DemoPassword });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await TokensOf(response);
    }

    private static async Task<(string Access, string Refresh)> TokensOf(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (json.RootElement.GetProperty("accessToken").GetString()!, json.RootElement.GetProperty("refreshToken").GetString()!);
    }

    private static Task<HttpResponseMessage> RefreshAsync(HttpClient client, string token) =>
        client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = token });

    private static async Task<HttpResponseMessage> MeAsync(HttpClient client, string access)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);
        return await client.SendAsync(request);
    }
}
