using System.Net;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.Auth;

/// <summary>
/// A cookie older than the stamp interval is checked against the database once; a client that keeps sending
/// it is then served from the node's confirmation (no renewal per request) until the interval is over, and a
/// renewed stamp still ends it within the interval.
/// </summary>
public sealed class StampConfirmationTests : IAsyncLifetime
{
    private readonly AppFixture _app = new();

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Given_an_old_cookie_kept_by_the_client_When_it_is_sent_again_Then_it_is_checked_once_per_interval_and_ends_when_the_stamp_changes()
    {
        using var client = _app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var cookie = await AppFixture.AuthCookieAsync(client, "unit");

        _app.Clock.Advance(TimeSpan.FromSeconds(61));
        var first = await GetAsync(client, "/inbox", cookie);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True(RenewsAuthCookie(first), "the first request after the interval checks the stamp and renews the cookie");

        var again = await GetAsync(client, "/inbox", cookie);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.False(RenewsAuthCookie(again), "a stamp confirmed within the interval is not checked again");

        using (var scope = _app.Factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = await users.FindByNameAsync("unit");
            Assert.True((await users.UpdateSecurityStampAsync(user!)).Succeeded);
        }

        _app.Clock.Advance(TimeSpan.FromSeconds(61));
        var ended = await GetAsync(client, "/inbox", cookie);
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.Equal("/login", ended.Headers.Location!.AbsolutePath);
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    private static bool RenewsAuthCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) && values.Any(v => v.StartsWith("be.auth=", StringComparison.Ordinal));
}
