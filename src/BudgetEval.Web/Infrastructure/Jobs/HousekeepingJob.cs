using System.Globalization;
using System.Xml.Linq;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace BudgetEval.Web.Infrastructure.Jobs;

/// <summary>
/// Nightly clean-up: data-protection keys that expired more than 180 days ago (cookies live 30 minutes
/// and tokens an hour, so nothing can still need them), audit entries past their retention period,
/// idempotency records older than 30 days, used refresh tokens and revoked API sessions no token can refer to
/// any more, the sign-in throttle's rows of addresses that never came back, and job runs older than 30 days.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class HousekeepingJob(AppDbContext db, TimeProvider clock, IOptions<AuditOptions> audit, ILogger<HousekeepingJob> logger,
    IOptionsMonitor<Microsoft.AspNetCore.Authentication.BearerToken.BearerTokenOptions> bearer) : IJob
{
    public static readonly JobKey Key = new("housekeeping");
    public static readonly TimeSpan KeyRetention = TimeSpan.FromDays(180);

    /// <summary>How long a stored answer (a retried action or create) is kept: a client retries within minutes.</summary>
    public static readonly TimeSpan IdempotencyRetention = TimeSpan.FromDays(30);

    /// <summary>
    /// How long the sign-in throttle's rows are kept: they count for a minute (LoginThrottle), and an address's
    /// own are deleted when it next tries; an hour leaves room for clocks that differ between nodes.
    /// </summary>
    public static readonly TimeSpan LoginAttemptRetention = TimeSpan.FromHours(1);

    /// <summary>
    /// How long the jobs dashboard's run log is kept: it shows the last 7 days, and the sweep and the delivery
    /// write a row a minute and four a minute (about 7,000 a day).
    /// </summary>
    public static readonly TimeSpan JobRunRetention = TimeSpan.FromDays(30);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var removed = await RemoveExpiredKeysAsync(cancellationToken);
        var purged = await PurgeAuditAsync(cancellationToken);
        var answers = await PurgeIdempotencyAsync(cancellationToken);
        var attempts = await PurgeLoginAttemptsAsync(cancellationToken);
        var (uses, sessions) = await PurgeBearerSessionsAsync(cancellationToken);
        var runs = await PurgeJobRunsAsync(cancellationToken);
        logger.LogInformation("Housekeeping removed {Keys} expired data-protection key(s), {Audit} audit entries past retention, {Answers} idempotency record(s), {Uses} used refresh token(s), {Sessions} revoked API session(s), {Attempts} sign-in throttle row(s) and {Runs} job run(s)",
            removed, purged, answers, uses, sessions, attempts, runs);
    }

    /// <summary>Run log rows past <see cref="JobRunRetention"/>, except each job's latest, which the dashboard shows as its 上次执行.</summary>
    internal Task<int> PurgeJobRunsAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow() - JobRunRetention;
        return db.JobRuns.Where(r => r.StartedAt < cutoff && r.Id != db.JobRuns.Where(x => x.Job == r.Job).Max(x => x.Id)).ExecuteDeleteAsync(ct);
    }

    /// <summary>
    /// The throttle's rows of addresses not seen again (a crashed node's pending ones included), and rows far in
    /// the future (a clock that was set back), which the throttle ignores anyway.
    /// </summary>
    internal Task<int> PurgeLoginAttemptsAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var (cutoff, horizon) = (now - LoginAttemptRetention, now + LoginAttemptRetention);
        return db.Set<Auth.LoginAttempt>().Where(a => a.At < cutoff || a.At > horizon).ExecuteDeleteAsync(ct);
    }

    /// <summary>
    /// Used refresh tokens and revoked API sessions once every token they could stop has expired anyway
    /// (<see cref="Auth.RefreshTokens.Retention"/>: the refresh token lifetime and a day, 15 days by default).
    /// </summary>
    internal async Task<(int Uses, int Sessions)> PurgeBearerSessionsAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow() - Auth.RefreshTokens.Retention(bearer.Get(Microsoft.AspNetCore.Identity.IdentityConstants.BearerScheme));
        var uses = await db.Set<Auth.RefreshTokenUse>().Where(u => u.UsedAt < cutoff).ExecuteDeleteAsync(ct);
        var sessions = await db.Set<Auth.RevokedBearerSession>().Where(r => r.RevokedAt < cutoff).ExecuteDeleteAsync(ct);
        return (uses, sessions);
    }

    /// <summary>Without this the table grew by a row per transition, for ever.</summary>
    internal Task<int> PurgeIdempotencyAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow() - IdempotencyRetention;
        return db.IdempotencyKeys.Where(k => k.CreatedAt < cutoff).ExecuteDeleteAsync(ct);
    }

    /// <summary>
    /// The only way audit entries ever leave: the database's trigger lets a DELETE through only inside a
    /// transaction that announces the purge, and only for rows older than the 180-day legal floor.
    /// </summary>
    internal async Task<int> PurgeAuditAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow().AddDays(-audit.Value.EffectiveRetentionDays);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("SET LOCAL budgeteval.audit_purge = 'on'", ct);
            var purged = await db.AuditEntries.Where(a => a.At < cutoff).ExecuteDeleteAsync(ct);
            await tx.CommitAsync(ct);
            return purged;
        });
    }

    internal async Task<int> RemoveExpiredKeysAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow() - KeyRetention;
        var rows = await db.DataProtectionKeys.ToListAsync(ct);
        var expired = rows.Where(r => ExpirationOf(r.Xml) is { } expires && expires < cutoff).ToList();
        db.DataProtectionKeys.RemoveRange(expired);
        await db.SaveChangesAsync(ct);
        return expired.Count;
    }

    private static DateTimeOffset? ExpirationOf(string xml)
    {
        // Never delete what we cannot read.
        try
        {
            var value = XElement.Parse(xml).Element("expirationDate")?.Value;
            return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires) ? expires : null;
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }
}
