using System.Net;
using System.Net.Http.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Workflows;
using BudgetEval.Web.Infrastructure.Hosting;
using BudgetEval.Web.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.Notifications;

/// <summary>The outbox delivered to a real SMTP server (maildev), read back through maildev's HTTP API.</summary>
[Collection(MailDevCollection.Name)]
public sealed class MailDeliveryTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string ReminderSubject = "【预算绩效】催办：2025年度部门整体支出绩效自评";

    [Fact]
    public async Task Given_the_smtp_server_is_down_When_delivery_runs_Then_mails_queue_and_when_it_is_back_each_arrives_once_with_its_chinese_subject()
    {
        await MailDev.ClearAsync();
        app.Clock.Set(AppFactory.DefaultNow);
        var markers = await QueueManualRemindersAsync(3);

        var down = await DeliverAsync(Smtp(MailDev.ClosedPort()));
        Assert.Equal(0, down.Sent);
        var queued = await app.DbAsync(db => db.Outbox.AsNoTracking().Where(m => m.Status == OutboxStatus.Pending && m.Attempts > 0).ToListAsync());
        Assert.True(queued.Count >= 3, $"expected the mails to wait in the outbox, found {queued.Count}");
        Assert.All(queued, m => Assert.False(string.IsNullOrEmpty(m.LastError)));
        Assert.All(queued, m => Assert.True(m.NextAttemptAt > app.Clock.GetUtcNow(), "retry is scheduled later"));
        Assert.Empty(Mine(await MailDev.EmailsAsync(), markers));

        // Still before the retry time: nothing is attempted.
        Assert.Equal(new DeliveryResult(0, 0, 0), await DeliverAsync(Smtp(MailDev.Smtp.Port)));

        app.Clock.Advance(TimeSpan.FromHours(2));
        var up = await DeliverAsync(Smtp(MailDev.Smtp.Port));
        Assert.True(up.Sent >= 3);
        Assert.Equal(new DeliveryResult(0, 0, 0), await DeliverAsync(Smtp(MailDev.Smtp.Port)));

        var received = Mine(await MailDev.EmailsAsync(), markers);
        foreach (var marker in markers)
        {
            var mail = Assert.Single(received, m => m.Text.Contains(marker, StringComparison.Ordinal));
            Assert.Equal(ReminderSubject, mail.Subject);
            Assert.Equal("unit@demo.budgeteval.local", mail.To);
            Assert.Contains("张晓燕，您好", mail.Text, StringComparison.Ordinal);
            Assert.Contains(marker, mail.Html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Given_two_delivery_instances_When_they_run_at_once_Then_each_mail_arrives_once()
    {
        await MailDev.ClearAsync();
        app.Clock.Set(AppFactory.DefaultNow);
        var markers = await QueueManualRemindersAsync(12);
        await using var second = new AppFactory(app.Database.ConnectionString, clock: app.Clock);
        _ = second.Server;

        var options = Smtp(MailDev.Smtp.Port);
        options.DeliveryWorkers = 3;
        var results = await Task.WhenAll(
            Task.Run(() => app.Factory.Services.GetRequiredService<OutboxDelivery>().With(options).RunAsync(CancellationToken.None)),
            Task.Run(() => second.Services.GetRequiredService<OutboxDelivery>().With(options).RunAsync(CancellationToken.None)));

        Assert.True(results.Sum(r => r.Sent) >= 12);
        var received = Mine(await MailDev.EmailsAsync(), markers);
        Assert.All(markers, marker => Assert.Single(received, m => m.Text.Contains(marker, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Given_a_message_that_keeps_failing_When_its_attempts_run_out_Then_it_shows_as_failed_on_the_dashboard_and_a_retry_delivers_it()
    {
        await MailDev.ClearAsync();
        app.Clock.Set(AppFactory.DefaultNow);
        await DeliverAsync(Smtp(MailDev.Smtp.Port)); // nothing else pending
        var marker = (await QueueManualRemindersAsync(1)).Single();
        var id = await app.DbAsync(db => db.Outbox.Where(m => m.Status == OutboxStatus.Pending && m.Text.Contains(marker)).Select(m => m.Id).SingleAsync());

        var failing = Smtp(MailDev.ClosedPort());
        failing.MaxAttempts = 3;
        for (var i = 0; i < 3; i++)
        {
            await DeliverAsync(failing);
            app.Clock.Advance(TimeSpan.FromHours(2));
        }

        var row = await app.DbAsync(db => db.Outbox.AsNoTracking().SingleAsync(m => m.Id == id));
        Assert.Equal(OutboxStatus.Failed, row.Status);
        Assert.Equal(3, row.Attempts);

        var officer = await app.SignInAsync("finance");
        var officerPage = await officer.GetStringAsync("/admin/jobs");
        Assert.Contains(ReminderSubject, officerPage, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Retry", officerPage, StringComparison.Ordinal); // read-only for the officer

        var admin = await app.SignInAsync("admin");
        var page = await admin.GetStringAsync("/admin/jobs");
        Assert.Contains(row.LastError!, WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        var denied = await officer.PostAsync($"/admin/jobs?handler=Retry&id={id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(officerPage),
        }));
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode); // a refused action
        Assert.Equal(OutboxStatus.Failed, await app.DbAsync(db => db.Outbox.Where(m => m.Id == id).Select(m => m.Status).SingleAsync()));

        var retry = await admin.PostAsync($"/admin/jobs?handler=Retry&id={id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(page),
        }));
        Assert.Equal(HttpStatusCode.Redirect, retry.StatusCode);

        Assert.Equal(OutboxStatus.Pending, await app.DbAsync(db => db.Outbox.Where(m => m.Id == id).Select(m => m.Status).SingleAsync()));
        await DeliverAsync(Smtp(MailDev.Smtp.Port));
        Assert.Equal(OutboxStatus.Sent, await app.DbAsync(db => db.Outbox.Where(m => m.Id == id).Select(m => m.Status).SingleAsync()));
        Assert.Single(Mine(await MailDev.EmailsAsync(), [marker]));
    }

    [Fact]
    public async Task Given_a_subject_with_a_line_break_and_an_invalid_address_When_delivered_Then_the_first_goes_as_one_line_the_second_fails_at_once_and_others_still_go()
    {
        await MailDev.ClearAsync();
        app.Clock.Set(AppFactory.DefaultNow);
        await DeliverAsync(Smtp(MailDev.Smtp.Port)); // nothing else pending
        var markers = await QueueManualRemindersAsync(3);
        var ids = await app.DbAsync(db => db.Outbox.Where(m => m.Status == OutboxStatus.Pending).OrderBy(m => m.CreatedAt).Select(m => m.Id).ToListAsync());
        Assert.Equal(3, ids.Count);
        // What a unit can type into a title through the API, and an address no SMTP server takes.
        await app.DbAsync(db => db.Outbox.Where(m => m.Id == ids[0]).ExecuteUpdateAsync(u => u.SetProperty(m => m.Subject, "【预算绩效】毒邮件测试\r\nX: y")));
        await app.DbAsync(db => db.Outbox.Where(m => m.Id == ids[1]).ExecuteUpdateAsync(u => u.SetProperty(m => m.ToAddress, "not an address")));

        var options = Smtp(MailDev.Smtp.Port);
        options.DeliveryWorkers = 1;
        var result = await DeliverAsync(options);

        Assert.Equal(new DeliveryResult(2, 0, 1), result);
        var broken = await app.DbAsync(db => db.Outbox.AsNoTracking().SingleAsync(m => m.Id == ids[1]));
        Assert.Equal((OutboxStatus.Failed, 1), (broken.Status, broken.Attempts)); // not retried: it can never be sent
        Assert.False(string.IsNullOrEmpty(broken.LastError));
        var received = Mine(await MailDev.EmailsAsync(), markers);
        Assert.Equal(2, received.Count);
        Assert.Contains(received, m => m.Subject == "【预算绩效】毒邮件测试  X: y");
    }

    private static EmailOptions Smtp(int port) => new()
    {
        Mode = "Smtp",
        Host = MailDev.Smtp.Host,
        Port = port,
        RetryBaseSeconds = 60,
        MaxAttempts = 6,
        DeliveryWorkers = 2,
        TimeoutSeconds = 10,
    };

    private Task<DeliveryResult> DeliverAsync(EmailOptions options) =>
        app.Factory.Services.GetRequiredService<OutboxDelivery>().With(options).RunAsync(CancellationToken.None);

    /// <summary>Queues one 催办 mail per case, each with a unique marker in its message.</summary>
    private async Task<List<string>> QueueManualRemindersAsync(int count)
    {
        var api = new CaseApi(app);
        var finance = await app.ApiAsync("finance");
        var markers = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var (_, caseId) = await api.CreateAsync();
            var marker = "请尽快提交-" + Guid.NewGuid().ToString("N")[..8];
            var response = await finance.PostAsJsonAsync($"/api/cases/{caseId}/remind", new { message = marker });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            markers.Add(marker);
        }

        return markers;
    }

    private static List<(string To, string Subject, string Text, string Html)> Mine(IEnumerable<(string To, string Subject, string Text, string Html)> mails, IReadOnlyCollection<string> markers) =>
        mails.Where(m => markers.Any(k => m.Text.Contains(k, StringComparison.Ordinal))).ToList();
}
