using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Reminders;

/// <summary>The 催办 form on the case page posts here and returns to the case with the outcome.</summary>
internal sealed class RemindModel(ManualReminders reminders, AppDbContext db) : PageModel
{
    // Nothing to show here; a visible case's page is where the form is, anything else looks missing.
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await db.WorkflowInstances.AnyAsync(i => i.Id == id, ct) ? Redirect($"/cases/{id}") : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, Guid? workItemId, string? message, CancellationToken ct)
    {
        var result = await reminders.SendAsync(id, workItemId, message, WorkflowActor.From(User), ct);
        if (result.NotFound)
        {
            return NotFound();
        }

        if (result.Forbidden)
        {
            return Forbid();
        }

        TempData["Flash"] = result.Ok ? $"已催办（{result.Recipients} 人）。" : result.Error;
        return Redirect($"/cases/{id}");
    }
}
