using BudgetEval.Web.Audit;
using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BudgetEval.Web.Account;

/// <summary>
/// Every user changes their own password here. The change renews the security stamp, so sessions on
/// other devices end (within the stamp validation interval); this session is signed in again.
/// </summary>
internal sealed class PasswordModel(UserManager<AppUser> users, SignInManager<AppUser> signIn, AppDbContext db, TimeProvider clock) : PageModel
{
    [BindProperty]
    public string? CurrentPassword { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? ConfirmPassword { get; set; }

    public bool Required => User.HasClaim(AppClaims.MustChangePassword, "true");

    public List<string> Errors { get; } = [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrEmpty(CurrentPassword))
        {
            Errors.Add("「当前密码」：必填。");
        }

        if (string.IsNullOrEmpty(NewPassword))
        {
            Errors.Add("「新密码」：必填。");
        }
        else if (NewPassword != ConfirmPassword)
        {
            Errors.Add("「再次输入新密码」：两次输入的新密码不一致。");
        }
        else if (NewPassword == CurrentPassword)
        {
            Errors.Add("「新密码」：不能与当前密码相同。");
        }

        if (Errors.Count > 0 || await users.GetUserAsync(User) is not { } user)
        {
            return Page();
        }

        var result = await users.ChangePasswordAsync(user, CurrentPassword!, NewPassword!);
        if (!result.Succeeded)
        {
            Errors.AddRange(result.Errors.Select(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch) ? "「当前密码」：不正确。" : "「新密码」：" + e.Description));
            return Page();
        }

        user.MustChangePassword = false;
        AuditTrail.Add(db, HttpContext, clock.GetUtcNow(), AuditActions.PasswordChanged, user.UserName, null);
        await users.UpdateAsync(user); // saves the flag and the audit line together
        await signIn.RefreshSignInAsync(user);
        TempData["Flash"] = "密码已修改。其他设备上的登录将失效。";
        return Redirect("/");
    }
}
