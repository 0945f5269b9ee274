using BudgetEval.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Notifications;

/// <summary>
/// A notice outlives its reader's access to the case it links to (a firm's, once the bureau accepted its report): the
/// notices page and <c>GET /api/notifications</c> both ask which links still open, the query filters deciding as on the case page.
/// </summary>
internal static class NotificationLinks
{
    /// <summary>The case a notice links to (<c>/cases/{id}</c>, as NotificationWriter writes it), if any.</summary>
    public static Guid? CaseOf(string? link) =>
        link is not null && link.StartsWith("/cases/", StringComparison.Ordinal) && Guid.TryParse(link["/cases/".Length..], out var id) ? id : null;

    /// <summary>The notices among <paramref name="notices"/> whose case the reader can no longer open; one query for them all.</summary>
    public static async Task<IReadOnlySet<Guid>> GoneAsync(AppDbContext db, IEnumerable<(Guid Id, string? Link)> notices, CancellationToken ct)
    {
        var list = notices.ToList();
        var cases = list.Select(n => CaseOf(n.Link)).OfType<Guid>().Distinct().ToList();
        if (cases.Count == 0)
        {
            return new HashSet<Guid>();
        }

        var open = (await db.WorkflowInstances.Where(i => cases.Contains(i.Id)).Select(i => i.Id).ToListAsync(ct)).ToHashSet();
        return list.Where(n => CaseOf(n.Link) is { } c && !open.Contains(c)).Select(n => n.Id).ToHashSet();
    }
}
