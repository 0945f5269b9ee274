using BudgetEval.Web.Audit;
using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace BudgetEval.Web.Account;

/// <summary>
/// Every user changes their own password here. The change renews the security stamp, so sessions on
/// other devices end (within the stamp validation interval); this session is signed in again.
/// </summary>
internal sealed class PasswordModel(
    UserManager<AppUser> users,
    SignInManager<AppUser> signIn,
    AppDbContext db,
    TimeProvider clock,
    StampConfirmations confirmations,
    IOptions<IdentityOptions> identity) : PageModel
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

        // Wrong current passwords count like wrong passwords at login, so a borrowed session cannot guess it freely.
        if (await users.IsLockedOutAsync(user))
        {
            Errors.Add(Locked);
            return Page();
        }

        if (!await users.CheckPasswordAsync(user, CurrentPassword!))
        {
            return await WrongCurrentPasswordAsync(user);
        }

        var result = await users.ChangePasswordAsync(user, CurrentPassword!, NewPassword!);
        if (!result.Succeeded)
        {
            Errors.AddRange(result.Errors.Select(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch) ? "「当前密码」：不正确。" : "「新密码」：" + e.Description));
            return Page();
        }

        user.MustChangePassword = false;
        user.AccessFailedCount = 0;
        AuditTrail.Add(db, HttpContext, clock.GetUtcNow(), AuditActions.PasswordChanged, user.UserName, null);
        await users.UpdateAsync(user); // saves the flag and the audit line together
        await signIn.RefreshSignInAsync(user);
        TempData["Flash"] = "密码已修改。其他设备上的登录将失效。";
        return Redirect("/");
    }

    private const string Locked = "账户当前处于锁定状态，暂时不能修改密码。请稍后再试或联系系统管理员。";

    private async Task<IActionResult> WrongCurrentPasswordAsync(AppUser user)
    {
        var now = clock.GetUtcNow();
        var (count, lockedNow) = await FailedSignIns.CountAsync(db, user, identity.Value.Lockout); // saves the count, and the lockout when it is reached
        AuditTrail.Add(db, HttpContext, now, AuditActions.PasswordChangeFailed, user.UserName, "当前密码错误");
        if (!lockedNow)
        {
            await db.SaveChangesAsync();
            var left = identity.Value.Lockout.MaxFailedAccessAttempts - count;
            Errors.Add($"「当前密码」：不正确。再输错 {left} 次，账户将锁定 15 分钟并退出登录。");
            return Page();
        }

        // Locked: this session and every other one of the account end (as at 退出登录), whoever holds them.
        AuditTrail.Add(db, HttpContext, now, AuditActions.LockedOut, user.UserName, "修改密码时连续输错当前密码，锁定 15 分钟");
        await db.SaveChangesAsync();
        confirmations.Forget(user.Id, StampConfirmations.Stamp(User, identity.Value));
        await users.UpdateSecurityStampAsync(user);
        await signIn.SignOutAsync();
        TempData["Flash"] = "当前密码连续输错次数过多，账户已锁定 15 分钟，您已退出登录。如非本人操作，请联系系统管理员。";
        return Redirect("/login");
    }
}
