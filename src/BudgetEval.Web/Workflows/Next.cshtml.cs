using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Workflows;

/// <summary>
/// 审核下一份: from a case just decided (or skipped), on to the next open item of 待办 in its order
/// (<see cref="InboxQueries.InboxOrder"/>) under the same filters, without going back to the list. At the end of the queue it starts again from
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
            var from = await InboxQueries.InboxOrder(mine.Where(w => w.InstanceId == current)).FirstOrDefaultAsync(ct)
                ?? await db.WorkItems.AsNoTracking().Where(w => w.InstanceId == current && w.CompletedBy == actor.UserId)
                    .OrderByDescending(w => w.CompletedAt).FirstOrDefaultAsync(ct);
            if (from is not null)
            {
                next = await InboxQueries.InboxOrder(InboxQueries.AfterInInboxOrder(rest, from)).FirstOrDefaultAsync(ct);
            }
        }

        next ??= await InboxQueries.InboxOrder(rest).FirstOrDefaultAsync(ct);
        if (next is null)
        {
            TempData["Flash"] = NoneLeft;
            return Redirect(filter.InboxLink);
        }

        return Redirect(filter.CaseLink(next.InstanceId));
    }
}
