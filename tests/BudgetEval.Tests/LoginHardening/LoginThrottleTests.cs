using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Audit;
using BudgetEval.Web.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BudgetEval.Tests.LoginHardening;

/// <summary>
/// Failed sign-ins per client address (Auth:FailedLoginsPerMinutePerAddress, here 3): over the limit the address
/// gets 429 with Retry-After and nothing is checked, the right password included, until its minute has passed.
/// </summary>
public sealed class LoginThrottleTests : IAsyncLifetime
{
    private readonly AppFixture _app = new()
    {
        Settings = new Dictionary<string, string?> { ["Auth:FailedLoginsPerMinutePerAddress"] = "3" },
    };

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Given_three_failed_sign_ins_from_one_address_When_a_fourth_comes_Then_429_with_retry_after_until_the_minute_is_over()
    {
        _app.Clock.Advance(TimeSpan.FromMinutes(5)); // a minute of its own, whatever ran before
        using var client = _app.Anonymous();

        // Successes do not count: people signing in often from one office address are never slowed.
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/auth/login", new { userName = "unit", password = AppFixture.DemoPassword })).StatusCode);
        }

        // Three failures, spread over three accounts (a password spray), each the usual 401.
        foreach (var user in new[] { "unit", "finance", "nosuchuser" })
        {
            var failed = await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = "Spray@2026!x" });
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
            _app.Clock.Advance(TimeSpan.FromSeconds(10));
        }

        // The fourth attempt is not checked at all: even the right password gets 429.
        var refused = await client.PostAsJsonAsync("/api/auth/login", new { userName = "unit", password = AppFixture.DemoPassword });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(30, retryAfter); // the first failure, 30 s ago, leaves the minute in 30 s
        using (var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()))
        {
            Assert.Equal("登录尝试过于频繁", problem.RootElement.GetProperty("title").GetString());
            Assert.Equal("此网络地址登录失败次数过多，请 30 秒后再试。如需帮助请联系系统管理员。", problem.RootElement.GetProperty("detail").GetString());
        }

        // The login page says the same, with the same status.
        var page = await AppFixture.PostLoginFormAsync(client, "unit", AppFixture.DemoPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Equal("30", page.Headers.GetValues("Retry-After").Single());
        Assert.Contains("此网络地址登录失败次数过多，请 30 秒后再试。", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Refused attempts write nothing (no flooding the log); reaching the limit is recorded once.
        var audit = await _app.DbAsync(db => db.AuditEntries.Where(a => a.Action.StartsWith("login.")).ToListAsync());
        Assert.Equal(3, audit.Count(a => a.Action is AuditActions.LoginFailed));
        var throttled = Assert.Single(audit, a => a.Action == AuditActions.LoginThrottled);
        Assert.Contains("1 分钟内登录失败 3 次", throttled.Detail, StringComparison.Ordinal);
        Assert.Equal(5, audit.Count(a => a.Action == AuditActions.LoginSucceeded));

        // Once the first failure has left the minute, one more attempt is let through.
        _app.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/auth/login", new { userName = "unit", password = AppFixture.DemoPassword })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/auth/login", new { userName = "unit", password = "Spray@2026!x" })).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsJsonAsync("/api/auth/login", new { userName = "unit", password = AppFixture.DemoPassword })).StatusCode);
    }

    [Fact]
    public void Given_the_throttle_When_addresses_fail_Then_each_is_counted_alone_in_a_sliding_minute_and_attempts_in_flight_count()
    {
        var throttle = new LoginThrottle(Options.Create(new LoginThrottleOptions { FailedLoginsPerMinutePerAddress = 2 }));
        var t0 = new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);

        Assert.Null(throttle.TryBegin("10.0.0.1", t0));
        Assert.False(throttle.End("10.0.0.1", t0, failed: true));
        Assert.Null(throttle.TryBegin("10.0.0.1", t0.AddSeconds(20)));
        Assert.True(throttle.End("10.0.0.1", t0.AddSeconds(20), failed: true)); // reached: said once
        Assert.Equal(TimeSpan.FromSeconds(20), throttle.TryBegin("10.0.0.1", t0.AddSeconds(40)));
        Assert.Null(throttle.TryBegin("10.0.0.2", t0.AddSeconds(40))); // another address is not affected
        Assert.False(throttle.End("10.0.0.2", t0.AddSeconds(40), failed: false));
        Assert.Null(throttle.TryBegin("10.0.0.1", t0.AddSeconds(61))); // the first failure has left the minute

        // Two attempts in flight fill the limit: a third parallel one waits, though nothing has failed yet.
        Assert.Null(throttle.TryBegin("10.0.0.3", t0));
        Assert.Null(throttle.TryBegin("10.0.0.3", t0));
        Assert.NotNull(throttle.TryBegin("10.0.0.3", t0));
        throttle.End("10.0.0.3", t0, failed: false);
        Assert.Null(throttle.TryBegin("10.0.0.3", t0));

        // 0 turns the throttle off.
        var off = new LoginThrottle(Options.Create(new LoginThrottleOptions { FailedLoginsPerMinutePerAddress = 0 }));
        for (var i = 0; i < 100; i++)
        {
            Assert.Null(off.TryBegin("10.0.0.1", t0));
            Assert.False(off.End("10.0.0.1", t0, failed: true));
        }
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::9", "2001:db8:1:2::/64")]
    [InlineData("::1", "::1")]
    public void Given_a_client_address_Then_ipv6_clients_are_counted_by_their_64_prefix(string address, string key)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse(address);
        Assert.Equal(key, LoginThrottle.AddressOf(http));
        Assert.Equal("unknown", LoginThrottle.AddressOf(new DefaultHttpContext()));
    }
}
