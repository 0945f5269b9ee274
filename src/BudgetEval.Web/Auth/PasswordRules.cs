using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;

namespace BudgetEval.Web.Auth;

/// <summary>
/// At least 10 characters from at least three of: lower case, upper case, digits, symbols.
/// Identity's own options can only demand each class separately, hence this validator.
/// </summary>
internal sealed class ThreeClassPasswordValidator : IPasswordValidator<AppUser>
{
    public const int MinimumLength = 10;

    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password)
    {
        password ??= string.Empty;
        var errors = new List<IdentityError>();
        if (password.Length < MinimumLength)
        {
            errors.Add(new IdentityError { Code = "PasswordTooShort", Description = $"密码至少需要 {MinimumLength} 个字符。" });
        }

        if (CountClasses(password) < 3)
        {
            errors.Add(new IdentityError { Code = "PasswordTooSimple", Description = "密码需包含大写字母、小写字母、数字、符号中的至少三类。" });
        }

        if (user.UserName is { Length: > 0 } name && password.Contains(name, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(new IdentityError { Code = "PasswordContainsUserName", Description = "密码不能包含用户名。" });
        }

        return Task.FromResult(errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]));
    }

    internal static int CountClasses(string password) =>
        (password.Any(char.IsLower) ? 1 : 0)
        + (password.Any(char.IsUpper) ? 1 : 0)
        + (password.Any(char.IsDigit) ? 1 : 0)
        + (password.Any(c => !char.IsLetterOrDigit(c)) ? 1 : 0);
}

/// <summary>Identity's messages in Chinese, for the ones users can actually meet.</summary>
internal sealed class ChineseIdentityErrorDescriber : IdentityErrorDescriber
{
    public override IdentityError DuplicateUserName(string userName) => new() { Code = nameof(DuplicateUserName), Description = $"用户名“{userName}”已被使用。" };

    public override IdentityError DuplicateEmail(string email) => new() { Code = nameof(DuplicateEmail), Description = $"电子邮箱“{email}”已被使用。" };

    public override IdentityError InvalidUserName(string? userName) => new() { Code = nameof(InvalidUserName), Description = $"用户名“{userName}”无效：只能包含字母、数字和 - . _ @。" };

    public override IdentityError InvalidEmail(string? email) => new() { Code = nameof(InvalidEmail), Description = $"电子邮箱“{email}”格式不正确。" };

    // Identity's own length check is off (RequiredLength 0), but keep its words Chinese should it be turned on.
    public override IdentityError PasswordTooShort(int length) => new() { Code = nameof(PasswordTooShort), Description = $"密码至少需要 {length} 个字符。" };

    public override IdentityError PasswordMismatch() => new() { Code = nameof(PasswordMismatch), Description = "密码不正确。" };

    public override IdentityError ConcurrencyFailure() => new() { Code = nameof(ConcurrencyFailure), Description = "该记录已被他人修改，请刷新后重试。" };

    public override IdentityError UserAlreadyInRole(string role) => new() { Code = nameof(UserAlreadyInRole), Description = $"用户已具有角色“{Roles.Label(role)}”。" };

    public override IdentityError UserNotInRole(string role) => new() { Code = nameof(UserNotInRole), Description = $"用户不具有角色“{Roles.Label(role)}”。" };

    public override IdentityError UserLockoutNotEnabled() => new() { Code = nameof(UserLockoutNotEnabled), Description = "该用户未启用锁定。" };

    public override IdentityError DefaultError() => new() { Code = nameof(DefaultError), Description = "操作失败，请稍后重试。" };
}
