using BudgetEval.Web.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Workflows;

/// <summary>已办: the tasks I completed, newest first.</summary>
internal sealed class DoneModel(InboxQueries queries) : PageModel
{
    public IReadOnlyList<WorkItem> Items { get; private set; } = [];

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    public IPage Pager { get; private set; } = Paged<object>.Empty;


    public int Total { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var done = queries.DoneBy(WorkflowActor.From(User));
        Total = await done.CountAsync(ct);
        var page = await done.OrderByDescending(w => w.CompletedAt).ThenBy(w => w.Id).ToPageAsync(PageNumber, ct);
        (Items, Pager) = (page.Items, page);
    }
}
