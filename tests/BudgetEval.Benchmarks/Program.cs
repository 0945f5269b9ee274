// Fire throughput on real PostgreSQL next to pgbench's tpcb-like rate on the same database.
// Usage: dotnet run -c Release --project tests/BudgetEval.Benchmarks -- "Host=127.0.0.1;Port=55520;Database=bench;Username=postgres" [seconds] [workers]
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.SelfEvaluations;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;


namespace BudgetEval.Benchmarks;

internal static class FireBenchmark
{
    // The postmaster of the benchmarked cluster: other clusters on the machine (other developers' test runs)
    // must not count. Found as the parent of the cluster's checkpointer.
    private static int _postmaster;

    public static void UseCluster(string connectionString)
    {
        using var conn = new NpgsqlConnection(connectionString);
        conn.Open();
        using var cmd = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'", conn);
        var checkpointer = (int)cmd.ExecuteScalar()!;
        var stat = File.ReadAllText($"/proc/{checkpointer}/stat");
        _postmaster = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
    }

    // utime + stime of the benchmarked cluster's processes (postmaster and its children), from /proc
    // (Linux); clock ticks are 1/100 s. A backend that exits takes its CPU with it, so the pools stay open.
    internal static TimeSpan PostgresCpu()
    {
        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc").Where(d => char.IsDigit(Path.GetFileName(d)[0])))
        {
            try
            {
                var pid = int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture);
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (pid != _postmaster && int.Parse(fields[1], CultureInfo.InvariantCulture) != _postmaster)
                {
                    continue;
                }

                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // the process ended meanwhile
            }
        }

        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    public static async Task Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "sweep")
        {
            await SweepBenchmark.RunAsync(args);
            return;
        }

        var Workers = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
        var connectionString = args.Length > 0 ? args[0] : "Host=127.0.0.1;Port=55520;Database=bench;Username=postgres";
        var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;

        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Testing");
            b.UseContentRoot(Paths.WebProjectDirectory());
            b.UseSetting("ConnectionStrings:Default", connectionString);
            b.UseSetting("Demo:Seed", "true");
            b.UseSetting("Node:Jobs", "false");
            b.UseSetting("Logging:LogLevel:Default", "Warning");
            b.ConfigureLogging(l => l.ClearProviders()); // console logging would dominate the measurement
        });
        _ = factory.Server; // migrations and demo seed
        UseCluster(connectionString);

        WorkflowActor ActorFor(AppDbContext db, string userName, string role)
        {
            var u = db.Users.IgnoreQueryFilters().Include(x => x.Organisation).Single(x => x.UserName == userName);
            return new WorkflowActor(u.Id, u.DisplayName, u.OrganisationId, u.Organisation!.Kind, new HashSet<string> { role });
        }

        WorkflowActor unit, head, finance;
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            (unit, head, finance) = (ActorFor(db, "unit", Roles.UnitFiller), ActorFor(db, "unithead", Roles.UnitHead), ActorFor(db, "finance", Roles.FinanceOfficer));
        }

        // Cases are created before the clock starts: what is measured is Fire alone. Each case then goes
        // submit → approve → accept, three completions, each its own transaction.
        async Task<List<Guid>> CreateCasesAsync(int count)
        {
            var ids = new List<Guid>(count);
            for (var i = 0; i < count; i++)
            {
                using var scope = factory.Services.CreateScope();
                var service = scope.ServiceProvider.GetRequiredService<SelfEvaluationService>();
                var se = (await service.CreateAsync(new SelfEvaluationInput("基准测试自评", 2025, new DateOnly(2026, 12, 31), "概述", 100m), unit, default)).Record!;
                ids.Add(se.CaseId!.Value);
            }

            return ids;
        }

        // Workers take whole cases from one queue; a case cut short when the time is up is left behind.
        var queue = new ConcurrentQueue<Guid>();
        async Task<int> WorkerAsync(DateTime until)
        {
            var completed = 0;
            while (queue.TryDequeue(out var caseId))
            {
                var version = 1;
                foreach (var (actor, action) in new[] { (unit, "submit"), (head, "approve"), (finance, "accept") })
                {
                    if (DateTime.UtcNow >= until)
                    {
                        return completed;
                    }

                    using var scope = factory.Services.CreateScope();
                    var engine = scope.ServiceProvider.GetRequiredService<WorkflowEngine>();
                    var result = await engine.FireAsync(caseId, action, actor, null, version, Guid.NewGuid().ToString("N"), default);
                    if (!result.Succeeded)
                    {
                        throw new InvalidOperationException($"{action}: {string.Join(" ", result.Errors)}");
                    }

                    version = result.Version;
                    completed++;
                }
            }

            return completed;
        }

        Task<int[]> AllWorkersAsync(DateTime until) => Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(() => WorkerAsync(until))));

        // Room for 2,400 completions/s in the measured seconds; the warm-up stops before it eats into them.
        const int WarmUpCases = 8000;
        var measuredCases = Workers * Math.Max(300, seconds * 100);
        Console.WriteLine($"creating {measuredCases + WarmUpCases} cases ...");
        foreach (var batch in await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(() => CreateCasesAsync((measuredCases + WarmUpCases) / Workers)))))
        {
            batch.ForEach(queue.Enqueue);
        }

        // The cases were just written into tables that grew from nothing: vacuum and analyze them once, as
        // pgbench -i does for its own tables, so autovacuum's first passes do not fall into the measurement.
        await using (var conn = new NpgsqlConnection(connectionString))
        {
            await conn.OpenAsync();
            await using var vacuum = new NpgsqlCommand("VACUUM (ANALYZE)", conn) { CommandTimeout = 600 };
            await vacuum.ExecuteNonQueryAsync();
        }

        // Warm up until the JIT has settled (at most 30 s, or until the warm-up's share of cases is used):
        // for the first tens of seconds the tiered compiler re-compiles the hot paths, and measured during
        // that, a fifth of the app's CPU was compilation, which a long-running node does not pay.
        var warmUpEnds = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < warmUpEnds && queue.Count > measuredCases + WarmUpCases / 4)
        {
            var compiledBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
            await AllWorkersAsync(DateTime.UtcNow.AddSeconds(3));
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount() - compiledBefore;
            if (compiled < 25)
            {
                break;
            }
        }

        if (queue.Count < measuredCases)
        {
            throw new InvalidOperationException("the warm-up used cases meant for the measurement: create more");
        }

        Console.WriteLine("measuring ...");
        var appCpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var pgCpu0 = PostgresCpu();
        var jit0 = System.Runtime.JitInfo.GetCompiledMethodCount();
        using var allocations = Environment.GetEnvironmentVariable("BENCH_ALLOC") == "1" ? new AllocationSampler() : null;
        var allocated0 = GC.GetTotalAllocatedBytes();
        var sw = Stopwatch.StartNew();
        var until = DateTime.UtcNow.AddSeconds(seconds);
        var counts = await AllWorkersAsync(until);
        sw.Stop();
        if (queue.IsEmpty)
        {
            throw new InvalidOperationException("ran out of cases: create more per worker");
        }

        var fireRate = counts.Sum() / sw.Elapsed.TotalSeconds;
        var appCpuPerFire = (Process.GetCurrentProcess().TotalProcessorTime - appCpu0).TotalMilliseconds / counts.Sum();
        var pgCpuPerFire = (PostgresCpu() - pgCpu0).TotalMilliseconds / counts.Sum();
        // A settled engine compiles nothing per call: a count that grows with the completions means an expression is
        // compiled on every call (EF evaluates some captured expressions that way).
        var jitted = System.Runtime.JitInfo.GetCompiledMethodCount() - jit0;
        var allocatedPerFire = (GC.GetTotalAllocatedBytes() - allocated0) / counts.Sum();
        allocations?.Print();

        // pgbench on the same database (its tables live in the public schema, apart from ours).
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        string Pgbench(string arguments)
        {
            var psi = new ProcessStartInfo("pgbench", $"-h {csb.Host} -p {csb.Port} -U {csb.Username} {arguments} {csb.Database}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit();
            return output;
        }

        Pgbench("-i -q -s 8");
        var bench = Pgbench($"-c {Workers} -j 2 -T {seconds} -b tpcb-like");
        var tps = double.Parse(Regex.Match(bench, @"tps = ([\d.]+)").Groups[1].Value, CultureInfo.InvariantCulture);

        // The ceiling: one completion's statements (fire-statements.sql) run by pgbench alone, on this run's cases.
        // No engine on this machine, however lean, can complete transitions faster than PostgreSQL alone can
        // take their statements, since both share the same cores.
        // BENCH_NO_CEILING=1 skips it while iterating on the engine (the one-command run always measures it).
        if (Environment.GetEnvironmentVariable("BENCH_NO_CEILING") != "1")
        {
            await using var conn = new NpgsqlConnection(connectionString);
            await conn.OpenAsync();
            await using var ids = new NpgsqlCommand("""
                DROP TABLE IF EXISTS fire_ceiling_ids;
                CREATE TABLE fire_ceiling_ids AS
                SELECT row_number() OVER () AS n, i."Id" AS iid, w."Id" AS wid, s."Id" AS sid, i."OrganisationId" AS oid,
                       (SELECT u."Id" FROM budgeteval.users u WHERE u."OrganisationId" = i."OrganisationId" LIMIT 1) AS uid
                FROM budgeteval.workflow_instances i
                JOIN budgeteval.self_evaluations s ON s."CaseId" = i."Id"
                JOIN LATERAL (SELECT w."Id" FROM budgeteval.work_items w WHERE w."InstanceId" = i."Id" ORDER BY w."CreatedAt" DESC LIMIT 1) w ON true;
                ALTER TABLE fire_ceiling_ids ADD PRIMARY KEY (n);
                SELECT count(*) FROM fire_ceiling_ids;
                """, conn);
            var cases = (long)(await ids.ExecuteScalarAsync())!;
            var script = Path.Combine(AppContext.BaseDirectory, "fire-statements.sql");
            var ceilingRun = Pgbench($"-n -M prepared -c {Workers} -j 2 -T {seconds} -D cases={cases} -f {script}");
            var ceilingMatch = Regex.Match(ceilingRun, @"tps = ([\d.]+)");
            if (!ceilingMatch.Success)
            {
                throw new InvalidOperationException("pgbench on fire-statements.sql failed: " + ceilingRun);
            }

            var ceiling = double.Parse(ceilingMatch.Groups[1].Value, CultureInfo.InvariantCulture);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ceiling: one completion's statements by pgbench alone ({Workers} clients, no app): {ceiling:F0} tps = {ceiling / tps:P0} of tpcb-like; the engine reaches {fireRate / ceiling:P0} of it"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Fire completions/s ({Workers} workers, {seconds}s): {fireRate:F0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pgbench tpcb-like tps ({Workers} clients): {tps:F0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio: {fireRate / tps:P0}"));
        // CPU per completion does not depend on what else the machine is doing, unlike the rates above.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CPU per completion: app {appCpuPerFire:F2} ms, PostgreSQL {pgCpuPerFire:F2} ms (the benchmarked cluster's processes)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"per completion: {allocatedPerFire / 1024.0:F1} KB allocated; methods compiled during the measurement: {jitted}"));
    }
}

/// <summary>BENCH_ALLOC=1: which types the measured completions allocate, from the runtime's sampled allocation events (~every 100 KB).</summary>
internal sealed class AllocationSampler : System.Diagnostics.Tracing.EventListener
{
    private readonly ConcurrentDictionary<string, long> _bytes = new();

    protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1); // GC
        }
    }

    protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
    {
        if (e.EventName == "GCAllocationTick_V4" && e.Payload is { } payload && e.PayloadNames is { } names)
        {
            var type = payload[names.IndexOf("TypeName")] as string ?? "?";
            _bytes.AddOrUpdate(type, 1, (_, n) => n + 1);
        }
    }

    public void Print()
    {
        foreach (var (type, n) in _bytes.OrderByDescending(p => p.Value).Take(25))
        {
            Console.WriteLine($"alloc ticks {n,6}  {type}");
        }
    }
}
