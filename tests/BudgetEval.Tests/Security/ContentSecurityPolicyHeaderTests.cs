using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.Security;

/// <summary>The Content-Security-Policy on every kind of response allows no inline style or script (docs/decisions/0025-no-inline-styles.md).</summary>
public sealed class ContentSecurityPolicyHeaderTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_page_an_error_page_an_api_answer_and_a_static_file_Then_the_policy_has_no_unsafe_source_and_styles_come_from_our_origin_only()
    {
        using var anonymous = app.Anonymous();
        using var signedIn = await app.SignInAsync("finance");
        var responses = new[]
        {
            ("/login", await anonymous.GetAsync("/login")),
            ("/", await signedIn.GetAsync("/")),
            ("/no-such-page", await signedIn.GetAsync("/no-such-page")),
            ("/api/organisations", await anonymous.GetAsync("/api/organisations")),
            ("/css/site.css", await anonymous.GetAsync("/css/site.css")),
        };

        foreach (var (url, response) in responses)
        {
            var policy = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.DoesNotContain("unsafe-inline", policy, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("unsafe-eval", policy, StringComparison.OrdinalIgnoreCase);
            var directives = policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains("style-src 'self'", directives);
            Assert.Contains("script-src 'self'", directives);
            response.Dispose();
        }
    }
}
