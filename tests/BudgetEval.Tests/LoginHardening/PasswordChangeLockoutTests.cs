using System.Net;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Audit;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.LoginHardening;

/// <summary>
/// 修改密码 counts a wrong current password like a wrong password at login: someone holding a live session cannot
/// guess the current password freely. At the lockout threshold the account locks and its sessions end.
/// </summary>
public sealed class PasswordChangeLockoutTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string NewPassword = "Xin@Mima2026";

    [Fact]
    public async Task Given_a_signed_in_session_When_the_current_password_is_wrong_five_times_Then_the_account_locks_and_the_session_ends()
    {
        await app.CreateUnitUserAsync("borrowed");
        using var session = await app.SignInAsync("borrowed");
        using var otherDevice = await app.SignInAsync("borrowed");

        for (var i = 1; i <= 4; i++)
        {
            var wrong = await ChangeAsync(session, $"Guess@2026!{i}", NewPassword);
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Contains($"「当前密码」：不正确。再输错 {5 - i} 次，账户将锁定 15 分钟并退出登录。", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(i, await app.DbAsync(db => db.Users.Where(u => u.UserName == "borrowed").Select(u => u.AccessFailedCount).SingleAsync()));
        }

        var fifth = await ChangeAsync(session, "Guess@2026!5", NewPassword);

        Assert.Equal(HttpStatusCode.Redirect, fifth.StatusCode);
        Assert.Equal("/login", fifth.Headers.Location!.OriginalString);
        var login = await session.GetStringAsync("/login");
        Assert.Contains("当前密码连续输错次数过多，账户已锁定 15 分钟，您已退出登录。", login, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await session.GetAsync("/")).StatusCode);

        var lockoutEnd = await app.DbAsync(db => db.Users.Where(u => u.UserName == "borrowed").Select(u => u.LockoutEnd).SingleAsync());
        Assert.NotNull(lockoutEnd);
        Assert.InRange(lockoutEnd.Value - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15.5));

        // The password did not change, and the account refuses even the right one now, with the uniform answer.
        using var fresh = app.Anonymous();
        var relogin = await AppFixture.PostLoginFormAsync(fresh, "borrowed", AppFixture.DemoPassword);
        Assert.Equal(HttpStatusCode.OK, relogin.StatusCode);
        Assert.Contains("用户名或密码错误", await relogin.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Every other session of the account ends too (within the stamp check's minute).
        await app.Clock.LaterAsync(TimeSpan.FromMinutes(2), async () =>
            Assert.Equal(HttpStatusCode.Redirect, (await otherDevice.GetAsync("/")).StatusCode));

        var audit = await app.DbAsync(db => db.AuditEntries.Where(a => a.Target == "borrowed").ToListAsync());
        Assert.Equal(5, audit.Count(a => a.Action == AuditActions.PasswordChangeFailed && a.Detail == "当前密码错误" && a.ActorName == "测试用户（borrowed）"));
        Assert.Single(audit, a => a.Action == AuditActions.LockedOut && a.Detail == "修改密码时连续输错当前密码，锁定 15 分钟");
        Assert.DoesNotContain(audit, a => a.Action == AuditActions.PasswordChanged);
    }

    [Fact]
    public async Task Given_wrong_current_passwords_When_the_right_one_follows_before_the_limit_Then_the_password_changes_and_the_count_starts_again()
    {
        await app.CreateUnitUserAsync("typo2");
        using var session = await app.SignInAsync("typo2");
        for (var i = 0; i < 4; i++)
        {
            await ChangeAsync(session, "Guess@2026!x", NewPassword);
        }

        var changed = await ChangeAsync(session, AppFixture.DemoPassword, NewPassword);

        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal("/", changed.Headers.Location!.OriginalString);
        Assert.Equal(0, await app.DbAsync(db => db.Users.Where(u => u.UserName == "typo2").Select(u => u.AccessFailedCount).SingleAsync()));
        using var fresh = app.Anonymous();
        Assert.Equal(HttpStatusCode.Redirect, (await AppFixture.PostLoginFormAsync(fresh, "typo2", NewPassword)).StatusCode);
    }

    private static async Task<HttpResponseMessage> ChangeAsync(HttpClient client, string current, string next)
    {
        var page = await client.GetStringAsync("/account/password");
        return await client.PostAsync("/account/password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["CurrentPassword"] = current,
            ["NewPassword"] = next,
            ["ConfirmPassword"] = next,
            ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(page),
        }));
    }
}
