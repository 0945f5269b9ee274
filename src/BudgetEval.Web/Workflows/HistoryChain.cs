using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BudgetEval.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Workflows;

/// <summary>
/// The 流转记录 hash chain: each entry's hash covers the previous hash and the entry's own fields, so
/// changing, removing or reordering a stored row breaks every hash after it.
/// </summary>
internal static class HistoryChain
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>PostgreSQL keeps microseconds; the hash must be computed on what is stored.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }

    public static string Compute(WorkflowHistoryEntry e)
    {
        // Unit separator between fields: no field value can forge a boundary.
        var text = string.Join('\u001f',
            e.PrevHash,
            e.InstanceId.ToString("D"),
            e.Seq.ToString(CultureInfo.InvariantCulture),
            e.ActorId?.ToString("D") ?? string.Empty,
            e.ActorName,
            Truncate(e.At).ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
            e.Action,
            e.ActionLabel,
            e.FromState ?? string.Empty,
            e.ToState,
            e.Comment ?? string.Empty);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Null when the chain of a case is intact; otherwise the sequence number of the first bad entry.</summary>
    public static async Task<int?> VerifyAsync(AppDbContext db, Guid instanceId, CancellationToken ct = default)
    {
        var entries = await db.WorkflowHistory.AsNoTracking().Where(h => h.InstanceId == instanceId).OrderBy(h => h.Seq).ToListAsync(ct);
        var prev = Genesis;
        var expectedSeq = 1;
        foreach (var e in entries)
        {
            if (e.Seq != expectedSeq || e.PrevHash != prev || Compute(e) != e.Hash)
            {
                return e.Seq;
            }

            prev = e.Hash;
            expectedSeq++;
        }

        return null;
    }
}
