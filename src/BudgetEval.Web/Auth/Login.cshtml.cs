using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BudgetEval.Web.Auth;

internal sealed class LoginModel(AppSignInManager signIn) : PageModel
{
    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    /// <summary>
    /// Reached with a ReturnUrl: a page or a save was refused because the session had ended (idle timeout, or
    /// signed out in another tab). Said the same way whatever the URL is, and only for a local one.
    /// </summary>
    public bool SessionEnded => !string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl);

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(UserName) || string.IsNullOrEmpty(Password))
        {
            Error = "请填写用户名和密码。";
            return Page();
        }

        var check = await signIn.CheckLoginAsync(UserName.Trim(), Password);
        if (check.RetryAfter is { } wait)
        {
            LoginMessages.SetRetryAfter(HttpContext, wait);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Error = LoginMessages.ThrottledMessage(wait);
            return Page();
        }

        if (!check.Succeeded)
        {
            Error = LoginMessages.Failed; // the same for every cause (see AppSignInManager.CheckLoginAsync)
            return Page();
        }

        await signIn.CompleteLoginAsync(check.User!, isPersistent: false);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }
}
