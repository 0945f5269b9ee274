using BudgetEval.Web.Infrastructure.Data;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BudgetEval.Web.Infrastructure.Hosting;

/// <summary>
/// What a node checks in the database before it serves or runs jobs, in this order: wait (bounded) for
/// PostgreSQL to answer, so web and jobs nodes alike survive starting before it; migrate, or with
/// Node:Migrate=false refuse when this build's migrations are not all applied (the pages would answer 500 and
/// Quartz would complain about its schema); refuse a data-protection certificate that reads none of the
/// shared keys. Program runs it before the host starts, so a refusal is one clear line; as a hosted service
/// (registered before the jobs) it also runs where the host is started by the tests' factory.
/// </summary>
internal sealed class DatabaseReadiness(
    IServiceProvider services,
    DatabaseMigrator migrator,
    IOptions<NodeOptions> node,
    IConfiguration config,
    IHostEnvironment environment,
    ILogger<DatabaseReadiness> logger) : IHostedService
{
    /// <summary>How long a starting node waits for PostgreSQL before it gives up (exit 1; systemd restarts it).</summary>
    internal static readonly TimeSpan DatabaseWait = TimeSpan.FromSeconds(120);

    private bool _ready;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_ready)
        {
            await PrepareAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task PrepareAsync(CancellationToken ct)
    {
        logger.LogInformation("Node {NodeName} starting (web: {Web}, jobs: {Jobs}, migrate: {Migrate})",
            NodeOptions.NameOf(config), node.Value.Web, node.Value.Jobs, node.Value.Migrate);
        await WaitForDatabaseAsync(ct);
        if (node.Value.Migrate)
        {
            await migrator.MigrateAsync(ct);
        }
        else
        {
            await RefuseIfMigrationsPendingAsync(ct);
        }

        CheckKeyRing();
        _ready = true;
    }

    private async Task WaitForDatabaseAsync(CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(config.GetConnectionString("Default")) { Pooling = false, Timeout = 5 };
        var until = DateTime.UtcNow + DatabaseWait;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(ct);
                if (attempt > 1)
                {
                    logger.LogInformation("Database reachable after {Attempts} attempts", attempt);
                }

                return;
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException && !ct.IsCancellationRequested)
            {
                // A wrong password or a missing database will not get better by waiting.
                if (e is PostgresException { SqlState: "28P01" or "28000" or "3D000" } refused)
                {
                    throw new StartupRefusedException($"ConnectionStrings:Default: the database refused the connection ({refused.MessageText}).");
                }

                if (DateTime.UtcNow >= until)
                {
                    throw new StartupRefusedException(
                        $"ConnectionStrings:Default: PostgreSQL at {builder.Host}:{builder.Port} did not answer within {DatabaseWait.TotalSeconds:0} s ({e.Message}).",
                        StartupRefusal.NotReadyExitCode);
                }

                logger.LogWarning("Database at {Host}:{Port} not reachable at start-up ({Error}); retrying in 5 s until {Until:HH:mm:ss} UTC",
                    builder.Host, builder.Port, e.Message, until);
                await Task.Delay(TimeSpan.FromSeconds(5), ct);
            }
        }
    }

    private async Task RefuseIfMigrationsPendingAsync(CancellationToken ct)
    {
        var pending = await PendingMigrationsAsync(services, ct);
        if (pending.Count > 0)
        {
            throw new StartupRefusedException(
                $"{pending.Count} migrations pending ({string.Join(", ", pending)}); run `dotnet BudgetEval.Web.dll --migrate-only` first (or start this node with Node:Migrate=true).",
                StartupRefusal.NotReadyExitCode);
        }
    }

    internal static async Task<List<string>> PendingMigrationsAsync(IServiceProvider services, CancellationToken ct)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
    }

    /// <summary>
    /// With a certificate configured, the node must read the shared key ring: a different (valid) .pfx would
    /// otherwise make a key only it can read, and every other node would then fail to decrypt it. Refused when
    /// the ring has keys and none can be read, or when the newest active key (the one every node signs with)
    /// cannot be. Without a certificate, Production says once that the keys are stored unencrypted.
    /// </summary>
    private void CheckKeyRing()
    {
        if (string.IsNullOrWhiteSpace(config["DataProtection:CertificatePath"]))
        {
            if (environment.IsProduction())
            {
                logger.LogWarning("DataProtection:CertificatePath is not set: the sign-in keys are stored unencrypted in the database, so a dump or backup alone can forge sign-ins (docs/operations.md, Configuration)");
            }

            return;
        }

        var keys = services.GetRequiredService<IKeyManager>().GetAllKeys();
        if (keys.Count == 0)
        {
            return;
        }

        var readable = keys.Where(Readable).ToList();
        var now = DateTimeOffset.UtcNow;
        var newestActive = keys.Where(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now).MaxBy(k => k.ActivationDate);
        if (readable.Count == 0 || (newestActive is not null && !readable.Contains(newestActive)))
        {
            throw new StartupRefusedException(
                $"DataProtection:CertificatePath: the certificate '{config["DataProtection:CertificatePath"]}' cannot decrypt the sign-in keys in the database ({keys.Count - readable.Count} of {keys.Count} unreadable, the newest active one among them); give this node the same .pfx as the other nodes.");
        }
    }

    private static bool Readable(IKey key)
    {
        try
        {
            _ = key.Descriptor; // decrypts the key material
            return true;
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or InvalidOperationException or System.Xml.XmlException)
        {
            return false;
        }
    }
}

/// <summary>/healthz is Unhealthy while this build's migrations are not all applied (a node started with Node:Migrate=false on an old schema).</summary>
internal sealed class SchemaHealthCheck(IServiceProvider services) : IHealthCheck
{
    // Once applied, a migration stays applied; only "all applied" is remembered.
    private volatile bool _upToDate;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_upToDate)
        {
            return HealthCheckResult.Healthy();
        }

        var pending = await DatabaseReadiness.PendingMigrationsAsync(services, cancellationToken);
        if (pending.Count > 0)
        {
            return HealthCheckResult.Unhealthy($"{pending.Count} migrations pending; run --migrate-only");
        }

        _upToDate = true;
        return HealthCheckResult.Healthy();
    }
}
