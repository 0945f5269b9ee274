using System.Net;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.SelfEvaluationForm2;

/// <summary>The 自评表 page's main form as a browser posts it: every input and text area of <c>#se-form</c> with its current value.</summary>
internal static partial class FormPage
{
    [GeneratedRegex("<form method=\"post\" action=\"[^\"]*\" id=\"se-form\".*?</form>", RegexOptions.Singleline)]
    private static partial Regex MainForm();

    [GeneratedRegex("<input (?<a>[^>]*?)/?>", RegexOptions.Singleline)]
    private static partial Regex Input();

    [GeneratedRegex("<textarea (?<a>[^>]*?)>(?<v>.*?)</textarea>", RegexOptions.Singleline)]
    private static partial Regex TextArea();

    [GeneratedRegex("\\b(?<k>name|value)=\"(?<v>[^\"]*)\"")]
    private static partial Regex Attribute();

    public static Dictionary<string, string> Fields(string html)
    {
        var form = MainForm().Match(html).Value;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in Input().Matches(form))
        {
            var attrs = Attribute().Matches(m.Groups["a"].Value).ToDictionary(a => a.Groups["k"].Value, a => WebUtility.HtmlDecode(a.Groups["v"].Value));
            if (attrs.TryGetValue("name", out var name) && name != "__RequestVerificationToken")
            {
                fields[name] = attrs.GetValueOrDefault("value", string.Empty);
            }
        }

        foreach (Match m in TextArea().Matches(form))
        {
            var name = Attribute().Matches(m.Groups["a"].Value).Single(a => a.Groups["k"].Value == "name").Groups["v"].Value;
            fields[WebUtility.HtmlDecode(name)] = WebUtility.HtmlDecode(m.Groups["v"].Value).TrimStart('\n'); // the parser drops a text area's first line break
        }

        return fields;
    }

    public static async Task<(string Html, Dictionary<string, string> Fields)> OpenAsync(HttpClient client, Guid id)
    {
        var html = await client.GetStringAsync($"/self-evaluations/{id}/form");
        return (html, Fields(html));
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, Guid id, string html, IReadOnlyDictionary<string, string> fields) =>
        client.PostAsync($"/self-evaluations/{id}/form",
            new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", AppFixture.AntiforgeryToken(html)))));
}
