using BudgetEval.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Shared;

/// <summary>
/// Background recounts (FigureReader's refreshes) run without PostgreSQL's parallel workers: a parallel
/// aggregation over a province took both cores for a second or more, and the pages served meanwhile waited
/// (it showed as the p99 of 数据看板 and 待办). A recount may take longer; nobody waits for it.
/// </summary>
internal static class SingleWorker
{
    public static async Task<T> RunAsync<T>(AppDbContext db, Func<CancellationToken, Task<T>> work, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("SET LOCAL max_parallel_workers_per_gather = 0", ct);
            var result = await work(ct);
            await tx.CommitAsync(ct);
            return result;
        });
    }
}
