using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BudgetEval.Web.Reminders;

/// <summary>The 催办 form on the case page posts here and returns to the case with the outcome.</summary>
internal sealed class RemindModel(ManualReminders reminders) : PageModel
{
    public IActionResult OnGet(Guid id) => Redirect($"/cases/{id}");

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
