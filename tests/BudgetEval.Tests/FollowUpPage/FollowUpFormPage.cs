using System.Net;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.FollowUpPage;

/// <summary>The follow-up form as a browser holds it: every box's text and hidden stamp, posted back as the browser would.</summary>
internal sealed partial class FollowUpFormPage
{
    private FollowUpFormPage(string url, string token, Dictionary<Guid, string> statements, Dictionary<Guid, string> stamps) =>
        (Url, Token, Statements, Stamps) = (url, token, statements, stamps);

    public string Url { get; }

    public string Token { get; }

    public Dictionary<Guid, string> Statements { get; }

    public Dictionary<Guid, string> Stamps { get; }

    public static async Task<FollowUpFormPage> OpenAsync(HttpClient client, Guid id)
    {
        var html = await client.GetStringAsync($"/self-evaluations/{id}/follow-up");
        return From(html, $"/self-evaluations/{id}/follow-up");
    }

    /// <summary>The form posts back to its own page (<paramref name="url"/>).</summary>
    public static FollowUpFormPage From(string html, string url) => new(
        url,
        AppFixture.AntiforgeryToken(html),
        TextareaPattern().Matches(html).ToDictionary(m => Guid.Parse(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value)),
        StampPattern().Matches(html).ToDictionary(m => Guid.Parse(m.Groups[1].Value), m => m.Groups[2].Value));

    public async Task<HttpResponseMessage> PostAsync(HttpClient client)
    {
        var fields = Statements.Select(s => new KeyValuePair<string, string>($"statements[{s.Key}]", s.Value))
            .Concat(Stamps.Select(s => new KeyValuePair<string, string>($"stamps[{s.Key}]", s.Value)))
            .Append(new("__RequestVerificationToken", Token));
        return await client.PostAsync(Url, new FormUrlEncodedContent(fields));
    }

    /// <summary>The statements stored for one self-evaluation, by finding.</summary>
    public static Task<Dictionary<Guid, string>> StoredAsync(AppFixture app, Guid selfEvaluationId) =>
        app.DbAsync(db => db.FindingStatements.IgnoreQueryFilters().Where(s => s.SelfEvaluationId == selfEvaluationId).ToDictionaryAsync(s => s.FindingId, s => s.Statement));

    /// <summary>One finding's row of the page.</summary>
    public static string Row(string html, Guid findingId) =>
        Regex.Match(html, $"<tr data-finding=\"{findingId}\">.*?</tr>", RegexOptions.Singleline) is { Success: true } m ? m.Value : throw new InvalidOperationException($"no row for {findingId}");

    [GeneratedRegex("<textarea[^>]*name=\"statements\\[([0-9a-f-]+)\\]\"[^>]*>(.*?)</textarea>", RegexOptions.Singleline)]
    private static partial Regex TextareaPattern();

    [GeneratedRegex("name=\"stamps\\[([0-9a-f-]+)\\]\" value=\"([^\"]*)\"")]
    private static partial Regex StampPattern();
}
