using System.Net;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.Foundation;

public sealed class HostTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_running_node_When_healthz_is_asked_Then_it_answers_healthy()
    {
        using var client = app.Anonymous();
        var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Given_the_api_When_the_openapi_document_is_asked_Then_it_lists_the_login_endpoint()
    {
        using var client = app.Anonymous();
        var json = await client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/auth/login", json, StringComparison.Ordinal);
        Assert.Contains("/api/organisations/{id}", json, StringComparison.Ordinal);

        // How to authenticate is part of the document: a bearer scheme, required by default.
        var document = System.Text.Json.JsonDocument.Parse(json).RootElement;
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.True(document.GetProperty("security")[0].TryGetProperty("Bearer", out _));
    }

    [Fact]
    public async Task Given_a_signed_in_user_When_a_page_renders_Then_Chinese_is_written_as_characters_not_entities()
    {
        using var client = await app.SignInAsync("finance");
        var html = await client.GetStringAsync("/");
        Assert.Contains("预算绩效管理系统", html, StringComparison.Ordinal);
        Assert.Contains("李敏", html, StringComparison.Ordinal);
        Assert.DoesNotContain("&#x", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_any_response_Then_it_carries_the_security_headers()
    {
        using var client = app.Anonymous();
        var response = await client.GetAsync("/login");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task Given_an_unknown_page_When_it_is_asked_Then_a_Chinese_404_page_answers()
    {
        using var client = await app.SignInAsync("unit");
        var response = await client.GetAsync("/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("页面不存在", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
