using BudgetEval.Web.Audit;
using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Admin.Users;

/// <summary>
/// Edits one user (not the user name or password), and the account actions: lock, unlock, reset password.
/// Whatever should end the user's existing sessions (lock, new password, other roles or organisation)
/// also renews the security stamp.
/// </summary>
internal sealed class EditModel(AppDbContext db, UserManager<AppUser> accounts, TimeProvider clock, ChinaClock china)
    : UserFormPage(db, accounts)
{
    public override bool IsNew => false;

    public Guid UserId { get; private set; }

    public string UserName { get; private set; } = string.Empty;

    public string StoredDisplayName { get; private set; } = string.Empty;

    public string OrganisationName { get; private set; } = string.Empty;

    /// <summary>False: the user's unit is deactivated, so they cannot sign in even when not locked.</summary>
    public bool OrganisationActive { get; private set; } = true;

    public bool IsLocked { get; private set; }

    public string? LockedUntil { get; private set; }

    public int AccessFailedCount { get; private set; }

    /// <summary>The password is one the administrator set (new account or reset) and the user has not replaced yet.</summary>
    public bool MustChangePassword { get; private set; }

    public string CreatedAt { get; private set; } = string.Empty;

    public string? LastLoginAt { get; private set; }

    /// <summary>The admin looking at their own account: they may not lock it.</summary>
    public bool IsSelf { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await ShowAsync(id, fillForm: true, ct);

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var user = await Accounts.FindByIdAsync(id.ToString());
        if (user is null)
        {
            return NotFound();
        }

        var org = await ValidateAsync(user, ct);
        var currentRoles = await Accounts.GetRolesAsync(user);
        if (IsCurrentUser(user) && currentRoles.Contains(Roles.Admin) && !Input.Roles.Contains(Roles.Admin))
        {
            Errors.Add(AdminForms.Field("角色", "不能取消自己的系统管理员角色。"));
        }

        if (Input.ConcurrencyStamp != user.ConcurrencyStamp)
        {
            Errors.Insert(0, ConflictMessage);
        }

        if (Errors.Count > 0 || org is null)
        {
            return await ShowAsync(id, fillForm: false, ct);
        }

        var posted = PostedRoles;
        var removed = currentRoles.Except(posted).ToList();
        var added = posted.Except(currentRoles).ToList();
        var organisationChanged = user.OrganisationId != org.Id;

        var errors = await InTransactionAsync(async () =>
        {
            user.DisplayName = Shared.TextInput.Line(Input.DisplayName)!;
            user.Email = Shared.TextInput.Line(Input.Email);
            user.OrganisationId = org.Id;
            user.IsLeadEvaluator = PostedLeadEvaluator;

            // Identity's UPDATE checks the stamp it read; make it check the one the form was rendered
            // from, so an edit saved in between (even after the comparison above) is not overwritten.
            user.ConcurrencyStamp = Input.ConcurrencyStamp;
            Db.Entry(user).Property(u => u.ConcurrencyStamp).OriginalValue = Input.ConcurrencyStamp;
            var updated = await Accounts.UpdateAsync(user);
            if (!updated.Succeeded)
            {
                return updated.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure))
                    ? [ConflictMessage]
                    : AdminForms.Describe(updated).ToList();
            }

            if (removed.Count > 0 && await Accounts.RemoveFromRolesAsync(user, removed) is { Succeeded: false } r1)
            {
                return AdminForms.Describe(r1).ToList();
            }

            if (added.Count > 0 && await Accounts.AddToRolesAsync(user, added) is { Succeeded: false } r2)
            {
                return AdminForms.Describe(r2).ToList();
            }

            // Roles and organisation live in the cookie's claims: sign the user out everywhere.
            if ((removed.Count > 0 || added.Count > 0 || organisationChanged)
                && await Accounts.UpdateSecurityStampAsync(user) is { Succeeded: false } r3)
            {
                return AdminForms.Describe(r3).ToList();
            }

            Audit(AuditActions.UserChanged, user, string.Join("；", new[]
            {
                added.Count > 0 ? "增加角色：" + string.Join("、", added.Select(Roles.Label)) : null,
                removed.Count > 0 ? "去除角色：" + string.Join("、", removed.Select(Roles.Label)) : null,
                organisationChanged ? "所属单位改为：" + org.Name : null,
            }.OfType<string>()));
            return [];
        }, ct);

        if (errors.Count > 0)
        {
            Errors.AddRange(errors);
            return await ShowAsync(id, fillForm: false, ct);
        }

        TempData["Flash"] = $"已保存用户“{user.DisplayName}”。";
        return Redirect($"/admin/users/{id}");
    }

    public async Task<IActionResult> OnPostLockAsync(Guid id, CancellationToken ct)
    {
        var user = await Accounts.FindByIdAsync(id.ToString());
        if (user is null)
        {
            return NotFound();
        }

        if (IsCurrentUser(user))
        {
            Errors.Add("不能锁定自己的账户。");
            return await ShowAsync(id, fillForm: true, ct);
        }

        var errors = await InTransactionAsync(async () =>
        {
            if (!await Accounts.GetLockoutEnabledAsync(user) && await Accounts.SetLockoutEnabledAsync(user, true) is { Succeeded: false } r0)
            {
                return AdminForms.Describe(r0).ToList();
            }

            if (await Accounts.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue) is { Succeeded: false } r1)
            {
                return AdminForms.Describe(r1).ToList();
            }

            Audit(AuditActions.UserLocked, user);
            return await Accounts.UpdateSecurityStampAsync(user) is { Succeeded: false } r2 ? AdminForms.Describe(r2).ToList() : [];
        }, ct);

        return await DoneAsync(id, errors, $"已锁定用户“{user.DisplayName}”，该用户已无法登录。", ct);
    }

    public async Task<IActionResult> OnPostUnlockAsync(Guid id, CancellationToken ct)
    {
        var user = await Accounts.FindByIdAsync(id.ToString());
        if (user is null)
        {
            return NotFound();
        }

        var errors = await InTransactionAsync(async () =>
        {
            if (await Accounts.SetLockoutEndDateAsync(user, null) is { Succeeded: false } r1)
            {
                return AdminForms.Describe(r1).ToList();
            }

            Audit(AuditActions.UserUnlocked, user);
            return await Accounts.ResetAccessFailedCountAsync(user) is { Succeeded: false } r2 ? AdminForms.Describe(r2).ToList() : [];
        }, ct);

        return await DoneAsync(id, errors, $"已解锁用户“{user.DisplayName}”。", ct);
    }

    public async Task<IActionResult> OnPostResetPasswordAsync(Guid id, string? newPassword, CancellationToken ct)
    {
        var user = await Accounts.FindByIdAsync(id.ToString());
        if (user is null)
        {
            return NotFound();
        }

        if (string.IsNullOrEmpty(newPassword))
        {
            Errors.Add(AdminForms.Field("新密码", "必填。"));
            return await ShowAsync(id, fillForm: true, ct);
        }

        // ResetPasswordAsync validates the new password before it replaces the old one, so a refused
        // password leaves the account as it was.
        var errors = await InTransactionAsync(async () =>
        {
            var token = await Accounts.GeneratePasswordResetTokenAsync(user);
            if (await Accounts.ResetPasswordAsync(user, token, newPassword) is { Succeeded: false } r1)
            {
                return AdminForms.Describe(r1, "新密码").ToList();
            }

            Audit(AuditActions.PasswordReset, user);
            user.MustChangePassword = true; // the administrator knows this password; the user replaces it at next sign-in
            return await Accounts.UpdateSecurityStampAsync(user) is { Succeeded: false } r2 ? AdminForms.Describe(r2).ToList() : [];
        }, ct);

        return await DoneAsync(id, errors, $"已重置用户“{user.DisplayName}”的密码，请将新密码告知本人。", ct);
    }

    private async Task<IActionResult> DoneAsync(Guid id, IReadOnlyList<string> errors, string flash, CancellationToken ct)
    {
        if (errors.Count > 0)
        {
            Errors.AddRange(errors);
            return await ShowAsync(id, fillForm: true, ct);
        }

        TempData["Flash"] = flash;
        return Redirect($"/admin/users/{id}");
    }

    private bool IsCurrentUser(AppUser user) => User.UserId() == user.Id;

    /// <summary>Renders the page from the database; <paramref name="fillForm"/> false keeps the posted form.</summary>
    private async Task<IActionResult> ShowAsync(Guid id, bool fillForm, CancellationToken ct)
    {
        Db.ChangeTracker.Clear();
        var user = await Db.Users.AsNoTracking().IgnoreQueryFilters()
            .Where(u => u.Id == id)
            .Select(u => new
            {
                User = u,
                OrganisationName = u.Organisation!.Name,
                OrganisationActive = u.Organisation!.IsActive,
                Roles = Db.UserRoles.Where(r => r.UserId == u.Id).Join(Db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToList(),
            })
            .SingleOrDefaultAsync(ct);
        if (user is null)
        {
            return NotFound();
        }

        var u = user.User;
        var now = clock.GetUtcNow();
        UserId = u.Id;
        UserName = u.UserName ?? string.Empty;
        StoredDisplayName = u.DisplayName;
        OrganisationName = user.OrganisationName;
        OrganisationActive = user.OrganisationActive;
        IsLocked = u.LockoutEnd is { } end && end > now;
        LockedUntil = IsLocked && u.LockoutEnd is { } until && until < DateTimeOffset.MaxValue.AddYears(-1)
            ? ChineseFormat.DateTime(china.ToLocal(until))
            : null;
        AccessFailedCount = u.AccessFailedCount;
        MustChangePassword = u.MustChangePassword;
        CreatedAt = ChineseFormat.DateTime(china.ToLocal(u.CreatedAt));
        LastLoginAt = u.LastLoginAt is { } last ? ChineseFormat.DateTime(china.ToLocal(last)) : null;
        IsSelf = IsCurrentUser(u);

        if (fillForm)
        {
            ModelState.Clear();
            Input = new UserInput
            {
                DisplayName = u.DisplayName,
                Email = u.Email,
                OrganisationId = u.OrganisationId.ToString(),
                Roles = user.Roles,
                IsLeadEvaluator = u.IsLeadEvaluator,
                ConcurrencyStamp = u.ConcurrencyStamp,
            };
        }

        await LoadOptionsAsync(ct);
        return Page();
    }
}
