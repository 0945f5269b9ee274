using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Shared;

/// <summary>
/// The finance bureau's name for the page footer. An installation serves one district, whose name is data entered with
/// --create-admin or in 机构管理, not text in the layout. Each node keeps it for a few minutes (a rename shows by then).
/// </summary>
internal sealed class BureauName(IDbContextFactory<AppDbContext> contexts, TimeProvider clock, ILogger<BureauName> logger)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private (string? Name, DateTimeOffset Until) _cached;

    public async Task<string?> GetAsync(CancellationToken ct)
    {
        var cached = _cached;
        if (cached.Name is not null && cached.Until > clock.GetUtcNow())
        {
            return cached.Name;
        }

        try
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            var name = await db.Organisations.IgnoreQueryFilters().Where(o => o.Kind == OrganisationKind.FinanceBureau && o.IsActive)
                .OrderBy(o => o.CreatedAt).Select(o => o.Name).FirstOrDefaultAsync(ct);
            _cached = (name, clock.GetUtcNow() + Lifetime);
            return name;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A footer is not worth a failed page: the last known name, or none.
            logger.LogDebug(e, "Bureau name for the footer not read");
            return cached.Name;
        }
    }
}
