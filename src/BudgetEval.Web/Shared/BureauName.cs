using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Shared;

/// <summary>
/// The finance bureau's name for the page footer. An installation serves one district, whose name is data entered with
/// --create-admin or in 机构管理, not text in the layout. Kept by <see cref="BureauLookup"/> for a few minutes per node
/// (a rename shows by then); a context is opened only when it has to be read again.
/// </summary>
internal sealed class BureauName(IDbContextFactory<AppDbContext> contexts, BureauLookup bureau, ILogger<BureauName> logger)
{
    public async Task<string?> GetAsync(CancellationToken ct)
    {
        if (bureau.FreshName is { } fresh)
        {
            return fresh;
        }

        try
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            return await bureau.NameAsync(db, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A footer is not worth a failed page: the last known name, or none.
            logger.LogDebug(e, "Bureau name for the footer not read");
            return bureau.LastKnownName;
        }
    }
}
