using BudgetEval.Web.Infrastructure.Data;
using Quartz;

namespace BudgetEval.Web.Infrastructure.Jobs;

/// <summary>
/// Records each run of a job (which node, when, outcome) for the jobs dashboard. Quartz's own tables know
/// only the next and previous fire times, not who ran a firing or whether it worked.
/// </summary>
internal sealed class JobRunLog(IServiceScopeFactory scopes, TimeProvider clock)
{
    public static string NodeOf(IJobExecutionContext? context) =>
        context is null ? $"manual@{Environment.MachineName}" : context.Scheduler.SchedulerInstanceId;

    public async Task<T> RecordAsync<T>(string job, string node, Func<Task<T>> work, Func<T, string> describe)
    {
        var started = clock.GetUtcNow();
        try
        {
            var result = await work();
            await WriteAsync(new JobRun { Job = job, Node = node, StartedAt = started, FinishedAt = clock.GetUtcNow(), Succeeded = true, Detail = describe(result) });
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await WriteAsync(new JobRun { Job = job, Node = node, StartedAt = started, FinishedAt = clock.GetUtcNow(), Succeeded = false, Detail = Trim(e.Message) });
            throw;
        }
    }

    private async Task WriteAsync(JobRun run)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.JobRuns.Add(run);
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private static string Trim(string s) => s.Length > 2000 ? s[..2000] : s;
}
