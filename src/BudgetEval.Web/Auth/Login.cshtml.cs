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
    public bool SessionEnded => !SignedIn && !string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl);

    /// <summary>
    /// Someone already signed in (a bookmark of the login page, a second tab, the login opened from the
    /// session banner after the session came back): told so, with a way on, rather than that their session ended.
    /// The form stays, to sign in as someone else.
    /// </summary>
    public bool SignedIn => User.Identity?.IsAuthenticated == true;

    /// <summary>Where 继续使用 leads a signed-in user: the page they were sent from, else the home page.</summary>
    public string ContinueUrl => !string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/";

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
