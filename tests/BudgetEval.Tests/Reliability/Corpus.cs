using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace BudgetEval.Tests.Reliability;

/// <summary>The checked-in bad-input files of tests/corpus and the ways tests send them.</summary>
internal static class Corpus
{
    public static byte[] File(string name) => System.IO.File.ReadAllBytes(Infrastructure.RepositoryFiles.PathOf(Path.Combine("tests", "corpus", name)));

    public static MultipartFormDataContent Multipart(string fileName, byte[] content, string? antiforgery = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        if (antiforgery is not null)
        {
            form.Add(new StringContent(antiforgery), "__RequestVerificationToken");
        }

        return form;
    }

    /// <summary>The answer as a reader sees it: JSON unescaped (\u7B2C → 第), HTML entities decoded.</summary>
    public static async Task<string> ReadableAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true && body.Length > 0)
        {
            using var json = JsonDocument.Parse(body);
            return JsonSerializer.Serialize(json.RootElement, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        }

        return System.Net.WebUtility.HtmlDecode(body);
    }
}
