using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Users;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Workflows;

/// <summary>
/// Who a task may be delegated (委托) or reassigned (改派) to: people of the task's organisation with its role
/// who can sign in. A locked account would hold the task where nobody can act on it.
/// </summary>
internal static class TaskAssignees
{
    public static IQueryable<AppUser> Of(AppDbContext db, Guid organisationId, string role, DateTimeOffset now) =>
        // As the system: a unit may delegate within itself, the bureau may reassign to a unit user.
        db.Users.IgnoreQueryFilters().Where(u => u.OrganisationId == organisationId
            && (u.LockoutEnd == null || u.LockoutEnd <= now)
            && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == role)));
}
