using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Organisations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Admin.Organisations;

/// <summary>All organisations, filterable by kind (?kind=BudgetUnit) and by name.</summary>
internal sealed class IndexModel(AppDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public OrganisationKind? Kind { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public IReadOnlyList<AdminOrganisationRow> Rows { get; private set; } = [];

    public int Total { get; private set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    public IPage Pager { get; private set; } = Paged<object>.Empty;


    public async Task OnGetAsync(CancellationToken ct)
    {
        var query = db.Organisations.IgnoreQueryFilters().AsNoTracking();
        if (Kind is { } kind)
        {
            query = query.Where(o => o.Kind == kind);
        }

        if (Shared.TextInput.Line(Q) is { } q)
        {
            query = query.NamedLike(q);
        }

        Total = await query.CountAsync(ct);
        var page = await query.OrderBy(o => o.Kind).ThenBy(o => o.Name)
            .Select(o => new AdminOrganisationRow(
                o.Id, o.Name, o.ShortName, o.Kind, o.Parent != null ? o.Parent.Name : null, o.CreditCode, o.IsActive,
                db.Users.Count(u => u.OrganisationId == o.Id)))
            .ToPageAsync(PageNumber, ct);
        (Rows, Pager) = (page.Items, page);
    }
}

internal sealed record AdminOrganisationRow(Guid Id, string Name, string? ShortName, OrganisationKind Kind, string? ParentName, string? CreditCode, bool IsActive, int Users);
