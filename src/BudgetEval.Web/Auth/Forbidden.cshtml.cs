using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BudgetEval.Web.Auth;

internal sealed class ForbiddenModel : PageModel
{
    // The page is reached by redirect; it still answers 403 so clients and tests see the refusal.
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
