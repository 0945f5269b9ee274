using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Organisations;

[Authorize(Roles = Roles.Bureau)]
internal sealed class IndexModel(AppDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public OrganisationKind? Kind { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public IReadOnlyList<OrganisationRow> Rows { get; private set; } = [];

    public int Total { get; private set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    public IPage Pager { get; private set; } = Paged<object>.Empty;


    /// <summary>
    /// Suggestions for the organisation search fields (_OrganisationPicker): at most ten active organisations
    /// of the kind asked for, as JSON. The bureau's forms use it with their sign-in cookie; the API is token-only.
    /// </summary>
    public async Task<IActionResult> OnGetSuggestAsync(CancellationToken ct)
    {
        var query = db.Organisations.Where(o => o.IsActive);
        if (Kind is { } kind)
        {
            query = query.Where(o => o.Kind == kind);
        }

        var found = await OrganisationPicker.SuggestAsync(query, Q, ct);
        return new JsonResult(found.Select(o => new { o.Id, o.Name, o.Label }));
    }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var query = db.Organisations.AsNoTracking();
        if (Kind is { } kind)
        {
            query = query.Where(o => o.Kind == kind);
        }

        if (!string.IsNullOrWhiteSpace(Q))
        {
            var q = Q.Trim();
            query = query.NamedLike(q);
        }

        Total = await query.CountAsync(ct);
        var page = await query.OrderBy(o => o.Kind).ThenBy(o => o.Name)
            .Select(o => new OrganisationRow(o.Id, o.Name, o.ShortName, o.Kind, o.Parent != null ? o.Parent.Name : null, o.IsActive, db.Users.Count(u => u.OrganisationId == o.Id)))
            .ToPageAsync(PageNumber, ct);
        (Rows, Pager) = (page.Items, page);
    }
}

internal sealed record OrganisationRow(Guid Id, string Name, string? ShortName, OrganisationKind Kind, string? ParentName, bool IsActive, int Users);
