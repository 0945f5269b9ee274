using System.Text;

namespace BudgetEval.Web.Shared;

/// <summary>
/// Text as users type or paste it (often from Word or Excel), normalised once at input so that stored values
/// are what downstream systems can take: a title becomes a case title, a 待办, a mail subject, a download's file
/// name and an Excel cell, where a raw line break or control character would travel on. Silent, not an error:
/// a title pasted with a line break is simply meant as one line. Length limits are checked on the result.
/// </summary>
internal static class TextInput
{
    /// <summary>
    /// A single-line field (an &lt;input&gt;): every run of whitespace — CR, LF, tab, NBSP, U+2028/2029 and the
    /// like — becomes one space, other control characters (C0/C1) are dropped, the ends are trimmed; blank is
    /// null. A run made only of ideographic spaces (U+3000) inside the text is kept as typed: Chinese documents
    /// use it on purpose, e.g. to align a two-character name ("张　三") with three-character ones. Invisible
    /// format characters are dropped too (see <see cref="IsInvisible"/>).
    /// </summary>
    public static string? Line(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (IsPlainLine(text))
        {
            return text.Length == 0 ? null : text; // the usual case: nothing to change, nothing allocated
        }

        var result = new StringBuilder(text.Length);
        var run = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                run.Append(c);
            }
            else if (!char.IsControl(c) && !IsInvisible(c))
            {
                if (result.Length > 0 && run.Length > 0)
                {
                    result.Append(IsIdeographicRun(run) ? run.ToString() : " ");
                }

                run.Clear();
                result.Append(c);
            }

            // Any other control character is dropped and does not end a run: "a \u0001 b" is "a b".
        }

        return result.Length == 0 ? null : result.ToString();
    }

    /// <summary>
    /// A multi-line field (a &lt;textarea&gt;): line breaks are kept, written as LF (CRLF, CR, U+2028/2029, NEL,
    /// and Word's manual line break VT and page break FF become LF); tabs are kept; other control characters
    /// (NUL and the like) and invisible format characters are dropped; the ends are trimmed, except a first
    /// paragraph's 全角 indent; blank is null.
    /// </summary>
    public static string? Block(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\r':
                    result.Append('\n');
                    if (i + 1 < text.Length && text[i + 1] == '\n')
                    {
                        i++;
                    }

                    break;
                case '\n' or '\v' or '\f' or '\u0085' or '\u2028' or '\u2029':
                    result.Append('\n');
                    break;
                case '\t':
                    result.Append(c);
                    break;
                default:
                    if (!char.IsControl(c) && !IsInvisible(c))
                    {
                        result.Append(c);
                    }

                    break;
            }
        }

        var text2 = result.ToString().TrimEnd();
        var start = 0;
        while (true)
        {
            // Blank lines before the text go.
            var i = start;
            while (i < text2.Length && text2[i] != '\n' && char.IsWhiteSpace(text2[i]))
            {
                i++;
            }

            if (i < text2.Length && text2[i] == '\n')
            {
                start = i + 1;
                continue;
            }

            break;
        }

        // Spaces before the first line go too, but not its 全角 indent (　　): Chinese paragraphs pasted from Word begin
        // with it, and cutting it made the first paragraph the only one without.
        while (start < text2.Length && text2[start] != '\u3000' && char.IsWhiteSpace(text2[start]))
        {
            start++;
        }

        var trimmed = text2[start..];
        return trimmed.Length == 0 ? null : trimmed;
    }

    /// <summary>A required single-line field: as <see cref="Line"/>, but blank is the empty string.</summary>
    public static string LineOrEmpty(string? text) => Line(text) ?? string.Empty;

    /// <summary>Full-width letters, digits and signs (typed with a Chinese input method) as their ASCII forms.</summary>
    public static string? Narrow(string? text) =>
        text is null || !text.Any(c => c is >= '\uFF01' and <= '\uFF5E')
            ? text
            : string.Concat(text.Select(c => c is >= '\uFF01' and <= '\uFF5E' ? (char)(c - 0xFEE0) : c));

    // Only ordinary characters, single inner spaces and no space at either end.
    private static bool IsPlainLine(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == ' ' ? i == 0 || i == text.Length - 1 || text[i - 1] == ' ' : char.IsWhiteSpace(c) || char.IsControl(c) || IsInvisible(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Characters that change how text reads without being seen: bidirectional marks, embeddings, overrides and
    /// isolates (U+202E turns "报告\u202Excod.exe" into a name that reads as ending in .docx), zero-width space,
    /// word joiner and invisible operators, and the BOM that Excel and Notepad leave at the start of a cell or
    /// file. Two titles that look the same should be the same. ZWJ/ZWNJ stay: they belong to some scripts' spelling.
    /// </summary>
    private static bool IsInvisible(char c) =>
        c is '\u200B' or '\u200E' or '\u200F' or '\u061C' or '\uFEFF'
            or (>= '\u202A' and <= '\u202E') or (>= '\u2060' and <= '\u2064') or (>= '\u2066' and <= '\u2069');

    private static bool IsIdeographicRun(StringBuilder run)
    {
        for (var i = 0; i < run.Length; i++)
        {
            if (run[i] != '\u3000')
            {
                return false;
            }
        }

        return true;
    }
}
