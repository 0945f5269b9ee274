using BudgetEval.Web.Organisations;
using Microsoft.AspNetCore.Identity;

namespace BudgetEval.Web.Users;

internal sealed class AppUser : IdentityUser<Guid>
{
    /// <summary>The person's name as shown in the UI, e.g. 张三.</summary>
    public required string DisplayName { get; set; }

    public Guid OrganisationId { get; set; }

    public Organisation? Organisation { get; set; }

    /// <summary>主评人: the lead evaluator of a third-party firm.</summary>
    public bool IsLeadEvaluator { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastLoginAt { get; set; }

    /// <summary>Set when an administrator resets the password: the user must choose their own at next sign-in.</summary>
    public bool MustChangePassword { get; set; }
}

internal sealed class AppRole : IdentityRole<Guid>
{
    public AppRole()
    {
    }

    public AppRole(string name)
        : base(name)
    {
    }
}
