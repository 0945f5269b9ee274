using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BudgetEval.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace BudgetEval.Tests.Security;

/// <summary>
/// The authorization matrix (<see cref="Matrix"/>, docs/authorization.md) against the running app: every
/// mapped endpoint has a line, and every line holds for every role and scope. Allowed means the
/// authorization let the request through: anything but 401/403/404, a server error or a redirect to the
/// login page (400/409/422 from validation or business rules count as allowed). Denied means 404 for a
/// read and 403 for an action; anonymous means a redirect to /login (pages) or 401 (API).
/// </summary>
public sealed partial class AuthorizationMatrixTests(AppFixture app, ITestOutputHelper output) : IClassFixture<AppFixture>
{
    [Fact]
    public void Given_every_mapped_endpoint_Then_the_matrix_has_a_line_for_it_and_no_line_for_an_endpoint_that_is_gone()
    {
        var mapped = MappedEndpoints();
        Assert.True(mapped.Count > 100, $"only {mapped.Count} endpoints found");
        var listed = Matrix.Rows.Select(r => r.Endpoint).ToHashSet();

        var missing = mapped.Where(e => !listed.Contains(e)).Order().ToList();
        Assert.True(missing.Count == 0, "endpoints without a line in Matrix.Rows:\n" + string.Join('\n', missing));
        var gone = listed.Where(e => !mapped.Contains(e)).Order().ToList();
        Assert.True(gone.Count == 0, "lines in Matrix.Rows for endpoints that no longer exist:\n" + string.Join('\n', gone));
    }

    [Fact]
    public async Task Given_every_line_of_the_matrix_When_each_role_calls_it_on_own_and_other_records_Then_the_answer_is_the_one_listed()
    {
        var world = await MatrixWorld.BuildAsync(app);
        var callers = new Dictionary<Who, Caller>();
        foreach (var who in Enum.GetValues<Who>())
        {
            callers[who] = await Caller.CreateAsync(app, who);
        }

        // Reads first, then actions; those that end a session or delete a record walked against last, and signing
        // out the very last: it renews the caller's security stamp, which ends its API token too. The API's logout
        // (it ends the caller's API token) just before it.
        var ordered = Matrix.Rows.OrderBy(r => r.Last).ThenBy(r => !r.IsRead)
            .ThenBy(r => r.Endpoint switch { "POST /api/auth/logout" => 1, "POST /logout" => 2, _ => 0 }).ToList();
        var failures = new List<string>();
        var checks = 0;
        foreach (var row in ordered)
        {
            foreach (var scope in row.ScopesToWalk())
            {
                foreach (var who in Enum.GetValues<Who>())
                {
                    checks++;
                    var caller = callers[who];
                    using var request = await RequestAsync(row, world.Values(row.Res, scope, who), caller);
                    using var response = await (row.IsApi ? caller.Api : caller.Pages).SendAsync(request);
                    var expected = row.Allows(who, scope);
                    var verdict = Judge(row, who, expected, response);
                    if (verdict is not null)
                    {
                        failures.Add($"{row.Endpoint} [{row.Res}/{scope}] as {who}: {verdict}");
                    }
                }
            }
        }

        output.WriteLine($"{Matrix.Rows.Count} lines, {checks} checks, {failures.Count} failures");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.True(checks > 1000, $"only {checks} checks");
    }

    private static string? Judge(Row row, Who who, bool allowed, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var location = response.Headers.Location?.OriginalString ?? string.Empty;
        var toLogin = status == 302 && location.Contains("/login?ReturnUrl=", StringComparison.Ordinal);
        if (allowed && row.NoForm)
        {
            return status == 405 ? null : $"expected 405 (no form here), got {status} {location}";
        }

        if (allowed)
        {
            return status is 401 or 403 or 404 || status >= 500 || toLogin ? $"expected allowed, got {status} {location}" : null;
        }

        if (who == Who.Anonymous)
        {
            return row.IsApi
                ? status == 401 ? null : $"expected 401, got {status} {location}"
                : toLogin ? null : $"expected a redirect to /login, got {status} {location}";
        }

        var want = row.IsRead ? 404 : 403;
        return status == want ? null : $"expected {want} (denied), got {status} {location}";
    }

    private async Task<HttpRequestMessage> RequestAsync(Row row, IReadOnlyDictionary<string, string> values, Caller caller)
    {
        var path = RouteParameter().Replace(row.Route, m => m.Groups[1].Value switch
        {
            "action" => row.Action ?? throw new InvalidOperationException($"{row.Endpoint}: no action"),
            "format" => "csv",
            "documentName" => "v1",
            "code" => "400",
            var name => values.TryGetValue(name, out var v) ? v : throw new InvalidOperationException($"{row.Endpoint}: no value for {name}"),
        });
        var query = row.Query ?? string.Empty;
        if (row.Handler is not null)
        {
            query += (query.Length == 0 ? "?" : "&") + "handler=" + row.Handler;
        }

        var request = new HttpRequestMessage(new HttpMethod(row.Method), path + query);
        if (row.IsRead)
        {
            return request;
        }

        var body = row.Body;
        if (body is not null && body.Contains("$caseVersion", StringComparison.Ordinal))
        {
            // An evaluation's own actions take its case's version (caseVersion): the route's id is the evaluation's.
            var id = Guid.Parse(values["id"]);
            var caseId = await app.DbAsync(db => db.Evaluations.Where(e => e.Id == id).Select(e => e.CaseId).SingleAsync());
            var version = await app.DbAsync(db => db.WorkflowInstances.Where(i => i.Id == caseId).Select(i => i.Version).SingleAsync());
            body = body.Replace("$caseVersion", version.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        if (body is not null && body.Contains("$version", StringComparison.Ordinal))
        {
            var id = Guid.Parse(values["id"]);
            var version = await app.DbAsync(db => db.WorkflowInstances.Where(i => i.Id == id).Select(i => i.Version).SingleAsync());
            body = body.Replace("$version", version.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        if (body == "file")
        {
            var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(Matrix.SmallPdf);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            form.Add(file, "file", "矩阵.pdf");
            if (!row.IsApi)
            {
                form.Add(new StringContent(caller.Antiforgery), "__RequestVerificationToken");
            }

            request.Content = form;
        }
        else if (row.IsApi)
        {
            request.Content = new StringContent(body ?? "{}", Encoding.UTF8, "application/json");
        }
        else
        {
            var fields = (body ?? string.Empty).Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2))
                .Select(p => new KeyValuePair<string, string>(p[0], p.Length > 1 ? p[1] : string.Empty))
                .Append(new("__RequestVerificationToken", caller.Antiforgery));
            request.Content = new FormUrlEncodedContent(fields);
        }

        return request;
    }

    private HashSet<string> MappedEndpoints()
    {
        var source = app.Factory.Services.GetRequiredService<EndpointDataSource>();
        return source.Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"])
                .Select(m => $"{m} /{e.RoutePattern.RawText!.Trim('/')}"))
            .ToHashSet();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\{([A-Za-z]+)(:[^}]*)?\??\}")]
    private static partial System.Text.RegularExpressions.Regex RouteParameter();

    /// <summary>One signed-in browser (cookie + antiforgery token) and one API client (bearer token) per role.</summary>
    private sealed class Caller
    {
        public required HttpClient Pages { get; init; }

        public required HttpClient Api { get; init; }

        public required string Antiforgery { get; init; }

        public static async Task<Caller> CreateAsync(AppFixture app, Who who)
        {
            if (who == Who.Anonymous)
            {
                var anonymous = app.Anonymous();
                return new Caller { Pages = anonymous, Api = anonymous, Antiforgery = AppFixture.AntiforgeryToken(await anonymous.GetStringAsync("/login")) };
            }

            var pages = await app.SignInAsync(Matrix.UserName(who));
            return new Caller
            {
                Pages = pages,
                Api = await app.ApiAsync(Matrix.UserName(who)),
                Antiforgery = AppFixture.AntiforgeryToken(await pages.GetStringAsync("/account/password")),
            };
        }
    }
}
