using System.Net;
using BudgetEval.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.Security;

/// <summary>
/// Every endpoint the app maps (API and pages) either demands a signed-in user or is on the short
/// list of deliberately public ones below. A new endpoint that forgets authorization fails here.
/// </summary>
public sealed class EndpointAuthorizationTests(AppFixture app) : IClassFixture<AppFixture>
{
    // Public on purpose: signing in, the error pages, health, the API description.
    private static readonly HashSet<string> Public =
    [
        "POST /api/auth/login",
        "POST /api/auth/refresh",
        "GET /healthz",
        "POST /healthz", // health checks answer any method
        "GET /healthz/live", // liveness without the database (benchmark reference)
        "GET /openapi/{documentName}.json",
        "GET /login",
        "POST /login",
        "GET /error/{code:int?}",
        "POST /error/{code:int?}",
    ];

    [Fact]
    public void Given_every_mapped_endpoint_Then_each_requires_a_signed_in_user_unless_it_is_deliberately_public()
    {
        var endpoints = Endpoints();
        Assert.True(endpoints.Count > 30, $"only {endpoints.Count} endpoints found");

        var unprotected = endpoints
            .Where(e => e.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null || e.Endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Count == 0)
            .Select(e => e.Key)
            .Where(k => !Public.Contains(k))
            .Distinct()
            .Order()
            .ToList();
        Assert.Empty(unprotected);
    }

    [Fact]
    public async Task Given_an_anonymous_caller_When_every_protected_get_endpoint_is_asked_Then_none_answers_with_data()
    {
        using var client = app.Anonymous();
        foreach (var (key, _) in Endpoints().Where(e => e.Key.StartsWith("GET ", StringComparison.Ordinal) && !Public.Contains(e.Key)))
        {
            var path = Concrete(key[4..]);
            var response = await client.GetAsync(path);
            Assert.True(
                response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Redirect or HttpStatusCode.NotFound,
                $"{path}: {(int)response.StatusCode}");
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
            }
        }
    }

    private List<(string Key, Endpoint Endpoint)> Endpoints()
    {
        var source = app.Factory.Services.GetRequiredService<EndpointDataSource>();
        return source.Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"])
                .Select(m => ($"{m} /{e.RoutePattern.RawText!.TrimStart('/')}", (Endpoint)e)))
            .ToList();
    }

    // Route parameters get values that exist nowhere: what is checked is that nothing answers anonymously.
    private static string Concrete(string template) =>
        System.Text.RegularExpressions.Regex.Replace(template, @"\{([^}:?]+)(:[^}?]+)?\??\}", m =>
            m.Groups[2].Value.Contains("guid", StringComparison.Ordinal) ? Guid.Empty.ToString()
            : m.Groups[2].Value.Contains("int", StringComparison.Ordinal) ? "1"
            : "x");
}
