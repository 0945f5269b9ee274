using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BudgetEval.Web.Workflows;

internal static class FireResultPages
{
    /// <summary>Shows a refused operation on the same page: its Chinese messages as form errors, its status code.</summary>
    public static IActionResult Refused(this PageModel page, FireResult result)
    {
        foreach (var m in result.Errors)
        {
            page.ModelState.AddModelError(string.Empty, m);
        }

        page.Response.StatusCode = result.HttpStatus;
        return new PageResult();
    }
}
