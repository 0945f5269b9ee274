using System.Net;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.FindingImport;

/// <summary>问题台账批量登记 as a browser uses it: the upload form posted, and the result page its 303 leads to.</summary>
internal static class FindingImportPage
{
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, byte[] workbook, string fileName = "整改台账导入.xlsx") =>
        AppFixture.PostWorkbookAsync(client, "/findings/import", workbook, fileName);

    /// <summary>The result page a registration redirects to (303, as after any post a browser should not repeat), decoded.</summary>
    public static async Task<string> ResultAsync(HttpClient client, HttpResponseMessage posted, Func<string, string> whyNot)
    {
        var body = await posted.Content.ReadAsStringAsync();
        Assert.True(posted.StatusCode == HttpStatusCode.SeeOther, $"{(int)posted.StatusCode} {whyNot(body)}");
        var location = posted.Headers.Location!.OriginalString;
        Assert.StartsWith("/findings/import?imported=", location, StringComparison.Ordinal);
        return WebUtility.HtmlDecode(await client.GetStringAsync(location));
    }
}
