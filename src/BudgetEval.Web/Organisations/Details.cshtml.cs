using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Organisations;

/// <summary>An organisation's profile. The query filter answers 404 for anything outside the caller's scope.</summary>
internal sealed class DetailsModel(AppDbContext db) : PageModel
{
    public Organisation Org { get; private set; } = null!;

    public IReadOnlyList<string> Children { get; private set; } = [];

    public IReadOnlyList<(string DisplayName, string? UserName, string Roles)> Users { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var org = await db.Organisations.AsNoTracking().Include(o => o.Parent).SingleOrDefaultAsync(o => o.Id == id, ct);
        if (org is null)
        {
            return NotFound();
        }

        Org = org;
        Children = await db.Organisations.Where(o => o.ParentId == id).OrderBy(o => o.Name).Select(o => o.Name).ToListAsync(ct);

        // Users are reached only through an organisation the caller may see.
        var users = await db.Users.AsNoTracking().Where(u => u.OrganisationId == org.Id).OrderBy(u => u.UserName)
            .Select(u => new { u.DisplayName, u.UserName, u.IsLeadEvaluator, Roles = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToList() })
            .ToListAsync(ct);

        // Worded as in 用户管理: 评价人员（主评人） for a firm's lead evaluator.
        Users = users.Select(u => (u.DisplayName, u.UserName, Admin.Users.IndexModel.RoleText(u.Roles, u.IsLeadEvaluator))).ToList();
        return Page();
    }
}
