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

    /// <summary>The query parameter that carries the page number (another one when a page shows two lists).</summary>
    public string Parameter { get; init; } = Paging.Parameter;
}

/// <summary>What the pager (Shared/_Pager.cshtml) needs of any page.</summary>
internal interface IPage
{
    int Page { get; }

    bool HasPrevious { get; }

    bool HasNext { get; }

    int FirstRow { get; }

    int Count { get; }

    string Parameter { get; }
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
        return Page(await ordered.Skip((p - 1) * pageSize).Take(pageSize + 1).ToListAsync(ct), p, pageSize);
    }

    /// <summary>Page <paramref name="page"/> from its rows read with one more than the page (the "has next" row).</summary>
    public static Paged<T> Page<T>(List<T> rows, int page, int pageSize = DefaultPageSize)
    {
        var hasNext = rows.Count > pageSize;
        if (hasNext)
        {
            rows.RemoveAt(pageSize);
        }

        return new Paged<T>(rows, page, pageSize, hasNext);
    }

    /// <summary>The query parameter of the page number ("page" is taken by Razor Pages' route values).</summary>
    public const string Parameter = "p";

    /// <summary>The current URL with another page number, keeping the filters.</summary>
    public static string Link(HttpRequest request, int page, string parameter = Parameter)
    {
        var query = request.Query.Where(q => !string.Equals(q.Key, parameter, StringComparison.OrdinalIgnoreCase))
            .SelectMany(q => q.Value.Select(v => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(v ?? string.Empty)}"))
            .Append($"{parameter}={page.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        return request.Path + "?" + string.Join("&", query);
    }
}

/// <summary>
/// Pages of the API's lists: <c>?page=</c> (1–1000) and <c>?pageSize=</c> (1–1000, default 100). The body stays
/// what it was (the list); the headers say where it is: <c>X-Page</c>, <c>X-Page-Size</c>,
/// <c>X-Has-Next</c>, and a <c>Link: &lt;…&gt;; rel="next"</c> while more follows. A list used to stop silently
/// at its first 500–2,000 rows.
/// </summary>
internal readonly record struct ApiPage(int Page, int Size)
{
    public const int DefaultSize = 100;

    public const int MaxSize = 1000;

    /// <summary>The page asked for, or the Chinese error naming the parameter that is wrong.</summary>
    public static (ApiPage Page, Dictionary<string, string[]> Errors) From(HttpRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        var page = Read(request, "page", 1, Paging.MaxPage, errors);
        var size = Read(request, "pageSize", DefaultSize, MaxSize, errors);
        return (new ApiPage(page, size), errors);
    }

    /// <summary>The page asked for; false with the Chinese validation problem to answer when a parameter is wrong.</summary>
    public static bool TryFrom(HttpRequest request, out ApiPage page, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out IResult? problem)
    {
        (page, var errors) = From(request);
        problem = errors.Count > 0 ? Infrastructure.Web.ApiProblems.Validation(errors) : null;
        return problem is null;
    }

    private static int Read(HttpRequest request, string name, int fallback, int max, Dictionary<string, string[]> errors)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0)
        {
            return fallback;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= 1 && value <= max)
        {
            return value;
        }

        errors[name] = [$"{name} 须为 1 到 {max} 之间的整数（收到“{text}”）。"];
        return fallback;
    }

    /// <summary>This page of an ordered query (the order must be total, e.g. end with the id); sets the headers.</summary>
    public async Task<IReadOnlyList<T>> ReadAsync<T>(IQueryable<T> ordered, HttpContext http, CancellationToken ct)
    {
        var page = await ordered.ToPageAsync(Page, ct, Size);
        WriteHeaders(http, page.HasNext);
        return page.Items;
    }

    /// <summary>The headers that say where this page is, for a list read some other way than <see cref="ReadAsync"/>.</summary>
    public void WriteHeaders(HttpContext http, bool hasNext)
    {
        var headers = http.Response.Headers;
        headers["X-Page"] = Page.ToString(System.Globalization.CultureInfo.InvariantCulture);
        headers["X-Page-Size"] = Size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        headers["X-Has-Next"] = hasNext ? "true" : "false";
        if (hasNext)
        {
            headers.Link = $"<{http.Request.PathBase}{Paging.Link(http.Request, Page + 1, "page")}>; rel=\"next\"";
        }
    }
}
