using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Audit;
using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Hosting;
using BudgetEval.Web.Infrastructure.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
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
    public async Task Given_the_throttle_When_addresses_fail_Then_each_is_counted_alone_in_a_sliding_minute_and_attempts_in_flight_count()
    {
        var t0 = new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);
        var clock = new TestClock(t0);
        using var scope = _app.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var throttle = new LoginThrottle(db, clock, Options.Create(new LoginThrottleOptions { FailedLoginsPerMinutePerAddress = 2 }));

        var first = await throttle.BeginAsync("10.0.0.1");
        Assert.Null(first.RetryAfter);
        Assert.False(await throttle.EndAsync(first, failed: true));
        clock.Set(t0.AddSeconds(20));
        var second = await throttle.BeginAsync("10.0.0.1");
        Assert.Null(second.RetryAfter);
        Assert.True(await throttle.EndAsync(second, failed: true)); // reached: said once
        clock.Set(t0.AddSeconds(40));
        Assert.Equal(TimeSpan.FromSeconds(20), (await throttle.BeginAsync("10.0.0.1")).RetryAfter);
        var other = await throttle.BeginAsync("10.0.0.2"); // another address is not affected
        Assert.Null(other.RetryAfter);
        Assert.False(await throttle.EndAsync(other, failed: false));
        clock.Set(t0.AddSeconds(61));
        var third = await throttle.BeginAsync("10.0.0.1"); // the first failure has left the minute, and its row is gone
        Assert.Null(third.RetryAfter);
        Assert.False(await throttle.EndAsync(third, failed: false));
        Assert.Equal([t0.AddSeconds(20)], await db.Set<LoginAttempt>().Where(a => a.Address == "10.0.0.1").Select(a => a.At).ToListAsync());

        // Two attempts in flight fill the limit: a third parallel one waits, though nothing has failed yet.
        var a = await throttle.BeginAsync("10.0.0.3");
        var b = await throttle.BeginAsync("10.0.0.3");
        Assert.Null(a.RetryAfter);
        Assert.Null(b.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(1), (await throttle.BeginAsync("10.0.0.3")).RetryAfter); // no failure to wait for: the least
        Assert.False(await throttle.EndAsync(a, failed: false));
        var c = await throttle.BeginAsync("10.0.0.3");
        Assert.Null(c.RetryAfter);
        Assert.False(await throttle.EndAsync(b, failed: true));
        Assert.True(await throttle.EndAsync(c, failed: true));

        // 0 turns the throttle off, and nothing is written.
        var off = new LoginThrottle(db, clock, Options.Create(new LoginThrottleOptions { FailedLoginsPerMinutePerAddress = 0 }));
        for (var i = 0; i < 100; i++)
        {
            var attempt = await off.BeginAsync("10.0.0.4");
            Assert.Null(attempt.RetryAfter);
            Assert.False(await off.EndAsync(attempt, failed: true));
        }

        Assert.Equal(0, await db.Set<LoginAttempt>().CountAsync(x => x.Address == "10.0.0.4"));
    }

    [Fact]
    public async Task Given_pending_rows_a_crashed_node_left_When_the_minute_has_passed_Then_they_no_longer_block_and_are_deleted()
    {
        using var scope = _app.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var throttle = scope.ServiceProvider.GetRequiredService<LoginThrottle>(); // the app's: limit 3, the fixture's clock
        var now = _app.Clock.GetUtcNow();

        // Three attempts began 50 s ago on a node that then died: they never end.
        foreach (var _ in Enumerable.Range(0, 3))
        {
            db.Set<LoginAttempt>().Add(new LoginAttempt { Address = "198.51.100.9", At = now.AddSeconds(-50), Pending = true });
        }

        // And a failure "in the future" by more than the window: a clock was set back.
        db.Set<LoginAttempt>().Add(new LoginAttempt { Address = "198.51.100.9", At = now.AddMinutes(10), Pending = false });
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        // Within their minute they count as failures: the address waits (no failure to wait for: the least).
        Assert.Equal(TimeSpan.FromSeconds(1), (await throttle.BeginAsync("198.51.100.9")).RetryAfter);

        // Older than the window, they no longer block, and touching the address deletes them and the future one.
        _app.Clock.Advance(TimeSpan.FromSeconds(11));
        var attempt = await throttle.BeginAsync("198.51.100.9");
        Assert.Null(attempt.RetryAfter);
        var left = await db.Set<LoginAttempt>().AsNoTracking().Where(a => a.Address == "198.51.100.9").ToListAsync();
        Assert.Equal(attempt.AttemptId, Assert.Single(left).Id);
        Assert.True(left[0].Pending);
        Assert.False(await throttle.EndAsync(attempt, failed: false));
        Assert.Equal(0, await db.Set<LoginAttempt>().CountAsync(a => a.Address == "198.51.100.9"));
    }

    [Fact]
    public async Task Given_throttle_rows_of_addresses_that_never_came_back_When_housekeeping_runs_Then_rows_older_than_an_hour_go()
    {
        using var scope = _app.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = _app.Clock.GetUtcNow();
        db.Set<LoginAttempt>().AddRange(
            new LoginAttempt { Address = "192.0.2.1", At = now.AddHours(-2), Pending = false },
            new LoginAttempt { Address = "192.0.2.2", At = now.AddHours(-2), Pending = true },
            new LoginAttempt { Address = "192.0.2.3", At = now.AddDays(3), Pending = false },
            new LoginAttempt { Address = "192.0.2.4", At = now.AddSeconds(-30), Pending = false });
        await db.SaveChangesAsync();

        var job = ActivatorUtilities.CreateInstance<HousekeepingJob>(scope.ServiceProvider, db, _app.Clock, Options.Create(new AuditOptions()), NullLogger<HousekeepingJob>.Instance);
        Assert.Equal(3, await job.PurgeLoginAttemptsAsync(CancellationToken.None));
        Assert.Equal(["192.0.2.4"], await db.Set<LoginAttempt>().AsNoTracking().Select(a => a.Address).ToListAsync());
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
