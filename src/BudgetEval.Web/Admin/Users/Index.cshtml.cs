using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Admin.Users;

/// <summary>
/// All users, filterable by organisation (?org=, an id or a typed name, short name or 统一社会信用代码),
/// text (?q=) and lock state (?locked=true).
/// </summary>
internal sealed class IndexModel(AppDbContext db, TimeProvider clock) : PageModel
{
    /// <summary>An id (the drop-down, links from other pages) or what was typed into the search field.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Org { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Locked { get; set; }

    /// <summary>The 单位 filter: a list while there are few organisations, a search field once there are many.</summary>
    public OrganisationChoices OrganisationChoices { get; private set; } = new([]);

    /// <summary>What the 单位 filter holds: the id it resolved to, else the text as given.</summary>
    public string? OrgValue { get; private set; }

    /// <summary>What the 单位 search field shows: the organisation's name when the filter is an id.</summary>
    public string? OrgText { get; private set; }

    public List<string> Errors { get; } = [];

    /// <summary>The organisation the list is filtered to, if one: 新增用户 starts there.</summary>
    public Guid? PickedOrganisationId { get; private set; }

    public IReadOnlyList<AdminUserRow> Rows { get; private set; } = [];

    public int Total { get; private set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    public IPage Pager { get; private set; } = Paged<object>.Empty;


    public async Task OnGetAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var organisations = db.Organisations.IgnoreQueryFilters();
        OrganisationChoices = await OrganisationPicker.ChoicesAsync(organisations, ct);
        var picked = await OrganisationPicker.ResolveAsync(organisations, Org, ct);
        (OrgValue, OrgText) = picked.Id is null ? (Shared.TextInput.Line(Org), null)
            : await OrganisationPicker.ShownAsync(organisations, OrganisationChoices, picked.Id.ToString(), picked.Id, ct);
        if (picked.Error is { } orgError)
        {
            // A filter that names no organisation (or several) lists nobody rather than everybody.
            Errors.Add(AdminForms.Field("单位", orgError));
            return;
        }

        var query = db.Users.AsNoTracking();
        PickedOrganisationId = picked.Id;
        if (picked.Id is { } orgId)
        {
            query = query.Where(u => u.OrganisationId == orgId);
        }

        if (Shared.TextInput.Line(Q) is { } q)
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
                OrganisationActive = u.Organisation!.IsActive,
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
            u.LockoutEnd is { } end && end > now,
            u.OrganisationActive)).ToList();
    }

    internal static string RoleText(IEnumerable<string> roles, bool lead) =>
        string.Join("、", Roles.All.Where(roles.Contains).Select(r => r == Roles.Evaluator && lead ? Roles.Label(r) + "（主评人）" : Roles.Label(r)));
}

/// <param name="OrganisationActive">False: the user cannot sign in (the unit is deactivated), though not locked.</param>
internal sealed record AdminUserRow(Guid Id, string DisplayName, string UserName, string OrganisationName, string Roles, bool IsLocked, bool OrganisationActive);
