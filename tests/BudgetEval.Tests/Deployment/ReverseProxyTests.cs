using System.Net;
using BudgetEval.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.Deployment;

/// <summary>Behind nginx: X-Forwarded-Proto from a trusted proxy makes cookies Secure; from anyone else it is ignored.</summary>
public sealed class ReverseProxyTests
{
    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task Given_a_forwarded_https_request_When_signing_in_Then_the_cookie_is_secure_only_if_the_proxy_is_trusted(bool trusted, bool expectSecure)
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var app = new AppFactory(database.ConnectionString, new Dictionary<string, string?> { ["Proxy:TrustForwardedHeaders"] = trusted ? "true" : "false" });
        app.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        // Cookies by hand: a cookie marked Secure would not go back over plain http through a cookie jar,
        // while the real browser talks https to nginx.
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(address) };
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");

        var page = await client.GetAsync("/login");
        var antiforgeryCookie = page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("be.af=", StringComparison.Ordinal));
        using var post = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["UserName"] = "finance",
                ["Password"] = AppFixture.DemoPassword,
                ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(await page.Content.ReadAsStringAsync()),
            }),
        };
        post.Headers.Add("Cookie", antiforgeryCookie);
        var login = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var authCookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("be.auth=", StringComparison.Ordinal));
        Assert.Equal(expectSecure, authCookie.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }
}
