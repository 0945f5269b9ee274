using System.Diagnostics;
using System.Net;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Infrastructure.Hosting;
using BudgetEval.Web.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.Hosting;

/// <summary>
/// Operators' faults on real parts (own PostgreSQL cluster, own maildev, the app as a process): a graceful stop
/// during mail delivery, PostgreSQL down while a user is signed in or while a jobs node starts, a wrong
/// Email:Host, and the backup's file mode.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class OperationsFaultTests
{
    private const string Subject = "【催办】停机测试 ";

    [Fact]
    public async Task Given_a_jobs_node_delivering_mail_When_it_is_stopped_with_SIGTERM_and_restarted_Then_no_mail_is_sent_twice()
    {
        await using var cluster = await PrivateCluster.StartAsync();
        var smtp = PrivateCluster.FreePort();
        await using var maildev = new PrivateMailDev(smtp);
        await maildev.StartAsync();
        var settings = Settings(cluster, "jobs-a", smtp);
        await using (var first = await AppProcess.StartAsync(settings))
        {
            const int total = 1500;
            await cluster.ExecuteAsync($"""
                INSERT INTO budgeteval.outbox ("Id", "ToAddress", "ToName", "Event", "Subject", "Html", "Text", "Status", "Attempts", "NextAttemptAt", "CreatedAt")
                SELECT gen_random_uuid(), 'user' || n || '@example.gov.cn', '测试用户', 'stop-test', '{Subject}' || n, '<p>请办理。</p>', '请办理。', 'Pending', 0, now(), now()
                FROM generate_series(1, {total}) n
                """);

            // Stop while delivery is in full flow.
            var until = DateTime.UtcNow.AddSeconds(90);
            while ((await maildev.MailsAsync()).Count < total / 20)
            {
                Assert.True(DateTime.UtcNow < until, "delivery did not start");
                await Task.Delay(50);
            }

            var took = await first.TerminateAsync(TimeSpan.FromSeconds(60));
            Assert.True(first.ExitCode == 0, $"exit {first.ExitCode}:\n{first.Output}");
            Assert.True(took < AppComposition.ShutdownTimeout, $"stop took {took}");
            Assert.DoesNotContain("gave up waiting", first.Output, StringComparison.OrdinalIgnoreCase);

            // Everything that reached the server is recorded as Sent: nothing is left to be sent again.
            var received = (await maildev.MailsAsync()).Count(m => m.Subject.StartsWith(Subject, StringComparison.Ordinal));
            var recorded = await cluster.ScalarAsync<long>("SELECT count(*) FROM budgeteval.outbox WHERE \"Status\" = 'Sent' AND \"Event\" = 'stop-test'");
            Assert.True(received < total, "delivery finished before the stop; queue more mail");
            Assert.True(received == (int)recorded, $"{received} received, {recorded} recorded as sent:\n{first.Output[^Math.Min(4000, first.Output.Length)..]}");
        }

        await using var second = await AppProcess.StartAsync(settings);
        var deadline = DateTime.UtcNow.AddSeconds(180);
        while (await cluster.ScalarAsync<long>("SELECT count(*) FROM budgeteval.outbox WHERE \"Status\" <> 'Sent'") > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the restarted node did not finish delivery");
            await Task.Delay(500);
        }

        var mails = (await maildev.MailsAsync()).Where(m => m.Subject.StartsWith(Subject, StringComparison.Ordinal)).ToList();
        var twice = mails.GroupBy(m => m.MessageId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twice.Count == 0, $"{twice.Count} Message-IDs delivered twice, e.g. {twice.FirstOrDefault()}");
        Assert.Equal(mails.Count, mails.Select(m => m.Subject).Distinct().Count());
    }

    [Fact]
    public async Task Given_postgresql_down_When_a_jobs_node_starts_Then_it_waits_and_starts_once_the_database_is_back()
    {
        await using var cluster = await PrivateCluster.StartAsync();
        var settings = Settings(cluster, "jobs-a", PrivateCluster.FreePort());
        await using (var migrate = await AppProcess.StartAsync(settings))
        {
        }

        await cluster.StopServerAsync();
        var starting = AppProcess.StartAsync(new Dictionary<string, string>(settings) { ["Node__Migrate"] = "false" });
        await Task.Delay(TimeSpan.FromSeconds(12)); // the old behaviour: Quartz gave up after ~6 s
        Assert.False(starting.IsFaulted, starting.Exception?.ToString());
        await cluster.StartServerAsync();
        await using var node = await starting.WaitAsync(TimeSpan.FromSeconds(90));
        Assert.Contains("not reachable at start-up", node.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_signed_in_user_When_postgresql_is_down_Then_pages_answer_a_chinese_503_page_without_the_database()
    {
        await using var cluster = await PrivateCluster.StartAsync();
        await using var node = await AppProcess.StartAsync(new Dictionary<string, string>(Settings(cluster, "web-a", PrivateCluster.FreePort())) { ["Node__Jobs"] = "false", ["Node__Web"] = "true" });
        using var client = node.Client(handleCookies: true);
        Assert.Equal(HttpStatusCode.Redirect, (await AppFixture.PostLoginFormAsync(client, "finance", AppFixture.DemoPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/inbox")).StatusCode);

        await cluster.StopServerAsync();
        var page = await client.GetAsync("/inbox");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Contains("数据库暂时不可用，请稍后重试", html, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"zh-CN\">", html, StringComparison.Ordinal);
        Assert.NotNull(page.Headers.RetryAfter);
        await cluster.StartServerAsync();
    }

    [Fact]
    public async Task Given_Smtp_mode_with_an_empty_host_When_delivery_runs_Then_the_attempt_is_counted_and_the_error_names_Email_Host()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var node = new AppFactory(database.ConnectionString);
        _ = node.Server;
        var id = Guid.NewGuid();
        await database.ScalarAsync<int>($"""
            INSERT INTO budgeteval.outbox ("Id", "ToAddress", "ToName", "Event", "Subject", "Html", "Text", "Status", "Attempts", "NextAttemptAt", "CreatedAt")
            VALUES ('{id}', 'a@example.gov.cn', '甲', 'config-test', '配置测试', '<p>x</p>', 'x', 'Pending', 0, now() - interval '1 hour', now()) RETURNING 1
            """);
        var delivery = node.Services.GetRequiredService<OutboxDelivery>().With(new EmailOptions { Mode = "Smtp", Host = string.Empty, DeliveryWorkers = 1 });

        await delivery.RunAsync(CancellationToken.None);

        using var scope = node.Services.CreateScope();
        var row = await scope.ServiceProvider.GetRequiredService<BudgetEval.Web.Infrastructure.Data.AppDbContext>().Outbox.AsNoTracking().SingleAsync(m => m.Id == id);
        Assert.Equal(1, row.Attempts);
        Assert.Equal(OutboxStatus.Pending, row.Status);
        Assert.Contains("Email:Host", row.LastError, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Given_a_backup_When_it_is_written_Then_only_its_owner_can_read_it()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using (var node = new AppFactory(database.ConnectionString))
        {
            _ = node.Server;
        }

        var dir = Directory.CreateTempSubdirectory("budgeteval-backup-");
        try
        {
            var files = Directory.CreateDirectory(Path.Combine(dir.FullName, "files"));
            await File.WriteAllTextAsync(Path.Combine(files.FullName, "a.txt"), "x");
            var dump = Path.Combine(dir.FullName, "b.dump");
            var conninfo = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString);
            var psi = new ProcessStartInfo("bash", [RepositoryFiles.PathOf("deploy/backup.sh"), $"host={conninfo.Host} port={conninfo.Port} dbname={conninfo.Database} user={conninfo.Username}", dump, files.FullName])
            { RedirectStandardError = true, RedirectStandardOutput = true };
            using (var process = Process.Start(psi)!)
            {
                var error = await process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync();
                Assert.True(process.ExitCode == 0, error);
            }

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dump));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dump + ".files.tar.gz"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static Dictionary<string, string> Settings(PrivateCluster cluster, string name, int smtpPort) => new()
    {
        ["ConnectionStrings__Default"] = cluster.ConnectionString(name),
        ["Demo__Seed"] = "true",
        ["Node__Name"] = name,
        ["Node__Web"] = "false",
        ["Node__Jobs"] = "true",
        ["Email__Mode"] = "Smtp",
        ["Email__Host"] = "127.0.0.1",
        ["Email__Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email__DeliveryWorkers"] = "8",
        ["Email__TimeoutSeconds"] = "10",
        ["Logging__LogLevel__BudgetEval"] = "Information",
    };
}
