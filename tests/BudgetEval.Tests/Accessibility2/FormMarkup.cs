using System.Net;
using System.Text.RegularExpressions;

namespace BudgetEval.Tests.Accessibility2;

/// <summary>
/// Reads server-rendered markup the way the accessibility checks need: which form controls have no accessible
/// name, which required ones do not say （必填） in their name, which tables have no caption. Plain regexes over
/// our own Razor output (attributes are always double-quoted there), not a general HTML parser.
/// </summary>
internal static partial class FormMarkup
{
    /// <summary>One form control as rendered: its tag, id (if any) and its accessible name from a label or aria-label.</summary>
    internal sealed record Control(string Tag, string? Id, string? Name, string? AccessibleName, bool Required);

    public static IReadOnlyList<Control> Controls(string html)
    {
        var labels = LabelFor().Matches(html).ToDictionary(m => m.Groups[1].Value, m => Text(m.Groups[2].Value), StringComparer.Ordinal);
        var controls = new List<Control>();
        foreach (Match m in ControlTag().Matches(html))
        {
            var tag = m.Value;
            var type = Attribute(tag, "type");
            if (m.Groups[1].Value == "input" && type is "hidden" or "submit" or "button" or "reset" or "image")
            {
                continue;
            }

            var id = Attribute(tag, "id");
            var name = NonEmpty(Attribute(tag, "aria-label"))
                ?? (NonEmpty(Attribute(tag, "aria-labelledby")) is { } by ? string.Join(' ', by.Split(' ').Select(x => ElementText(html, x))) : null)
                ?? (id is not null && labels.TryGetValue(id, out var label) ? NonEmpty(label) : null)
                ?? WrappingLabel(html, m.Index);
            controls.Add(new Control(m.Groups[1].Value, id, Attribute(tag, "name"), name, RequiredAttribute().IsMatch(tag)));
        }

        return controls;
    }

    /// <summary>Describes the controls without a name, for an assertion message ("select#unit" or "input[name=q]").</summary>
    public static IReadOnlyList<string> Unnamed(string html) =>
        Controls(html).Where(c => c.AccessibleName is null).Select(Describe).ToList();

    /// <summary>Required controls whose name does not tell a screen reader or a sighted user that they are required.</summary>
    public static IReadOnlyList<string> RequiredWithoutMark(string html) =>
        Controls(html).Where(c => c.Required && c.AccessibleName?.Contains("必填", StringComparison.Ordinal) != true)
            .Select(c => $"{Describe(c)} 「{c.AccessibleName}」").ToList();

    /// <summary>Every table's caption text, or null for a table without one (in page order).</summary>
    public static IReadOnlyList<string?> TableCaptions(string html) =>
        TableOpening().Matches(html).Select(m => m.Groups[1].Success ? Text(m.Groups[1].Value) : null).ToList();

    private static string Describe(Control c) => c.Id is not null ? $"{c.Tag}#{c.Id}" : $"{c.Tag}[name={c.Name}]";

    private static string? WrappingLabel(string html, int at)
    {
        var open = html.LastIndexOf("<label", at, StringComparison.Ordinal);
        var close = html.LastIndexOf("</label>", at, StringComparison.Ordinal);
        if (open < 0 || open < close)
        {
            return null;
        }

        var end = html.IndexOf("</label>", at, StringComparison.Ordinal);
        return end < 0 ? null : NonEmpty(Text(html[open..end]));
    }

    private static string ElementText(string html, string id)
    {
        var at = html.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        if (at < 0)
        {
            return string.Empty;
        }

        var start = html.IndexOf('>', at) + 1;
        var end = html.IndexOf("</", start, StringComparison.Ordinal);
        return Text(html[start..end]);
    }

    private static string? Attribute(string tag, string name) =>
        Regex.Match(tag, $"\\s{Regex.Escape(name)}=\"([^\"]*)\"") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    // Text without tags (an option list inside a wrapping label is not part of the label's name, but also harmless here).
    private static string Text(string markup) => WebUtility.HtmlDecode(Tags().Replace(markup, " ")).Trim();

    [GeneratedRegex("<label\\b[^>]*\\sfor=\"([^\"]+)\"[^>]*>([\\s\\S]*?)</label>")]
    private static partial Regex LabelFor();

    [GeneratedRegex("<(input|select|textarea)\\b[^>]*>")]
    private static partial Regex ControlTag();

    [GeneratedRegex("\\srequired(?=[\\s/>=])")]
    private static partial Regex RequiredAttribute();

    [GeneratedRegex("<table\\b[^>]*>\\s*(?:<caption\\b[^>]*>([\\s\\S]*?)</caption>)?")]
    private static partial Regex TableOpening();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
