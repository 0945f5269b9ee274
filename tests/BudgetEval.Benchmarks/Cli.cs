// Entry point of the benchmarks (StartupObject): the province generator and the full run have their
// own commands; anything else goes to the Fire benchmark's Main unchanged (which also dispatches sweep).
//   province "<connection string>" [units] [seed]   migrate + demo seed, then generate the province
//   all "<server connection string, no database>" [units] [smtp host:port]   every measure of issue 9
//   web "<connection string of a generated province>"   only the web measures (after a fix)
using System.Diagnostics;
using System.Globalization;
using BudgetEval.Benchmarks.Province;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BudgetEval.Benchmarks;

internal static class Cli
{
    public static async Task Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "province":
                var options = new ProvinceOptions(
                    Units: args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30_000,
                    Seed: args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1);
                await GenerateProvinceAsync(args[1], options with { OpenWorkItems = (int)(options.Units * 1_000_000L / 30_000) });
                break;
            case "all":
                await ProvinceBenchmark.RunAsync(args);
                break;
            case "web":
                await ProvinceBenchmark.RunWebAsync(args);
                break;
            default:
                await FireBenchmark.Main(args);
                break;
        }
    }

    /// <summary>Migrates and seeds the demo through the app itself, then generates; returns the generation time.</summary>
    public static async Task<TimeSpan> GenerateProvinceAsync(string connectionString, ProvinceOptions options)
    {
        await using (var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Testing");
            b.UseContentRoot(Paths.WebProjectDirectory());
            b.UseSetting("ConnectionStrings:Default", connectionString);
            b.UseSetting("Demo:Seed", "true");
            b.UseSetting("Node:Jobs", "false");
            b.ConfigureLogging(l => l.ClearProviders());
        }))
        {
            _ = factory.Server; // migrations and demo seed
        }

        var hash = new PasswordHasher<AppUser>().HashPassword(new AppUser { DisplayName = "x" }, ProvinceOptions.Password);
        Console.WriteLine($"generating {options.Units:N0} units, seed {options.Seed} ...");
        var sw = Stopwatch.StartNew();
        await ProvinceGenerator.GenerateAsync(connectionString, options, hash, Console.WriteLine);
        sw.Stop();
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        var c = await ProvinceCounts.ReadAsync(conn);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"generated in {sw.Elapsed.TotalSeconds:F0} s: {c.Units:N0} units, {c.Users:N0} users, {c.SelfEvaluations:N0} self-evaluations, {c.Indicators:N0} indicator rows, {c.Evaluations:N0} external evaluations, {c.Findings:N0} findings, {c.Cases:N0} cases, {c.OpenWorkItems:N0} open work items"));
        Console.WriteLine($"sign in as p1 / ph1 (unit), finance (bureau); password of generated users: {ProvinceOptions.Password}");
        return sw.Elapsed;
    }
}
