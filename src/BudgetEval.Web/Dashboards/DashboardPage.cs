using BudgetEval.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Dashboards;

/// <summary>What both dashboard pages share: the GET filters, the category list for the filter form, and Chinese errors for bad values.</summary>
internal abstract class DashboardPage(AppDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Year { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Category { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Source { get; set; }

    public DashboardFilter Filter { get; private set; } = DashboardFilter.None;

    public IReadOnlyList<string> Categories { get; private set; } = [];

    protected AppDbContext Db => db;

    /// <summary>Reads the filters (unit and page only where the page has them); false, with the errors in ModelState, when one is bad.</summary>
    protected async Task<bool> ParseAsync(string? unit, string? page, CancellationToken ct)
    {
        Categories = await db.FindingCategories.AsNoTracking().OrderBy(c => c.SortOrder).ThenBy(c => c.Name).Select(c => c.Name).Take(500).ToListAsync(ct);
        var (filter, errors) = DashboardFilter.Parse(Year, unit, Category, Source, page);
        Filter = filter;
        foreach (var message in errors.SelectMany(e => e.Value))
        {
            ModelState.AddModelError(string.Empty, message);
        }

        // A unit name that matches no unit would show a dashboard of zeros, as if the unit had nothing.
        if (errors.Count == 0 && filter.UnitText is { } text && !await filter.NamedUnits(db).AnyAsync(ct))
        {
            ModelState.AddModelError(string.Empty, Organisations.OrganisationNames.UnknownUnit(text));
            return false;
        }

        return errors.Count == 0;
    }
}
