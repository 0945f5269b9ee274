using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Workflows;
using BudgetEval.Web.Infrastructure.Jobs;
using BudgetEval.Web.Notifications;
using BudgetEval.Web.Reminders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using static BudgetEval.Tests.Reminders.ReminderTestKit;

namespace BudgetEval.Tests.Notifications;

/// <summary>The whole chain on a clustered jobs node: Quartz fires the sweep, then delivery, into maildev.</summary>
[Collection(MailDevCollection.Name)]
public sealed class QuartzReminderTests
{
    [Fact]
    public async Task Given_a_jobs_node_with_smtp_When_quartz_fires_the_sweep_and_delivery_Then_the_reminder_mail_arrives_once()
    {
        await MailDev.ClearAsync();
        var (host, port) = MailDev.Smtp;
        await using var database = await TestDatabase.CreateAsync();
        var clock = new TestClock(AppFactory.DefaultNow);
        await using var node = new AppFactory(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Node:Jobs"] = "true",
            ["Email:Mode"] = "Smtp",
            ["Email:Host"] = host,
            ["Email:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, clock);
        _ = node.Server;

        var api = new CaseApi(async user =>
        {
            var client = node.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await AppFixture.TokenAsync(client, user));
            return client;
        });
        // The demo plan's own cases are long overdue and get reminders too: count only this case's.
        var (_, caseId) = await api.CreateAsync(deadline: new DateOnly(2026, 3, 10));
        var ledgerOfCase = $"SELECT count(*) FROM budgeteval.reminder_ledger l JOIN budgeteval.work_items w ON w.\"Id\" = l.\"WorkItemId\" WHERE w.\"InstanceId\" = '{caseId}'";
        const string Subject = "【预算绩效】催办提醒：2025年度部门整体支出绩效自评 将于2026年3月10日到期";
        clock.Set(Beijing(2026, 3, 5)); // before-3

        var scheduler = node.Services.GetRequiredKeyedService<IScheduler>(JobsSetup.SchedulerName);
        await scheduler.TriggerJob(ReminderSweepJob.Key);
        await WaitAsync(() => Scalar(database, ledgerOfCase), 1);
        await scheduler.TriggerJob(OutboxDeliveryJob.Key);
        await WaitAsync(async () => (await MailDev.EmailsAsync()).Count(m => m.Subject == Subject), 1);

        await scheduler.TriggerJob(ReminderSweepJob.Key);
        await scheduler.TriggerJob(OutboxDeliveryJob.Key);
        await Task.Delay(2000);
        var reminders = (await MailDev.EmailsAsync()).Where(m => m.Subject == Subject).ToList();
        var mail = Assert.Single(reminders);
        Assert.Equal("unit@demo.budgeteval.local", mail.To);

        // The dashboard's run log names the Quartz node that ran the sweep.
        using var scope = node.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BudgetEval.Web.Infrastructure.Data.AppDbContext>();
        var run = await db.JobRuns.Where(r => r.Job == ReminderSweepJob.Key.Name).OrderBy(r => r.Id).FirstAsync();
        Assert.True(run.Succeeded);
        Assert.Equal(scheduler.SchedulerInstanceId, run.Node);
        Assert.Equal(1, await db.Outbox.CountAsync(m => m.Status == OutboxStatus.Sent && m.Event == nameof(NotificationEvent.Reminder) && m.Subject == Subject));
    }

    private static async Task<int> Scalar(TestDatabase database, string sql) => (int)await database.ScalarAsync<long>(sql);

    private static async Task WaitAsync(Func<Task<int>> probe, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && await probe() < expected)
        {
            await Task.Delay(200);
        }

        Assert.Equal(expected, await probe());
    }
}
