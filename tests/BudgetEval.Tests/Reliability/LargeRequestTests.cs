using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.Reliability;

/// <summary>
/// A 50 MB upload against the real Kestrel server (the in-memory test server has no body limit): refused with
/// 413 and a Chinese message on the API and the page, nothing saved, the process still healthy.
/// </summary>
[Trait("Category", "Corpus")]
public sealed class LargeRequestTests
{
    [Fact]
    public async Task Given_a_50_MB_file_When_uploaded_to_the_api_and_the_page_Then_413_in_chinese_and_nothing_saved()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var node = await AppProcess.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Default"] = database.ConnectionString,
            ["Demo__Seed"] = "true",
            ["Node__Jobs"] = "false",
        });
        using var api = node.Client();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await AppFixture.TokenAsync(api, "unit"));
        var created = await api.PostAsJsonAsync("/api/self-evaluations", new { title = "大文件测试", fiscalYear = 2025, deadline = "2026-12-31", summary = "概述", totalBudget = 10m });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        var big = new byte[50 * 1024 * 1024];
        Random.Shared.NextBytes(big);
        // Signing in writes to users (last sign-in): done before the fingerprint is taken.
        using var browser = node.Client(handleCookies: true);
        await AppFixture.PostLoginFormAsync(browser, "unit", AppFixture.DemoPassword);
        var token = AppFixture.AntiforgeryToken(await browser.GetStringAsync($"/self-evaluations/{id}/form"));
        var before = await DbFingerprint.TakeAsync(database.ConnectionString);

        var viaApi = await api.PostAsync($"/api/self-evaluations/{id}/attachments", Corpus.Multipart("大文件.pdf", big));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, viaApi.StatusCode);
        Assert.Contains("超过 30 MB 上限", await Corpus.ReadableAsync(viaApi), StringComparison.Ordinal);
        Assert.Equal("nosniff", viaApi.Headers.GetValues("X-Content-Type-Options").Single()); // a refusal keeps the security headers
        Assert.True(viaApi.Headers.Contains("Content-Security-Policy"), "the 413 without Content-Security-Policy");

        var viaPage = await browser.PostAsync($"/self-evaluations/{id}/form?handler=import", Corpus.Multipart("大文件.xlsx", big, token));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, viaPage.StatusCode);
        var page = await Corpus.ReadableAsync(viaPage);
        Assert.Contains("内容过大", page, StringComparison.Ordinal);
        Assert.Contains("超过 30 MB 上限", page, StringComparison.Ordinal);

        Assert.Equal(before, await DbFingerprint.TakeAsync(database.ConnectionString));
        using var health = node.Client();
        Assert.Equal(HttpStatusCode.OK, (await health.GetAsync("/healthz")).StatusCode);
    }
}
