using System.Net;
using System.Net.Http.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Audit;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.LoginHardening;

/// <summary>
/// Wrong passwords sent at the same moment: each is answered 401, counted and audited, and the fifth locks the
/// account. Counted with Identity's read-add-save, 16 of 20 used to fail with a concurrency error (HTTP 500) and
/// go uncounted, so the lockout could be walked around by sending guesses in parallel.
/// </summary>
public sealed class ParallelFailuresTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_twenty_wrong_passwords_at_once_When_they_are_answered_Then_none_fails_with_500_and_the_account_is_locked()
    {
        await app.CreateUnitUserAsync("u_parallel");
        using var client = app.Anonymous();
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            client.PostAsJsonAsync("/api/auth/login", new { userName = "u_parallel", password = $"Guess{i}@2026!" })));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));

        // Five wrong ones lock it; the right password is then refused like any failure.
        var right = await client.PostAsJsonAsync("/api/auth/login", new { userName = "u_parallel", password = AppFixture.DemoPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        var (lockoutEnd, entries) = await app.DbAsync(async db => (
            await db.Users.IgnoreQueryFilters().Where(u => u.UserName == "u_parallel").Select(u => u.LockoutEnd).SingleAsync(),
            await db.AuditEntries.Where(a => a.Target == "u_parallel").Select(a => a.Action).ToListAsync()));
        Assert.NotNull(lockoutEnd);
        Assert.True(lockoutEnd > DateTimeOffset.UtcNow); // Identity's lockout runs on the system clock
        Assert.Contains(AuditActions.LockedOut, entries);
        Assert.Equal(20, entries.Count(a => a is AuditActions.LoginFailed or AuditActions.LoginRefused) - 1); // the 21st is the right password's refusal
    }
}
