using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Workflows;

/// <summary>已办: the tasks I completed, newest first.</summary>
internal sealed class DoneModel(InboxQueries queries) : PageModel
{
    public IReadOnlyList<WorkItem> Items { get; private set; } = [];

    public int Total { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var done = queries.DoneBy(WorkflowActor.From(User));
        Total = await done.CountAsync(ct);
        Items = await done.OrderByDescending(w => w.CompletedAt).Take(200).ToListAsync(ct);
    }
}
