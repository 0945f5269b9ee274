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

    /// <summary>申请延期 on the finding page (the date and the reason in one form), from the page as <paramref name="page"/> shows it (else as it is now).</summary>
    public static async Task<HttpResponseMessage> ExtensionAsync(HttpClient unit, Guid id, string date, string reason, string? page = null)
    {
        page ??= await unit.GetStringAsync($"/findings/{id}");
        var form = ExtensionForm(page);
        return await unit.PostAsync($"/findings/{id}?handler=Extension", new FormUrlEncodedContent(
            [new("deadline", date), new("reason", reason), new("stamp", Regex.Match(form, "name=\"stamp\" value=\"([0-9a-f]{16})\"").Groups[1].Value),
             new("expectedVersion", Regex.Match(form, "name=\"expectedVersion\" value=\"(\\d+)\"").Groups[1].Value),
             new("__RequestVerificationToken", AppFixture.AntiforgeryToken(page))]));
    }

    /// <summary>The 申请延期 form of a finding page.</summary>
    public static string ExtensionForm(string page)
    {
        var start = page.IndexOf("data-testid=\"extension-form\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "no 申请延期 form on the page");
        return page[start..page.IndexOf("</form>", start, StringComparison.Ordinal)];
    }

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
