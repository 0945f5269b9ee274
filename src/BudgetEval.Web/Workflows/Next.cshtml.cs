using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Workflows;

/// <summary>
/// 审核下一份: from a case just decided (or skipped), on to the next open item of 待办 in its order (due date, then
/// arrival) under the same filters, without going back to the list. At the end of the queue it starts again from
/// the top (items skipped earlier); with nothing left it returns to 待办 saying so.
/// </summary>
internal sealed class NextModel(InboxQueries queries, Infrastructure.Data.AppDbContext db, TimeProvider clock) : PageModel
{
    public const string NoneLeft = "已没有其他符合筛选条件的待办。";

    public async Task<IActionResult> OnGetAsync(Guid? after, CancellationToken ct)
    {
        var filter = InboxFilter.Parse(Request.QueryString.Value);
        var actor = WorkflowActor.From(User);
        var mine = filter.Apply(queries.OpenFor(actor), clock.GetUtcNow(), db);
        var rest = after is { } caseId ? mine.Where(w => w.InstanceId != caseId) : mine;

        WorkItem? next = null;
        if (after is { } current)
        {
            // Where that case stood in the queue: my open item of it (skipped), else the one I just completed.
            var from = await Ordered(mine.Where(w => w.InstanceId == current)).FirstOrDefaultAsync(ct)
                ?? await db.WorkItems.AsNoTracking().Where(w => w.InstanceId == current && w.CompletedBy == actor.UserId)
                    .OrderByDescending(w => w.CompletedAt).FirstOrDefaultAsync(ct);
            if (from is not null)
            {
                next = await Ordered(After(rest, from)).FirstOrDefaultAsync(ct);
            }
        }

        next ??= await Ordered(rest).FirstOrDefaultAsync(ct);
        if (next is null)
        {
            TempData["Flash"] = NoneLeft;
            return Redirect(filter.InboxLink);
        }

        return Redirect(filter.CaseLink(next.InstanceId));
    }

    // 待办's own order (InboxQueries): due date with the undated last, then arrival, then id.
    private static IQueryable<WorkItem> Ordered(IQueryable<WorkItem> items) =>
        items.OrderBy(w => w.DueAt == null).ThenBy(w => w.DueAt).ThenBy(w => w.CreatedAt).ThenBy(w => w.Id);

    /// <summary>The items that come after <paramref name="from"/> in that order.</summary>
    private static IQueryable<WorkItem> After(IQueryable<WorkItem> items, WorkItem from)
    {
        var (created, id) = (from.CreatedAt, from.Id);
        return from.DueAt is { } due
            ? items.Where(w => w.DueAt == null || w.DueAt > due
                || (w.DueAt == due && (w.CreatedAt > created || (w.CreatedAt == created && w.Id.CompareTo(id) > 0))))
            : items.Where(w => w.DueAt == null && (w.CreatedAt > created || (w.CreatedAt == created && w.Id.CompareTo(id) > 0)));
    }
}
