using System.Globalization;
using System.Xml.Linq;
using BudgetEval.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace BudgetEval.Web.Infrastructure.Jobs;

/// <summary>
/// Nightly clean-up. Today: data-protection keys that expired more than 180 days ago (cookies live
/// 30 minutes and tokens an hour, so nothing can still need them); the key ring otherwise only grows.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class HousekeepingJob(AppDbContext db, TimeProvider clock, ILogger<HousekeepingJob> logger) : IJob
{
    public static readonly JobKey Key = new("housekeeping");
    public static readonly TimeSpan KeyRetention = TimeSpan.FromDays(180);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var removed = await RemoveExpiredKeysAsync(cancellationToken);
        logger.LogInformation("Housekeeping removed {Count} expired data-protection key(s)", removed);
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
