using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.SessionExpiry;

/// <summary>
/// The browser session ends after 30 idle minutes (sliding). POST /account/keepalive, which session.js calls
/// while the user types into a page, renews it and says how long it now lasts; the layout tells session.js
/// how long the cookie of the page it is on lasts. The clock is the fixture's, which the cookie handler uses.
/// </summary>
public sealed partial class KeepAliveTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string KeepAlive = "/account/keepalive";

    [Fact]
    public async Task Given_no_session_When_keepalive_is_posted_Then_it_is_sent_to_the_login_page()
    {
        using var anonymous = app.Anonymous();
        using var response = await anonymous.PostAsync(KeepAlive, null);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login", response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task Given_a_bearer_token_only_When_keepalive_is_posted_Then_it_is_refused()
    {
        using var api = await app.ApiAsync("unit");
        using var response = await api.PostAsync(KeepAlive, null);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode); // a browser-session endpoint: the token does not count
    }

    [Fact]
    public async Task Given_a_session_When_keepalive_lacks_the_antiforgery_token_Then_it_is_refused()
    {
        using var client = await app.SignInAsync("unit");
        using var response = await client.PostAsync(KeepAlive, null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Given_20_quiet_minutes_When_keepalive_is_posted_Then_the_session_outlives_the_next_20()
    {
        using var client = await app.SignInAsync("unit");
        var token = AppFixture.AntiforgeryToken(await client.GetStringAsync("/inbox"));

        app.Clock.Advance(TimeSpan.FromMinutes(20));
        using var renewed = await PostKeepAliveAsync(client, token);
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        Assert.Equal(1800, await ExpiresInAsync(renewed));
        Assert.Contains(renewed.Headers.GetValues("Set-Cookie"), c => c.StartsWith("be.auth=", StringComparison.Ordinal));
        Assert.Contains("no-store", renewed.Headers.CacheControl?.ToString() ?? string.Empty, StringComparison.Ordinal);

        app.Clock.Advance(TimeSpan.FromMinutes(20));
        using var page = await client.GetAsync("/inbox");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task Given_40_quiet_minutes_without_keepalive_Then_the_session_has_ended_and_the_login_page_says_so()
    {
        using var client = await app.SignInAsync("unit");
        app.Clock.Advance(TimeSpan.FromMinutes(20));
        app.Clock.Advance(TimeSpan.FromMinutes(20));
        using var page = await client.GetAsync("/inbox");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/login", page.Headers.Location!.AbsolutePath);

        var login = await client.GetStringAsync(page.Headers.Location.PathAndQuery);
        Assert.Contains("登录已超时或已退出，请重新登录。", login, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_renewal_the_handler_would_not_make_When_keepalive_is_posted_Then_it_reissues_the_cookie()
    {
        // 30 s after the stamp check renewed the cookie, neither sliding (half the lifetime) nor the stamp check
        // (confirmed within the minute) renews it: only the keep-alive's own re-issue does.
        using var client = await app.SignInAsync("unit");
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var token = AppFixture.AntiforgeryToken(await client.GetStringAsync("/inbox"));
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        using var quiet = await client.GetAsync("/inbox");
        Assert.False(quiet.Headers.TryGetValues("Set-Cookie", out var set) && set.Any(c => c.StartsWith("be.auth=", StringComparison.Ordinal)),
            "the handler itself should not renew here, or this test proves nothing");
        Assert.Equal(1770, ExpiresInOnPage(await quiet.Content.ReadAsStringAsync()));

        using var renewed = await PostKeepAliveAsync(client, token);
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        Assert.Equal(1800, await ExpiresInAsync(renewed));
        Assert.Contains(renewed.Headers.GetValues("Set-Cookie"), c => c.StartsWith("be.auth=", StringComparison.Ordinal));

        // 29 min 50 s later the cookie the handler issued 30 s before the keep-alive would have expired; this one has not.
        app.Clock.Advance(TimeSpan.FromSeconds(1790));
        using var late = await client.GetAsync("/inbox");
        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
    }

    [Fact]
    public async Task Given_the_login_page_Then_the_session_message_appears_only_with_a_local_return_url()
    {
        using var client = app.Anonymous();
        const string Message = "登录已超时或已退出，请重新登录。";
        Assert.Contains(Message, await client.GetStringAsync("/login?ReturnUrl=%2Fself-evaluations%2Fx"), StringComparison.Ordinal);
        Assert.DoesNotContain(Message, await client.GetStringAsync("/login"), StringComparison.Ordinal);
        Assert.DoesNotContain(Message, await client.GetStringAsync("/login?ReturnUrl=https%3A%2F%2Fevil.example%2F"), StringComparison.Ordinal);
        Assert.DoesNotContain("self-evaluations", await client.GetStringAsync("/login?ReturnUrl=%2Fself-evaluations%2Fx").ContinueWith(t => VisibleText(t.Result), TaskScheduler.Default), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PostKeepAliveAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, KeepAlive);
        request.Headers.Add("RequestVerificationToken", token);
        return await client.SendAsync(request);
    }

    private static async Task<int> ExpiresInAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("expiresInSeconds").GetInt32();
    }

    private static int ExpiresInOnPage(string html) =>
        ExpiresInPattern().Match(html) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidOperationException("no data-expires-in on the page");

    // The page's text outside tags and attribute values (the ReturnUrl travels in a hidden field, not in what is shown).
    private static string VisibleText(string html) => Regex.Replace(html, "<[^>]*>", " ");

    [GeneratedRegex("data-expires-in=\"(\\d+)\"")]
    private static partial Regex ExpiresInPattern();
}
