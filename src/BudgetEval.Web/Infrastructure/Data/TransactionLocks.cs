using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace BudgetEval.Web.Infrastructure.Data;

/// <summary>
/// A PostgreSQL advisory lock on a name, held until the current transaction ends: it queues the writers of
/// one thing that no row lock covers (the next number of a year, a unit's year being selected) on every node.
/// </summary>
internal static class TransactionLocks
{
    public static Task LockForTransactionAsync(this DatabaseFacade database, string name, CancellationToken ct) =>
        database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({name}))", ct);
}
