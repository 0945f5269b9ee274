using System.Net;
using System.Net.Http.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Audit;
using BudgetEval.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.LoginHardening;

/// <summary>
/// Two web nodes on one database (Auth:FailedLoginsPerMinutePerAddress 3, one clock): the failed sign-ins of an
/// address are counted in PostgreSQL, so the limit holds for both nodes together. Kept in each node's memory, an
/// address got 3 failures per node and minute.
/// </summary>
public sealed class SharedThrottleTests(SharedThrottleTests.TwoNodes nodes) : IClassFixture<SharedThrottleTests.TwoNodes>
{
    private const string Wrong = "Spray@2026!x";

    [Fact]
    public async Task Given_failures_split_across_two_nodes_When_the_limit_is_reached_in_total_Then_both_nodes_answer_429()
    {
        var start = nodes.NewMinute();
        using var first = nodes.First.CreateClient(NoRedirects);
        using var second = nodes.Second.CreateClient(NoRedirects);

        // Two failures on the first node, one on the second: three in all, each the usual 401.
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(first, "unit", Wrong)).StatusCode);
        nodes.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(second, "finance", Wrong)).StatusCode);
        nodes.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(first, "nosuchuser", Wrong)).StatusCode);

        // The second node has seen one failure itself, yet refuses even the right password, as does the first.
        foreach (var client in new[] { second, first })
        {
            var refused = await LoginAsync(client, "unit", AppFixture.DemoPassword);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal("40", refused.Headers.GetValues("Retry-After").Single()); // the first failure, 20 s ago
        }

        // Reaching the limit is recorded once, by the node whose failure reached it.
        var throttled = await nodes.AuditSinceAsync(start, AuditActions.LoginThrottled);
        Assert.Single(throttled);

        // Once the first failure has left the minute, either node lets one attempt through again.
        nodes.Clock.Advance(TimeSpan.FromSeconds(41));
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(second, "unit", AppFixture.DemoPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(second, "unit", Wrong)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginAsync(first, "unit", AppFixture.DemoPassword)).StatusCode);
    }

    [Fact]
    public async Task Given_many_failures_sent_at_once_to_two_nodes_When_they_are_answered_Then_exactly_the_limit_is_checked_and_the_rest_get_429()
    {
        var start = nodes.NewMinute();
        using var first = nodes.First.CreateClient(NoRedirects);
        using var second = nodes.Second.CreateClient(NoRedirects);

        // Attempts in flight count as failures, on every node: of twelve at once only three are checked. The clock
        // stands still, so the outcome does not depend on how the requests interleave.
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            LoginAsync(i % 2 == 0 ? first : second, "nosuchuser", Wrong)));

        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.Unauthorized));
        Assert.Equal(9, answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(3, (await nodes.AuditSinceAsync(start, AuditActions.LoginFailed)).Count);
        Assert.Single(await nodes.AuditSinceAsync(start, AuditActions.LoginThrottled));
    }

    private static readonly WebApplicationFactoryClientOptions NoRedirects = new() { AllowAutoRedirect = false };

    private static Task<HttpResponseMessage> LoginAsync(HttpClient client, string userName, string password) =>
        client.PostAsJsonAsync("/api/auth/login", new { userName, password });

    /// <summary>Two nodes of the application on one database, with one clock and a throttle limit of 3.</summary>
    public sealed class TwoNodes() : Infrastructure.TwoNodes(new() { ["Auth:FailedLoginsPerMinutePerAddress"] = "3" })
    {
        /// <summary>Moves the clock past anything an earlier test counted; returns the new time.</summary>
        internal DateTimeOffset NewMinute()
        {
            Clock.Advance(TimeSpan.FromMinutes(5));
            return Clock.GetUtcNow();
        }

        internal async Task<List<AuditEntry>> AuditSinceAsync(DateTimeOffset since, string action)
        {
            using var scope = First.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            return await db.AuditEntries.AsNoTracking().Where(a => a.Action == action && a.At >= since).ToListAsync();
        }
    }
}
