using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Shared;

/// <summary>
/// One page of a list that can grow to province size (30,000 units, hundreds of thousands of cases).
/// Reads one row more than the page instead of counting, so a page costs the same on page 1 and with a
/// million rows behind it.
/// </summary>
internal sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, bool HasNext) : IPage
{
    public static readonly Paged<T> Empty = new([], 1, Paging.DefaultPageSize, false);

    public int Count => Items.Count;

    public bool HasPrevious => Page > 1;

    public int FirstRow => ((Page - 1) * PageSize) + 1;
}

/// <summary>What the pager (Shared/_Pager.cshtml) needs of any page.</summary>
internal interface IPage
{
    int Page { get; }

    bool HasPrevious { get; }

    bool HasNext { get; }

    int FirstRow { get; }

    int Count { get; }
}

internal static class Paging
{
    public const int DefaultPageSize = 50;

    /// <summary>Pages beyond this are refused (deep OFFSETs read everything before them): narrow the filter instead.</summary>
    public const int MaxPage = 1000;

    public static int Clamp(int? page) => Math.Clamp(page ?? 1, 1, MaxPage);

    public static async Task<Paged<T>> ToPageAsync<T>(this IQueryable<T> ordered, int? page, CancellationToken ct, int pageSize = DefaultPageSize)
    {
        var p = Clamp(page);
        var rows = await ordered.Skip((p - 1) * pageSize).Take(pageSize + 1).ToListAsync(ct);
        var hasNext = rows.Count > pageSize;
        if (hasNext)
        {
            rows.RemoveAt(pageSize);
        }

        return new Paged<T>(rows, p, pageSize, hasNext);
    }

    /// <summary>The query parameter of the page number ("page" is taken by Razor Pages' route values).</summary>
    public const string Parameter = "p";

    /// <summary>The current URL with another page number, keeping the filters.</summary>
    public static string Link(HttpRequest request, int page)
    {
        var query = request.Query.Where(q => !string.Equals(q.Key, Parameter, StringComparison.OrdinalIgnoreCase))
            .SelectMany(q => q.Value.Select(v => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(v ?? string.Empty)}"))
            .Append($"{Parameter}={page.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        return request.Path + "?" + string.Join("&", query);
    }
}
