using BudgetEval.Web.Audit;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace BudgetEval.Web.Admin.Users;

internal sealed class NewModel(AppDbContext db, UserManager<AppUser> accounts, TimeProvider clock) : UserFormPage(db, accounts)
{
    public override bool IsNew => true;

    public async Task OnGetAsync(Guid? org, CancellationToken ct)
    {
        Input = new UserInput { OrganisationId = org?.ToString() };
        await LoadOptionsAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var org = await ValidateAsync(null, ct);
        var now = clock.GetUtcNow();
        var user = new AppUser
        {
            Id = Guid.CreateVersion7(now),
            UserName = Shared.TextInput.Line(Input.UserName),
            DisplayName = Shared.TextInput.Line(Input.DisplayName) ?? string.Empty,
            Email = Shared.TextInput.Line(Input.Email),
            OrganisationId = org?.Id ?? Guid.Empty,
            IsLeadEvaluator = PostedLeadEvaluator,
            CreatedAt = now,

            // The administrator typed this password (as for a reset): the user replaces it at first sign-in.
            MustChangePassword = true,
        };

        // Identity's own checks (password rules, a taken user name) run now too, so every error is reported in one round.
        if (string.IsNullOrEmpty(Input.Password))
        {
            Errors.Add(AdminForms.Field("初始密码", "必填。"));
        }
        else
        {
            foreach (var validator in Accounts.PasswordValidators)
            {
                Errors.AddRange(AdminForms.Describe(await validator.ValidateAsync(Accounts, user, Input.Password), "初始密码"));
            }
        }

        if (user.UserName is not null)
        {
            foreach (var validator in Accounts.UserValidators)
            {
                Errors.AddRange(AdminForms.Describe(await validator.ValidateAsync(Accounts, user)).Where(e => !Errors.Contains(e)));
            }
        }

        if (Errors.Count > 0 || org is null)
        {
            await LoadOptionsAsync(ct);
            return Page();
        }

        // User and roles together or not at all.
        var errors = await InTransactionAsync(async () =>
        {
            var created = await Accounts.CreateAsync(user, Input.Password!);
            if (!created.Succeeded)
            {
                return AdminForms.Describe(created, "初始密码").ToList();
            }

            var roles = await Accounts.AddToRolesAsync(user, PostedRoles);
            Audit(AuditActions.UserCreated, user, "角色：" + string.Join("、", PostedRoles.Select(Roles.Label)) + "；单位：" + org.Name);
            return roles.Succeeded ? [] : AdminForms.Describe(roles).ToList();
        }, ct);

        if (errors.Count > 0)
        {
            Errors.AddRange(errors);
            Db.ChangeTracker.Clear();
            await LoadOptionsAsync(ct);
            return Page();
        }

        TempData["Flash"] = $"已新增用户“{user.DisplayName}”（{user.UserName}），请将初始密码告知本人；首次登录后须先设置自己的密码。";
        return Redirect($"/admin/users/{user.Id}");
    }
}
