using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace BudgetEval.Tests.Infrastructure;

/// <summary>The count tiles of a page (<c>class="tile" data-count="key"</c>): the number shown and where it links.</summary>
internal static class Tiles
{
    /// <summary>The tile's number and its link (empty for a tile that links nowhere, e.g. 3 日内到期).</summary>
    public static (int Value, string Link) Read(string html, string key)
    {
        var m = Regex.Match(html, $"<(?:a|div) class=\"tile\"(?: href=\"([^\"]*)\")? data-count=\"{Regex.Escape(key)}\">\\s*<div class=\"value\">(\\d+)</div>");
        Assert.True(m.Success, $"no tile {key}");
        return (int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), WebUtility.HtmlDecode(m.Groups[1].Value));
    }

    public static int Value(string html, string key) => Read(html, key).Value;
}
