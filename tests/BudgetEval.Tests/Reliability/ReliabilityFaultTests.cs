using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using Npgsql;

namespace BudgetEval.Tests.Reliability;

/// <summary>
/// Faults on real parts. Each test has its own PostgreSQL cluster, maildev and app processes (the run's
/// shared cluster and maildev serve other classes in parallel), stops or kills them, and then checks
/// that nothing was lost, nothing duplicated and nothing left half done.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class ReliabilityFaultTests
{
    [Fact]
    public async Task Given_users_acting_When_postgresql_restarts_Then_requests_fail_in_chinese_or_succeed_nothing_is_half_done_and_the_app_recovers()
    {
        await using var cluster = await PrivateCluster.StartAsync();
        await using var node = await AppProcess.StartAsync(Settings(cluster, "node-a", seed: true, jobs: true, smtpPort: PrivateCluster.FreePort()));
        var unit = await ApiAsync(node, "unit");
        var head = await ApiAsync(node, "unithead");

        var answers = new System.Collections.Concurrent.ConcurrentBag<(int Status, string Body, bool RetryAfter)>();
        using var stop = new CancellationTokenSource();
        async Task ActAsync(HttpClient client, HttpClient approver)
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var created = await client.PostAsJsonAsync("/api/self-evaluations", new { title = "重启测试", fiscalYear = 2025, deadline = "2026-12-31", summary = "概述", totalBudget = 10m });
                    answers.Add(((int)created.StatusCode, await created.Content.ReadAsStringAsync(), created.Headers.RetryAfter is not null));
                    if (created.StatusCode != HttpStatusCode.Created)
                    {
                        await Task.Delay(200);
                        continue;
                    }

                    using var json = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
                    var caseId = json.RootElement.GetProperty("caseId").GetGuid();
                    foreach (var (who, action, version) in new[] { (client, "submit", 1), (approver, "approve", 2) })
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/cases/{caseId}/actions/{action}") { Content = JsonContent.Create(new { expectedVersion = version }) };
                        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
                        var fired = await who.SendAsync(request);
                        answers.Add(((int)fired.StatusCode, await fired.Content.ReadAsStringAsync(), fired.Headers.RetryAfter is not null));
                    }
                }
                catch (HttpRequestException e)
                {
                    answers.Add((0, e.Message, false)); // the connection itself failed: the process must still be up (checked below)
                }
            }
        }

        var users = new[] { ActAsync(unit, head), ActAsync(unit, head), ActAsync(unit, head) };
        await Task.Delay(TimeSpan.FromSeconds(3));
        await cluster.StopServerAsync();
        await Task.Delay(TimeSpan.FromSeconds(6));
        await cluster.StartServerAsync();
        await Task.Delay(TimeSpan.FromSeconds(8));
        await stop.CancelAsync();
        await Task.WhenAll(users);

        // Every answer is a success, a conflict/refusal of the workflow, or the Chinese "database unavailable".
        var unexpected = answers.Where(a => a.Status is not (200 or 201 or 409 or 422) && !(a.Status == 503 && a.Body.Contains("数据库暂时不可用", StringComparison.Ordinal))).ToList();
        Assert.True(unexpected.Count == 0, "unexpected answers: " + string.Join(" | ", unexpected.Take(5).Select(a => $"{a.Status} {a.Body[..Math.Min(200, a.Body.Length)]}")));
        Assert.Contains(answers, a => a.Status == 503);
        Assert.All(answers.Where(a => a.Status == 503), a => Assert.True(a.RetryAfter, "a 503 without Retry-After"));
        Assert.Contains(answers, a => a.Status == 201);

        // Recovered without a restart: health and a new request succeed.
        using (var anonymous = node.Client())
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        }

        var after = await unit.PostAsJsonAsync("/api/self-evaluations", new { title = "恢复后", fiscalYear = 2025, deadline = "2026-12-31", summary = "概述", totalBudget = 10m });
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);

        await AssertNoHalfDoneTransitionsAsync(cluster);
    }

    [Fact]
    public async Task Given_two_jobs_nodes_When_one_is_killed_in_the_middle_of_outbox_delivery_Then_every_mail_arrives_and_a_resent_copy_keeps_its_message_id()
    {
        await using var cluster = await PrivateCluster.StartAsync();
        var smtp = PrivateCluster.FreePort();
        await using var maildev = new PrivateMailDev(smtp);
        await maildev.StartAsync();
        await using var nodeA = await AppProcess.StartAsync(Settings(cluster, "node-a", seed: true, jobs: true, smtpPort: smtp));
        await using var nodeB = await AppProcess.StartAsync(Settings(cluster, "node-b", seed: false, jobs: true, smtpPort: smtp));

        const int total = 600;
        await QueueMailsAsync(cluster, total);

        // Kill whichever node is delivering once part of the mail has arrived.
        var killed = await KillDeliveringNodeAsync(cluster, maildev, nodeA, nodeB, total);

        await WaitForAsync(async () => await cluster.ScalarAsync<long>("SELECT count(*) FROM budgeteval.outbox WHERE \"Status\" <> 'Sent'") == 0, TimeSpan.FromSeconds(180));
        var mails = (await maildev.MailsAsync()).Where(m => m.Subject.StartsWith(TestSubject, StringComparison.Ordinal)).ToList();
        var perSubject = mails.GroupBy(m => m.Subject).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(total, perSubject.Count); // nothing lost
        var duplicates = perSubject.Values.Where(v => v.Count > 1).ToList();

        // At-least-once is all SMTP allows: only mails in flight on the killed node at the kill may come twice
        // (at most one per delivery worker), and then with the same Message-ID so the receiver can drop it.
        Assert.True(duplicates.Count <= 2, $"{duplicates.Count} duplicated mails after killing {killed}");
        Assert.All(duplicates, d => Assert.Single(d.Select(m => m.MessageId).Distinct()));
        Assert.All(mails, m => Assert.EndsWith("@budgeteval", m.MessageId.TrimEnd('>'), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Given_two_jobs_nodes_When_one_is_killed_in_the_middle_of_the_reminder_sweep_Then_each_reminder_is_given_once()
    {
        await using var cluster = await PrivateCluster.StartAsync();
        var smtp = PrivateCluster.FreePort();
        await using var maildev = new PrivateMailDev(smtp);
        await maildev.StartAsync();
        // Monday 2026-03-02 09:00 in Beijing, a working day: tasks due the next day owe their 1-day reminder.
        var monday = new Dictionary<string, string> { ["Testing__Now"] = "2026-03-02T01:00:00Z" };
        await using var nodeA = await AppProcess.StartAsync(Settings(cluster, "node-a", seed: true, jobs: true, smtpPort: smtp).Concat(monday).ToDictionary());
        var unit = await ApiAsync(nodeA, "unit");
        for (var i = 0; i < 30; i++)
        {
            var created = await unit.PostAsJsonAsync("/api/self-evaluations", new { title = $"催办测试{i}", fiscalYear = 2025, deadline = "2026-03-03", summary = "概述", totalBudget = 10m });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        // Hold the ledger so node A's sweep claims its batch and then waits inside its transaction; kill it there.
        await using var holder = new NpgsqlConnection(cluster.ConnectionString("test-holder") + ";Pooling=false");
        await holder.OpenAsync();
        var hold = await holder.BeginTransactionAsync();
        await using (var lockLedger = new NpgsqlCommand("LOCK TABLE budgeteval.reminder_ledger IN EXCLUSIVE MODE", holder, hold))
        {
            await lockLedger.ExecuteNonQueryAsync();
        }

        await using var nodeB = await AppProcess.StartAsync(Settings(cluster, "node-b", seed: false, jobs: true, smtpPort: smtp).Concat(monday).ToDictionary());
        await cluster.ExecuteAsync("UPDATE budgeteval.work_items SET \"NextReminderAt\" = '2026-03-02T00:00:00Z' WHERE \"Status\" = 'Open'");

        // Whichever node the cluster gave this minute's sweep now waits inside its batch: kill that one.
        string? sweeping = null;
        await WaitForAsync(async () => (sweeping = await cluster.ScalarAsync<string?>(
            "SELECT max(application_name) FROM pg_stat_activity WHERE application_name IN ('node-a', 'node-b') AND wait_event_type = 'Lock'")) is not null, TimeSpan.FromSeconds(90));
        await (sweeping == "node-a" ? nodeA : nodeB).KillAsync(); // SIGKILL, mid-batch
        await hold.RollbackAsync();

        await WaitForAsync(async () => await cluster.ScalarAsync<long>("SELECT count(*) FROM budgeteval.work_items WHERE \"Status\" = 'Open' AND \"NextReminderAt\" <= '2026-03-02T00:00:00Z'") == 0
            && await cluster.ScalarAsync<long>("SELECT count(*) FROM budgeteval.outbox WHERE \"Status\" <> 'Sent'") == 0, TimeSpan.FromSeconds(150));

        var ledger = await cluster.ScalarAsync<long>("SELECT count(*) FROM budgeteval.reminder_ledger");
        Assert.True(ledger >= 30, $"only {ledger} reminders were given for 30 due tasks");
        Assert.Equal(0L, await cluster.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT 1 FROM budgeteval.reminder_ledger GROUP BY \"WorkItemId\", \"Stage\", \"Day\", \"RecipientUserId\" HAVING count(*) > 1) d"));
        var mails = await maildev.MailsAsync();
        Assert.Equal(mails.Count, mails.Select(m => m.MessageId).Distinct().Count()); // each outbox row mailed once
        Assert.Equal(await cluster.ScalarAsync<long>("SELECT count(*) FROM budgeteval.outbox"), mails.Count);
    }

    [Fact]
    public async Task Given_the_smtp_server_down_for_a_long_stretch_When_it_returns_Then_every_mail_is_delivered_exactly_once()
    {
        await using var cluster = await PrivateCluster.StartAsync();
        var smtp = PrivateCluster.FreePort(); // nothing listens here yet: the mail server is down
        await using var node = await AppProcess.StartAsync(Settings(cluster, "node-a", seed: true, jobs: true, smtpPort: smtp));
        const int total = 40;
        await QueueMailsAsync(cluster, total);

        // Down long enough for several failed attempts per message, with the backoff growing between them.
        await WaitForAsync(async () => await cluster.ScalarAsync<long>("SELECT count(*) FROM budgeteval.outbox WHERE \"Event\" = 'reliability-test' AND \"Attempts\" >= 3") == total, TimeSpan.FromSeconds(150));
        Assert.Equal(0L, await cluster.ScalarAsync<long>("SELECT count(*) FROM budgeteval.outbox WHERE \"Event\" = 'reliability-test' AND \"Status\" <> 'Pending'"));
        Assert.True(await cluster.ScalarAsync<long>("SELECT count(*) FROM budgeteval.outbox WHERE \"Event\" = 'reliability-test' AND \"LastError\" IS NOT NULL") == total);

        await using var maildev = new PrivateMailDev(smtp);
        await maildev.StartAsync();
        await WaitForAsync(async () => await cluster.ScalarAsync<long>("SELECT count(*) FROM budgeteval.outbox WHERE \"Event\" = 'reliability-test' AND \"Status\" = 'Sent'") == total, TimeSpan.FromSeconds(150));
        await Task.Delay(TimeSpan.FromSeconds(16)); // one more delivery round: nothing more may arrive
        var mails = (await maildev.MailsAsync()).Where(m => m.Subject.StartsWith(TestSubject, StringComparison.Ordinal)).ToList();
        Assert.Equal(total, mails.Count);
        Assert.Equal(total, mails.Select(m => m.Subject).Distinct().Count());
    }

    [Fact]
    public async Task Given_a_web_node_and_a_jobs_node_When_users_act_on_both_at_once_Then_no_conflict_is_lost_or_doubled()
    {
        await using var cluster = await PrivateCluster.StartAsync();
        var smtp = PrivateCluster.FreePort();
        await using var maildev = new PrivateMailDev(smtp);
        await maildev.StartAsync();
        await using var jobs = await AppProcess.StartAsync(Settings(cluster, "jobs-node", seed: true, jobs: true, smtpPort: smtp, web: true));
        await using var web = await AppProcess.StartAsync(Settings(cluster, "web-node", seed: false, jobs: false, smtpPort: smtp, web: true));

        // The same scenario through both nodes at once: create, submit, two approvers racing on each case.
        var clients = new[] { await ApiAsync(web, "unit"), await ApiAsync(jobs, "unit") };
        var heads = new[] { await ApiAsync(web, "unithead"), await ApiAsync(jobs, "unithead") };
        var approvalsBefore = await cluster.ScalarAsync<long>("SELECT count(*) FROM budgeteval.workflow_history WHERE \"Action\" = 'approve'");
        var cases = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
        await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            var created = await clients[i % 2].PostAsJsonAsync("/api/self-evaluations", new { title = $"两节点{i}", fiscalYear = 2025, deadline = "2026-12-31", summary = "概述", totalBudget = 10m });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            using var json = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
            var caseId = json.RootElement.GetProperty("caseId").GetGuid();
            cases.Add(caseId);
            Assert.Equal(HttpStatusCode.OK, (await FireAsync(clients[(i + 1) % 2], caseId, "submit", 1)).StatusCode);
            var race = await Task.WhenAll(FireAsync(heads[0], caseId, "approve", 2), FireAsync(heads[1], caseId, "approve", 2));
            foreach (var r in race)
            {
                outcomes.Add(r.StatusCode);
            }
        }));

        // Each race: exactly one approval won, the other was told of the conflict.
        Assert.Equal(10, outcomes.Count(o => o == HttpStatusCode.OK));
        Assert.Equal(10, outcomes.Count(o => o == HttpStatusCode.Conflict));
        Assert.Equal(approvalsBefore + 10, await cluster.ScalarAsync<long>("SELECT count(*) FROM budgeteval.workflow_history WHERE \"Action\" = 'approve'"));
        await AssertNoHalfDoneTransitionsAsync(cluster);

        // Mail queued by the transitions (if any) is sent by the jobs node only, once each.
        await WaitForAsync(async () => await cluster.ScalarAsync<long>("SELECT count(*) FROM budgeteval.outbox WHERE \"Status\" <> 'Sent'") == 0, TimeSpan.FromSeconds(90));
        var mails = await maildev.MailsAsync();
        Assert.Equal(await cluster.ScalarAsync<long>("SELECT count(*) FROM budgeteval.outbox"), mails.Count);
        Assert.Equal(mails.Count, mails.Select(m => m.MessageId).Distinct().Count());
        Assert.Equal(1L, await cluster.ScalarAsync<long>("SELECT count(DISTINCT instance_name) FROM budgeteval.qrtz_scheduler_state"));
    }

    /// <summary>Case state, history and work items agree for every case: no transition half done.</summary>
    private static async Task AssertNoHalfDoneTransitionsAsync(PrivateCluster cluster)
    {
        Assert.Equal(0L, await cluster.ScalarAsync<long>("""
            SELECT count(*) FROM budgeteval.workflow_instances i
            WHERE i."State" <> (SELECT h."ToState" FROM budgeteval.workflow_history h WHERE h."InstanceId" = i."Id" ORDER BY h."Seq" DESC LIMIT 1)
               OR i."HistoryHash" <> (SELECT h."Hash" FROM budgeteval.workflow_history h WHERE h."InstanceId" = i."Id" ORDER BY h."Seq" DESC LIMIT 1)
            """));
        Assert.Equal(0L, await cluster.ScalarAsync<long>("""
            SELECT count(*) FROM budgeteval.work_items w JOIN budgeteval.workflow_instances i ON i."Id" = w."InstanceId"
            WHERE w."Status" = 'Open' AND w."State" <> i."State"
            """));
        Assert.Equal(0L, await cluster.ScalarAsync<long>("""
            SELECT count(*) FROM (SELECT "InstanceId" FROM budgeteval.work_items WHERE "Status" = 'Open' GROUP BY "InstanceId" HAVING count(*) > 1) d
            """));
    }

    private static async Task<string> KillDeliveringNodeAsync(PrivateCluster cluster, PrivateMailDev maildev, AppProcess nodeA, AppProcess nodeB, int total)
    {
        var until = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < until)
        {
            var arrived = (await maildev.MailsAsync()).Count(m => m.Subject.StartsWith(TestSubject, StringComparison.Ordinal));
            if (arrived >= total / 10)
            {
                Assert.True(arrived < total, "delivery finished before the kill; queue more mail");
                var busy = await cluster.ScalarAsync<string>("""
                    SELECT coalesce(max(application_name), 'node-a') FROM pg_stat_activity
                    WHERE application_name IN ('node-a', 'node-b') AND state = 'idle in transaction'
                    """);
                await (busy == "node-b" ? nodeB : nodeA).KillAsync();
                return busy;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("delivery did not start");
    }

    private const string TestSubject = "【催办】测试邮件 ";

    /// <summary>Mail rows as the product writes them (one per recipient), each with its own subject.</summary>
    private static Task QueueMailsAsync(PrivateCluster cluster, int count) => cluster.ExecuteAsync($"""
        INSERT INTO budgeteval.outbox ("Id", "ToAddress", "ToName", "Event", "Subject", "Html", "Text", "Status", "Attempts", "NextAttemptAt", "CreatedAt")
        SELECT gen_random_uuid(), 'user' || n || '@example.gov.cn', '测试用户', 'reliability-test', '【催办】测试邮件 ' || n, '<p>请尽快办理。</p>', '请尽快办理。', 'Pending', 0, now(), now()
        FROM generate_series(1, {count}) n
        """);

    private static Dictionary<string, string> Settings(PrivateCluster cluster, string name, bool seed, bool jobs, int smtpPort, bool web = true) => new()
    {
        ["ConnectionStrings__Default"] = cluster.ConnectionString(name),
        ["Demo__Seed"] = seed ? "true" : "false",
        ["Node__Migrate"] = seed ? "true" : "false",
        ["Node__Web"] = web ? "true" : "false",
        ["Node__Jobs"] = jobs ? "true" : "false",
        ["Email__Mode"] = "Smtp",
        ["Email__Host"] = "127.0.0.1",
        ["Email__Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email__RetryBaseSeconds"] = "1", // a long outage compressed: attempts every few seconds instead of minutes
        ["Email__MaxAttempts"] = "50",
        ["Email__DeliveryWorkers"] = "2",
        ["Email__TimeoutSeconds"] = "5",
    };

    private static async Task<HttpClient> ApiAsync(AppProcess node, string user)
    {
        var client = node.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await AppFixture.TokenAsync(client, user));
        return client;
    }

    private static async Task<HttpResponseMessage> FireAsync(HttpClient client, Guid caseId, string action, int expectedVersion)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/cases/{caseId}/actions/{action}") { Content = JsonContent.Create(new { expectedVersion }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        return await client.SendAsync(request);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (NpgsqlException)
            {
                // the server is coming back
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"condition not met within {timeout.TotalSeconds:0} s");
    }
}
