using System.Text.RegularExpressions;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.Security;

/// <summary>
/// The browser test sees the pages it opens; this sees the states it does not reach (a kept comment, a version diff, an
/// extension log): no view or HTML written in code has a style attribute or block the CSP would refuse.
/// </summary>
public sealed partial class InlineStyleSourceTests
{
    // Mail is read in mail clients, never served by the app, and needs its inline styles there.
    private static readonly string[] NotServed = [Path.Combine("Notifications", "MailTemplates.cs")];

    // The PDF copy's inlined print.css, printed from a temporary file where no policy applies (ADR 0025).
    private const string PdfOnly = "<style>@Html.Raw(css)</style>";

    [Fact]
    public void Given_the_views_scripts_and_html_written_in_code_Then_none_has_an_inline_style()
    {
        var web = RepositoryFiles.PathOf(Path.Combine("src", "BudgetEval.Web"));
        var found = new List<string>();
        foreach (var file in Directory.EnumerateFiles(web, "*.*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".js", StringComparison.Ordinal))
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                              && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                     .Where(f => !NotServed.Any(n => f.EndsWith(n, StringComparison.Ordinal))))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (InlineStyle().IsMatch(lines[i].Replace(PdfOnly, string.Empty, StringComparison.Ordinal)))
                {
                    found.Add($"{Path.GetRelativePath(web, file)}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.True(found.Count == 0, string.Join(Environment.NewLine, found));
    }

    // style="…" in markup, style=\"…\" in a C# string, setAttribute('style', …) or el.style.… in a script, and any
    // <style> block. The CSP lets a script set el.style, but the look belongs in site.css with the rest (ADR 0025).
    [GeneratedRegex("""\sstyle\s*=\s*\\?["']|<style[\s>]|setAttribute\(\s*["']style["']|\.style\.[a-z]""", RegexOptions.IgnoreCase)]
    private static partial Regex InlineStyle();
}
