using System.Globalization;

namespace BudgetEval.Web.Shared;

/// <summary>
/// The character counter under a long text box, as the page first shows it; wwwroot/js/unsaved.js keeps it
/// current while typing (data-count-max / data-count-id on the box) with the same text. Counted as the server
/// counts a limit: the text as it will be stored (<see cref="TextInput.Block"/>: line breaks as one, ends trimmed).
/// </summary>
internal static class CharCount
{
    /// <summary>「1,234/2000」, or 「2,001/2000（超出 1 字）」 over the limit.</summary>
    public static string Text(string? text, int max)
    {
        var n = TextInput.Block(text)?.Length ?? 0;
        return n > max
            ? string.Create(CultureInfo.InvariantCulture, $"{n:N0}/{max}（超出 {n - max:N0} 字）")
            : string.Create(CultureInfo.InvariantCulture, $"{n:N0}/{max}");
    }

    /// <summary>The counter's class: char-count, and over when the text is too long.</summary>
    public static string Class(string? text, int max) => (TextInput.Block(text)?.Length ?? 0) > max ? "muted char-count over" : "muted char-count";
}
