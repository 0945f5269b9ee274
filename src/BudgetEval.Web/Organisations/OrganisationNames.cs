using BudgetEval.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Organisations;

internal static class OrganisationNames
{
    /// <summary>The organisations whose full or short name contains the text: what a typed unit filter means.</summary>
    public static IQueryable<Organisation> NamedLike(this IQueryable<Organisation> organisations, string text) =>
        organisations.Where(o => o.Name.Contains(text) || (o.ShortName != null && o.ShortName.Contains(text)));

    public static string UnknownUnit(string text) => $"「单位」：没有名称或简称含“{text}”的单位。";

    /// <summary>
    /// A typed unit filter (not an id) that names no organisation, as the message a list shows; null otherwise.
    /// An empty list for it would read as "this unit has none".
    /// </summary>
    public static async Task<string?> UnknownFilterAsync(AppDbContext db, string? typed, CancellationToken ct) =>
        typed is { Length: > 0 } text && !Guid.TryParse(text, out _) && !await db.Organisations.NamedLike(text).AnyAsync(ct) ? UnknownUnit(text) : null;

    /// <summary>
    /// Names of organisations a caller may see named on a record (a firm sees the unit it evaluates).
    /// A query of its own: IgnoreQueryFilters inside the records' query would lift the data scope from all of it.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, string>> ForAsync(AppDbContext db, IEnumerable<Guid?> ids, CancellationToken ct)
    {
        var wanted = ids.OfType<Guid>().Distinct().ToList();
        // Two columns, untracked: every list page asks for its rows' names, and whole entities cost a page measurably.
        return await db.Organisations.IgnoreQueryFilters().Where(o => wanted.Contains(o.Id)).Select(o => new { o.Id, o.Name }).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
    }
}
