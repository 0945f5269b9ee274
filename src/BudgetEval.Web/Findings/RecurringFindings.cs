using BudgetEval.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Findings;

/// <summary>
/// 重复发生: a finding whose unit already had a finding of the same category in the year before. Worked
/// out from the register when asked, so a finding registered late for the earlier year flags the later
/// one at once. Within one unit, so the caller's data scope never hides a match it should see.
/// </summary>
internal static class RecurringFindings
{
    public static async Task<IReadOnlySet<Guid>> AmongAsync(AppDbContext db, IReadOnlyCollection<Finding> findings, CancellationToken ct)
    {
        if (findings.Count == 0)
        {
            return new HashSet<Guid>();
        }

        var units = findings.Select(f => f.OrganisationId).Distinct().ToList();
        var years = findings.Select(f => f.FiscalYear - 1).Distinct().ToList();
        var earlier = (await db.Findings.AsNoTracking()
                .Where(p => units.Contains(p.OrganisationId) && years.Contains(p.FiscalYear))
                .Select(p => new { p.OrganisationId, p.FiscalYear, p.Category })
                .ToListAsync(ct))
            .Select(p => (p.OrganisationId, p.FiscalYear, p.Category))
            .ToHashSet();
        return findings.Where(f => earlier.Contains((f.OrganisationId, f.FiscalYear - 1, f.Category))).Select(f => f.Id).ToHashSet();
    }
}
