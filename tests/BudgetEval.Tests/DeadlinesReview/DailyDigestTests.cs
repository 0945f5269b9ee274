using System.Net;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Workflows;
using BudgetEval.Web.Notifications;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.DeadlinesReview;

/// <summary>每日汇总: one morning mail listing what waited, once; none for an account locked in between.</summary>
public sealed class DailyDigestTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_head_on_the_daily_digest_When_the_digest_runs_twice_Then_one_mail_lists_the_waiting_notices_and_a_locked_account_gets_none()
    {
        app.Clock.Set(AppFactory.DefaultNow);
        var head = await app.SignInAsync("unithead");
        var settings = await head.GetStringAsync("/notifications/settings");
        var save = await head.PostAsync("/notifications/settings", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["EmailMode"] = nameof(EmailMode.DailyDigest),
            ["NonEssentialEmail"] = "true",
            ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(settings),
        }));
        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);

        // 提交 asks the unit head to review (待办): into the digest, not mailed at once.
        var before = await MailsToAsync("unithead@demo.budgeteval.local"); // the demo's own, mailed at once
        var api = new CaseApi(app);
        var (_, caseId) = await api.CreateAsync();
        await api.FireOkAsync("unit", caseId, "submit");
        Assert.Equal(before, await MailsToAsync("unithead@demo.budgeteval.local"));

        Assert.Equal(1, await DigestAsync());
        Assert.Equal(0, await DigestAsync()); // nothing waits any more
        var mail = await app.DbAsync(db => db.Outbox.SingleAsync(m => m.ToAddress == "unithead@demo.budgeteval.local" && m.Event == nameof(NotificationEvent.Digest)));
        Assert.Equal("【预算绩效】每日通知汇总（2026年3月2日，共1条）", mail.Subject);
        Assert.Contains($"/cases/{caseId}", mail.Text, StringComparison.Ordinal);

        // Another notice waits; the administrator locks the account before 08:00: no mail, the flag is cleared.
        var (_, second) = await api.CreateAsync();
        await api.FireOkAsync("unit", second, "submit");
        await app.DbAsync(async db =>
        {
            using var scope = app.Factory.Services.CreateScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = await users.FindByNameAsync("unithead");
            return (await users.SetLockoutEndDateAsync(user!, DateTimeOffset.MaxValue)).Succeeded;
        });
        Assert.Equal(0, await DigestAsync());
        Assert.Equal(before + 1, await MailsToAsync("unithead@demo.budgeteval.local"));
        Assert.False(await app.DbAsync(db => db.Notifications.AnyAsync(n => n.DigestPending)));
    }

    private async Task<int> DigestAsync()
    {
        using var scope = app.Factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<DigestJob>().RunAsync(CancellationToken.None);
    }

    private Task<int> MailsToAsync(string address) => app.DbAsync(db => db.Outbox.CountAsync(m => m.ToAddress == address));
}
