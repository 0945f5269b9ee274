using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Workflows;

/// <summary>
/// The finance bureau's id, which every bureau-scoped work item needs. It practically never changes, so
/// each node keeps it for a few minutes instead of asking on every transition.
/// </summary>
internal sealed class BureauLookup(TimeProvider clock)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private (Guid? Id, DateTimeOffset Until) _cached;

    public async Task<Guid?> IdAsync(AppDbContext db, CancellationToken ct)
    {
        var cached = _cached;
        if (cached.Id is not null && cached.Until > clock.GetUtcNow())
        {
            return cached.Id;
        }

        var id = await db.Organisations.IgnoreQueryFilters().Where(o => o.Kind == OrganisationKind.FinanceBureau && o.IsActive)
            .OrderBy(o => o.CreatedAt).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(ct);
        _cached = (id, clock.GetUtcNow() + Lifetime);
        return id;
    }
}
