using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Workflows;

/// <summary>
/// The finance bureau's id, which every bureau-scoped work item needs, and its name, which the page footer shows. They
/// practically never change, so each node keeps them for a few minutes instead of asking on every transition or page.
/// </summary>
internal sealed class BureauLookup(TimeProvider clock)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private (Guid? Id, string? Name, DateTimeOffset Until) _cached;

    /// <summary>The name last read, fresh or not (null before the first read).</summary>
    public string? LastKnownName => _cached.Name;

    /// <summary>The name while it is fresh, without a database round trip.</summary>
    public string? FreshName => _cached is { Id: not null, Name: var name } cached && cached.Until > clock.GetUtcNow() ? name : null;

    public async Task<Guid?> IdAsync(AppDbContext db, CancellationToken ct) => (await LoadAsync(db, ct)).Id;

    public async Task<string?> NameAsync(AppDbContext db, CancellationToken ct) => (await LoadAsync(db, ct)).Name;

    private async Task<(Guid? Id, string? Name, DateTimeOffset Until)> LoadAsync(AppDbContext db, CancellationToken ct)
    {
        var cached = _cached;
        if (cached.Id is not null && cached.Until > clock.GetUtcNow())
        {
            return cached;
        }

        var bureau = await db.Organisations.IgnoreQueryFilters().Where(o => o.Kind == OrganisationKind.FinanceBureau && o.IsActive)
            .OrderBy(o => o.CreatedAt).Select(o => new { o.Id, o.Name }).FirstOrDefaultAsync(ct);
        return _cached = (bureau?.Id, bureau?.Name, clock.GetUtcNow() + Lifetime);
    }
}
