using System.Security.Claims;
using BudgetEval.Web.Auth;
using BudgetEval.Web.Shared;
using Microsoft.Extensions.Options;

namespace BudgetEval.Web.Workflows;

/// <summary>The counts of one user's 待办: by state, 已逾期, 3 日内到期 and the total.</summary>
internal sealed record InboxCounts(IReadOnlyList<(string State, string Label, int Count)> ByState, int Total, int Overdue, int DueSoon);

/// <summary>
/// 待办 counts for 待办 and the home page. A unit's or firm's queue holds a handful of items and is counted
/// live; the bureau's holds a province's (tens of thousands in one role@organisation, ~200 ms to count), so
/// its counts come from <see cref="FigureReader{TKey,TValue}"/>, per user, with the time they were counted.
/// </summary>
internal sealed class InboxCounter(InboxQueries queries, TimeProvider clock, FigureReader<string, InboxCounts> reader, IOptions<FigureOptions> options)
{
    public async Task<Counted<InboxCounts>> ForAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        var actor = WorkflowActor.From(user);
        var maxAge = TimeSpan.FromSeconds(options.Value.RefreshSeconds);
        if (!DataScope.For(user).SeesAll || maxAge <= TimeSpan.Zero)
        {
            return new(await CountAsync(queries, actor, clock.GetUtcNow(), ct), null);
        }

        // Everything the count depends on is in the key: the personal half and claims are the user's own.
        var key = $"{actor.UserId:N}|{actor.OrganisationId:N}|{string.Join(',', actor.Roles.Order(StringComparer.Ordinal))}";
        var (counts, at) = await reader.GetAsync(key, maxAge,
            (services, c) => SingleWorker.RunAsync(services.GetRequiredService<Infrastructure.Data.AppDbContext>(),
                t => CountAsync(services.GetRequiredService<InboxQueries>(), actor, services.GetRequiredService<TimeProvider>().GetUtcNow(), t), c));
        return new(counts, at);
    }

    // One pass over the open items for all the counts.
    private static async Task<InboxCounts> CountAsync(InboxQueries queries, WorkflowActor actor, DateTimeOffset now, CancellationToken ct)
    {
        var rows = await queries.CountByStateAsync(actor, now, now.AddDays(3), ct);
        return new(
            rows.Select(s => (s.State, s.StateLabel, s.Count)).OrderBy(s => s.StateLabel, StringComparer.Ordinal).ToList(),
            rows.Sum(s => s.Count), rows.Sum(s => s.Overdue), rows.Sum(s => s.Soon));
    }
}
