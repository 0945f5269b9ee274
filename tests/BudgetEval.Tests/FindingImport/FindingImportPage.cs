using System.Net;
using System.Net.Http.Headers;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.FindingImport;

/// <summary>问题台账批量登记 as a browser uses it: the upload form posted, and the result page its 303 leads to.</summary>
internal static class FindingImportPage
{
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, byte[] workbook, string fileName = "整改台账导入.xlsx")
    {
        var page = await client.GetStringAsync("/findings/import");
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(workbook);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        form.Add(file, "file", fileName);
        form.Add(new StringContent(AppFixture.AntiforgeryToken(page)), "__RequestVerificationToken");
        return await client.PostAsync("/findings/import", form);
    }

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
