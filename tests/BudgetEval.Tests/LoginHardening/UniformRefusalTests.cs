using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Audit;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.LoginHardening;

/// <summary>
/// Every failed sign-in that does not prove knowledge of the password gets one answer, on the API and the
/// login page, whatever the cause; the audit log keeps the real cause; each failure hashes a password once.
/// </summary>
public sealed partial class UniformRefusalTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Uniform = "用户名或密码错误。连续输错 5 次账户将锁定 15 分钟；如账户已被锁定或停用，请联系系统管理员。";
    private const string WrongPassword = "Wrong@2026!x";

    [Fact]
    public async Task Given_every_kind_of_failed_sign_in_When_posted_to_the_api_and_the_page_Then_status_and_message_are_the_same_and_the_audit_log_says_why()
    {
        await app.CreateUnitUserAsync("u_wrong");
        await app.CreateUnitUserAsync("u_templock");
        await app.CreateUnitUserAsync("u_adminlock");
        await app.CreateUnitUserAsync("u_inactive", await InactiveUnitAsync("u_inactive"));
        await LockAsync("u_adminlock", DateTimeOffset.MaxValue); // as /admin/users/{id} 锁定 does
        using (var client = app.Anonymous())
        {
            for (var i = 0; i < 5; i++)
            {
                await client.PostAsJsonAsync("/api/auth/login", new { userName = "u_templock", password = WrongPassword });
            }
        }

        (string User, string Password)[] attempts =
        [
            ("u_nobody", WrongPassword),
            ("u_wrong", WrongPassword),
            ("u_templock", AppFixture.DemoPassword), // the right password of an account in its 15 minutes
            ("u_adminlock", AppFixture.DemoPassword), // the right password of an account the administrator locked
            ("u_adminlock", WrongPassword),
            ("u_inactive", AppFixture.DemoPassword), // the right password of a deactivated unit's user
            ("u_inactive", WrongPassword),
        ];
        using var anonymous = app.Anonymous();
        foreach (var (user, password) in attempts)
        {
            var api = await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = user, password });
            Assert.True(api.StatusCode == HttpStatusCode.Unauthorized, $"{user}/{password}: {(int)api.StatusCode}");
            using var problem = JsonDocument.Parse(await api.Content.ReadAsStringAsync());
            Assert.Equal("登录失败", problem.RootElement.GetProperty("title").GetString());
            Assert.Equal(Uniform, problem.RootElement.GetProperty("detail").GetString());
            Assert.False(api.Headers.Contains("Retry-After"));

            var page = await AppFixture.PostLoginFormAsync(anonymous, user, password);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal(Uniform, Error(await page.Content.ReadAsStringAsync()));
            Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("/")).StatusCode); // no cookie was issued
        }

        // The audit log tells the administrator what really happened.
        var entries = await app.DbAsync(db => db.AuditEntries.Where(a => a.Target != null && a.Target.StartsWith("u_")).ToListAsync());
        Assert.Contains(entries, a => a.Action == AuditActions.LoginFailed && a.Target == "u_nobody" && a.Detail == "用户名不存在" && a.ActorId == null);
        Assert.Contains(entries, a => a.Action == AuditActions.LoginFailed && a.Target == "u_wrong" && a.Detail == "密码错误" && a.ActorId != null);
        Assert.Single(entries, a => a.Action == AuditActions.LockedOut && a.Target == "u_templock");
        Assert.Contains(entries, a => a.Action == AuditActions.LoginRefused && a.Target == "u_templock" && a.Detail!.Contains("锁定期", StringComparison.Ordinal));
        Assert.Equal(4, entries.Count(a => a.Action == AuditActions.LoginRefused && a.Target == "u_adminlock" && a.Detail == "账户已被系统管理员锁定"));
        Assert.Equal(4, entries.Count(a => a.Action == AuditActions.LoginRefused && a.Target == "u_inactive" && a.Detail == "账户所属单位已停用"));
        Assert.DoesNotContain(entries, a => a.Action == AuditActions.LoginSucceeded);
    }

    [Fact]
    public async Task Given_an_account_locked_by_the_administrator_When_guessed_with_the_right_password_and_a_wrong_one_Then_the_answers_are_equal()
    {
        await app.CreateUnitUserAsync("oracle");
        await LockAsync("oracle", DateTimeOffset.MaxValue);
        using var client = app.Anonymous();

        var right = await client.PostAsJsonAsync("/api/auth/login", new { userName = "oracle", password = AppFixture.DemoPassword });
        var wrong = await client.PostAsJsonAsync("/api/auth/login", new { userName = "oracle", password = WrongPassword });
        var unknown = await client.PostAsJsonAsync("/api/auth/login", new { userName = "oracle-nobody", password = WrongPassword });

        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        Assert.Equal(right.StatusCode, wrong.StatusCode);
        Assert.Equal(right.StatusCode, unknown.StatusCode);
        var body = WithoutTraceId(await right.Content.ReadAsStringAsync());
        Assert.Equal(Uniform, JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString());
        Assert.Equal(body, WithoutTraceId(await wrong.Content.ReadAsStringAsync()));
        Assert.Equal(body, WithoutTraceId(await unknown.Content.ReadAsStringAsync()));
        Assert.Equal(right.Content.Headers.ContentType, wrong.Content.Headers.ContentType);

        // Unlocked, the same right password signs in: the refusal came from the lock, not the password.
        await LockAsync("oracle", null);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/auth/login", new { userName = "oracle", password = AppFixture.DemoPassword })).StatusCode);
    }

    [Fact]
    public async Task Given_a_20000_character_user_name_When_signing_in_Then_the_uniform_answer_and_the_audit_entry_keeps_64_characters()
    {
        var typed = "x" + new string('长', 19_999);
        using var client = app.Anonymous();

        var api = await client.PostAsJsonAsync("/api/auth/login", new { userName = typed, password = WrongPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(Uniform, JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
        var page = await AppFixture.PostLoginFormAsync(client, typed, WrongPassword);
        Assert.Equal(Uniform, Error(await page.Content.ReadAsStringAsync()));

        var kept = typed[..64] + "…";
        var entries = await app.DbAsync(db => db.AuditEntries.Where(a => a.Target != null && a.Target.StartsWith("x长")).ToListAsync());
        Assert.Equal(2, entries.Count);
        Assert.All(entries, a =>
        {
            Assert.Equal(AuditActions.LoginFailed, a.Action);
            Assert.Equal(kept, a.Target);
            Assert.Equal(kept, a.ActorName);
            Assert.Equal("用户名过长（20000 个字符），未查找账户", a.Detail);
        });

        // A name of an ordinary length but over 64 characters is shortened in the log the same way.
        var longName = new string('n', 100);
        await client.PostAsJsonAsync("/api/auth/login", new { userName = longName, password = WrongPassword });
        var expected = longName[..64] + "…";
        var shortened = await app.DbAsync(db => db.AuditEntries.Where(a => a.Target == expected).SingleAsync());
        Assert.Equal("用户名不存在", shortened.Detail);
    }

    /// <summary>
    /// Timing is not measured here (no timed tests); instead each path is shown to verify exactly one password
    /// hash, through Identity's real hasher, counted by a wrapper: an unknown name or a refused account verifies
    /// the dummy hash as a wrong password verifies the real one.
    /// </summary>
    [Fact]
    public async Task Given_each_kind_of_failure_When_signing_in_Then_exactly_one_password_hash_is_verified()
    {
        await app.CreateUnitUserAsync("h_wrong");
        await app.CreateUnitUserAsync("h_locked");
        await app.CreateUnitUserAsync("h_inactive", await InactiveUnitAsync("h_inactive"));
        await LockAsync("h_locked", DateTimeOffset.MaxValue);
        var hasher = new CountingHasher();
        await using var factory = app.Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IPasswordHasher<AppUser>>(hasher)));
        using var client = factory.CreateClient();

        foreach (var (user, password) in new[]
        {
            ("h_nobody", WrongPassword),
            ("h_wrong", WrongPassword),
            ("h_locked", AppFixture.DemoPassword),
            ("h_inactive", AppFixture.DemoPassword),
            (new string('y', 300), WrongPassword),
        })
        {
            var before = hasher.Verifications;
            var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password });
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.True(hasher.Verifications - before == 1, $"{user[..Math.Min(user.Length, 10)]}: {hasher.Verifications - before} verifications");
        }

        // And the dummy is checked only where there is nothing real to check: a wrong password checks the account's own hash.
        Assert.Equal(4, hasher.DummyVerifications);
    }

    private sealed class CountingHasher : IPasswordHasher<AppUser>
    {
        private readonly PasswordHasher<AppUser> _real = new();
        private int _verifications;
        private int _dummy;

        public int Verifications => _verifications;

        public int DummyVerifications => _dummy;

        public string HashPassword(AppUser user, string password) => _real.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            if (user.Id == Guid.Empty)
            {
                Interlocked.Increment(ref _dummy); // the dummy account has no id
            }

            return _real.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    private Task<int> LockAsync(string userName, DateTimeOffset? until) =>
        app.DbAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.UserName == userName);
            user.LockoutEnd = until;
            return await db.SaveChangesAsync();
        });

    private Task<Guid> InactiveUnitAsync(string name) =>
        app.DbAsync(async db =>
        {
            var unit = new Organisation { Id = Guid.NewGuid(), Name = "停用单位" + name, Kind = OrganisationKind.BudgetUnit, IsActive = false };
            db.Organisations.Add(unit);
            await db.SaveChangesAsync();
            return unit.Id;
        });

    // Every problem carries its request's trace id; the rest must be equal.
    private static string WithoutTraceId(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node.Remove("traceId");
        return node.ToJsonString();
    }

    private static string Error(string html) => ErrorPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : "(no error shown)";

    [GeneratedRegex("<div class=\"errors\" role=\"alert\">([^<]*)</div>")]
    private static partial Regex ErrorPattern();
}
