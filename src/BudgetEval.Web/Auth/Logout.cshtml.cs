using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace BudgetEval.Web.Auth;

internal sealed class LogoutModel(SignInManager<AppUser> signIn, StampConfirmations confirmations, IOptions<IdentityOptions> identity,
    Infrastructure.Data.AppDbContext db, TimeProvider clock) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        // A cookie copied before the sign-out must not outlive it: renewing the security stamp ends every session
        // and token of the account, at once on this node and within the stamp check's minute on the others.
        if (await signIn.UserManager.GetUserAsync(User) is { } user)
        {
            confirmations.Forget(user.Id, StampConfirmations.Stamp(User, identity.Value));

            // Saved by the stamp renewal's own SaveChanges: the line and the sign-out's effect go together.
            Audit.AuditTrail.Add(db, HttpContext, clock.GetUtcNow(), Audit.AuditActions.Logout, user.UserName, "网页登录（本账户的全部会话和令牌随之失效）",
                actorId: user.Id, actorName: Audit.AuditTrail.ActorName(user.DisplayName, user.UserName), organisationId: user.OrganisationId);
            await signIn.UserManager.UpdateSecurityStampAsync(user);
        }

        await signIn.SignOutAsync();
        return Redirect("/login");
    }
}
