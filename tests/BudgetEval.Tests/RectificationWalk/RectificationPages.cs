using System.Net;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Admin;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Rectifications;

namespace BudgetEval.Tests.RectificationWalk;

/// <summary>
/// The rectification journey through its pages, as a browser posts them: the finding page's forms (with the stamp they
/// show) and the case page's action forms (with the version they show).
/// </summary>
internal sealed class RectificationPages(AppFixture app)
{
    public RectificationApi Api { get; } = new(app);

    /// <summary>A demo 2021 finding of the centre by its number (e.g. 2021-第三方评价-001), as 问题台账 links it.</summary>
    public static async Task<Guid> DemoFindingAsync(HttpClient client, string number)
    {
        var list = await client.GetStringAsync("/findings?FiscalYear=2021");
        var row = Regex.Match(list, $"<td>{Regex.Escape(number)}</td>.*?href=\"/findings/([0-9a-f-]{{36}})\"", RegexOptions.Singleline);
        Assert.True(row.Success, $"{number} not in 问题台账");
        return Guid.Parse(row.Groups[1].Value);
    }

    public async Task<Guid> CaseOfAsync(Guid findingId) =>
        (await Api.FindingAsync("finance", findingId)).GetProperty("case").GetProperty("id").GetGuid();

    /// <summary>The stamp the finding page's forms carry, as the page shows it now.</summary>
    public static async Task<string> StampAsync(HttpClient client, string url) =>
        Regex.Match(await client.GetStringAsync(url), "name=\"stamp\" value=\"([0-9a-f]{16})\"").Groups[1].Value;

    public static async Task<HttpResponseMessage> PlanAsync(HttpClient unit, Guid id, string measures, string responsible, string plannedDate) =>
        await unit.PostFormAsync($"/findings/{id}",
            [new("measures", measures), new("responsible", responsible), new("plannedDate", plannedDate), new("stamp", await StampAsync(unit, $"/findings/{id}"))],
            $"/findings/{id}?handler=Plan");

    public static async Task<HttpResponseMessage> ResultAsync(HttpClient unit, Guid id, string result) =>
        await unit.PostFormAsync($"/findings/{id}", [new("result", result), new("stamp", await StampAsync(unit, $"/findings/{id}"))], $"/findings/{id}?handler=Result");

    public static async Task<HttpResponseMessage> RequestedDeadlineAsync(HttpClient unit, Guid id, string date) =>
        await unit.PostFormAsync($"/findings/{id}", [new("deadline", date), new("stamp", await StampAsync(unit, $"/findings/{id}"))], $"/findings/{id}?handler=RequestedDeadline");

    /// <summary>An action pressed on the case page; the page answers with a redirect to itself (the outcome is read there).</summary>
    public async Task<HttpResponseMessage> FireAsync(HttpClient client, Guid caseId, string action, string comment, params KeyValuePair<string, string>[] more)
    {
        var response = await client.PostFormAsync($"/cases/{caseId}",
            [new("action", action), new("expectedVersion", $"{await Api.Cases.VersionAsync(caseId)}"), new("comment", comment), .. more], $"/cases/{caseId}?handler=Fire");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response;
    }

    /// <summary>The page's text without tags and with entities decoded: what a reader sees, in order.</summary>
    public static string Text(string html) =>
        Regex.Replace(WebUtility.HtmlDecode(Regex.Replace(html, "<[^>]+>", " ")), @"\s+", " ");
}
