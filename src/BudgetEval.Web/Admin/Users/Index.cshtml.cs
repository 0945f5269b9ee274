using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Admin.Users;

/// <summary>All users, filterable by organisation (?org=), text (?q=) and lock state (?locked=true).</summary>
internal sealed class IndexModel(AppDbContext db, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid? Org { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Locked { get; set; }

    public IReadOnlyList<OrganisationOption> OrganisationOptions { get; private set; } = [];

    public IReadOnlyList<AdminUserRow> Rows { get; private set; } = [];

    public int Total { get; private set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    public IPage Pager { get; private set; } = Paged<object>.Empty;


    public async Task OnGetAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        OrganisationOptions = await db.Organisations.IgnoreQueryFilters().AsNoTracking()
            .OrderBy(o => o.Kind).ThenBy(o => o.Name)
            .Select(o => new OrganisationOption(o.Id, o.Name, o.Kind, o.IsActive))
            .ToListAsync(ct);

        var query = db.Users.AsNoTracking();
        if (Org is { } orgId)
        {
            query = query.Where(u => u.OrganisationId == orgId);
        }

        if (AdminForms.Clean(Q) is { } q)
        {
            query = query.Where(u => u.DisplayName.Contains(q) || u.UserName!.Contains(q) || (u.Email != null && u.Email.Contains(q)));
        }

        if (Locked)
        {
            query = query.Where(u => u.LockoutEnd != null && u.LockoutEnd > now);
        }

        Total = await query.CountAsync(ct);
        var page = await query
            .OrderBy(u => u.Organisation!.Kind).ThenBy(u => u.Organisation!.Name).ThenBy(u => u.UserName)
            .Select(u => new
            {
                u.Id,
                u.DisplayName,
                u.UserName,
                OrganisationName = u.Organisation!.Name,
                u.LockoutEnd,
                u.IsLeadEvaluator,
                Roles = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToList(),
            })
            .ToPageAsync(PageNumber, ct);
        Pager = page;
        Rows = page.Items.Select(u => new AdminUserRow(
            u.Id,
            u.DisplayName,
            u.UserName ?? string.Empty,
            u.OrganisationName,
            RoleText(u.Roles, u.IsLeadEvaluator),
            u.LockoutEnd is { } end && end > now)).ToList();
    }

    internal static string RoleText(IEnumerable<string> roles, bool lead) =>
        string.Join("、", Roles.All.Where(roles.Contains).Select(r => r == Roles.Evaluator && lead ? Roles.Label(r) + "（主评人）" : Roles.Label(r)));
}

internal sealed record AdminUserRow(Guid Id, string DisplayName, string UserName, string OrganisationName, string Roles, bool IsLocked);
