// Reminder sweep and outbox delivery at province scale:
//   dotnet run -c Release --project tests/BudgetEval.Benchmarks -- sweep "<connection string>" [open items] [due items] [smtp host:port]
// Generates (server-side, with generate_series) the given number of open work items with due dates
// spread over a year, of which the given number have a reminder due now; times one full sweep; then,
// if an SMTP server (maildev) is given, times the delivery of the first 2,000 reminder mails.
using System.Diagnostics;
using System.Globalization;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Notifications;
using BudgetEval.Web.Reminders;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BudgetEval.Benchmarks;

internal static class SweepBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var connectionString = args[1];
        var open = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000_000;
        var due = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 50_000;
        var smtp = args.Length > 4 ? args[4] : null;

        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Testing");
            b.UseContentRoot(Paths.WebProjectDirectory());
            b.UseSetting("ConnectionStrings:Default", connectionString);
            b.UseSetting("Demo:Seed", "true");
            b.UseSetting("Node:Jobs", "false");
            b.UseSetting("Email:Mode", "Smtp");
            b.UseSetting("Email:Host", smtp?.Split(':')[0] ?? "127.0.0.1");
            b.UseSetting("Email:Port", smtp?.Split(':')[1] ?? "25");
            b.ConfigureLogging(l => l.ClearProviders());
        });
        _ = factory.Server;
        FireBenchmark.UseCluster(connectionString);

        var sw = Stopwatch.StartNew();
        await GenerateAsync(connectionString, open, due);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated {open:N0} open work items ({due:N0} due) in {sw.Elapsed.TotalSeconds:F1} s"));

        using (var scope = factory.Services.CreateScope())
        {
            var sweep = scope.ServiceProvider.GetRequiredService<ReminderSweep>();
            var cpu = CpuMeter.Start();
            sw.Restart();
            var result = await sweep.RunAsync(CancellationToken.None);
            sw.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"reminder sweep: {result.WorkItems:N0} items, {result.Reminders:N0} reminders in {result.Batches} batches: {sw.Elapsed.TotalSeconds:F2} s (target < 5 s); {cpu.Report()}"));

            var again = await sweep.RunAsync(CancellationToken.None);
            Console.WriteLine($"second sweep at the same instant: {again.Reminders} reminders (must be 0)");
        }

        if (smtp is null)
        {
            Console.WriteLine("outbox delivery: skipped (no SMTP server given)");
            return;
        }

        const int Mails = 2_000;
        var delivery = factory.Services.GetRequiredService<OutboxDelivery>();
        var deliveryCpu = CpuMeter.Start();
        sw.Restart();
        var sent = await delivery.RunAsync(CancellationToken.None, Mails);
        sw.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"outbox delivery: {sent.Sent:N0} mails in {sw.Elapsed.TotalSeconds:F2} s = {sent.Sent / sw.Elapsed.TotalSeconds:F0} mails/s (target ≥ 200/s); {deliveryCpu.Report(sent.Sent, "mail")}"));
    }

    // One self-evaluation case per item, all of the demo centre (so reminders have recipients), in the
    // 草稿 state; due dates spread over the coming year, except the first `due` items, which are due
    // today (Beijing) and so owe today's due-day reminder now.
    private static async Task GenerateAsync(string connectionString, int open, int due)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"""
            CREATE TEMP TABLE gen AS
            SELECT n, gen_random_uuid() AS instance_id, gen_random_uuid() AS item_id,
                   CASE WHEN n <= @due
                        THEN (date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') + interval '1 day') AT TIME ZONE 'Asia/Shanghai'
                        ELSE now() + make_interval(days => 1 + (n % 365)) END AS due_at,
                   CASE WHEN n <= @due THEN now() - interval '1 minute' ELSE now() + make_interval(days => 1 + (n % 300)) END AS next_at
            FROM generate_series(1, @open) AS n;

            INSERT INTO budgeteval.workflow_instances
                ("Id", "DefinitionId", "DefinitionVersion", "State", "SubjectType", "SubjectId", "Title", "OrganisationId",
                 "PlanDeadline", "DueAt", "IsLate", "Version", "CreatedAt", "UpdatedAt", "HistorySeq", "HistoryHash")
            SELECT instance_id, 'self-evaluation-review', 1, 'draft', 'SelfEvaluation', gen_random_uuid(), '基准测试自评 ' || n,
                   (SELECT "Id" FROM budgeteval.organisations WHERE "Name" = '长沙市望城区社会治理服务中心'),
                   due_at::date, due_at, false, 1, now(), now(), 0, '{new string('0', 64)}'
            FROM gen;

            INSERT INTO budgeteval.work_items
                ("Id", "InstanceId", "State", "StateLabel", "Title", "AssigneeRole", "AssigneeOrganisationId", "CaseOrganisationId",
                 "DueAt", "NextReminderAt", "Status", "CreatedAt")
            SELECT item_id, instance_id, 'draft', '草稿', '基准测试自评 ' || n, 'UnitFiller',
                   (SELECT "Id" FROM budgeteval.organisations WHERE "Name" = '长沙市望城区社会治理服务中心'),
                   (SELECT "Id" FROM budgeteval.organisations WHERE "Name" = '长沙市望城区社会治理服务中心'),
                   due_at, next_at, 'Open', now()
            FROM gen;
            ANALYZE budgeteval.work_items;
            ANALYZE budgeteval.workflow_instances;
            """, conn);
        cmd.Parameters.AddWithValue("open", open);
        cmd.Parameters.AddWithValue("due", due);
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync();
    }
}

/// <summary>CPU spent by this process and by PostgreSQL since Start: unlike wall time, not inflated by other work on the machine.</summary>
internal sealed class CpuMeter
{
    private readonly TimeSpan _app = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly TimeSpan _pg = FireBenchmark.PostgresCpu();

    public static CpuMeter Start() => new();

    public string Report(int? count = null, string unit = "")
    {
        var app = (Process.GetCurrentProcess().TotalProcessorTime - _app).TotalMilliseconds;
        var pg = (FireBenchmark.PostgresCpu() - _pg).TotalMilliseconds;
        return count is > 0
            ? string.Create(CultureInfo.InvariantCulture, $"CPU per {unit}: app {app / count.Value:F2} ms, PostgreSQL {pg / count.Value:F2} ms")
            : string.Create(CultureInfo.InvariantCulture, $"CPU: app {app / 1000:F2} s, PostgreSQL {pg / 1000:F2} s");
    }
}

internal static class Paths
{
    // WebApplicationFactory only guesses the content root for test projects; point it at the web project.
    public static string WebProjectDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "BudgetEval.Web");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("src/BudgetEval.Web not found above " + AppContext.BaseDirectory);
    }
}
