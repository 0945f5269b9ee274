using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace BudgetEval.Web.Auth;

internal sealed class LogoutModel(SignInManager<AppUser> signIn, StampConfirmations confirmations, IOptions<IdentityOptions> identity) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        // A cookie copied before the sign-out must not outlive it: renewing the security stamp ends every session
        // and token of the account, at once on this node and within the stamp check's minute on the others.
        if (await signIn.UserManager.GetUserAsync(User) is { } user)
        {
            confirmations.Forget(user.Id, StampConfirmations.Stamp(User, identity.Value));
            await signIn.UserManager.UpdateSecurityStampAsync(user);
        }

        await signIn.SignOutAsync();
        return Redirect("/login");
    }
}
