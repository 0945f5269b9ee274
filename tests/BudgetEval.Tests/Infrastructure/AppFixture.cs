using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using BudgetEval.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.Infrastructure;

/// <summary>One running application with its own seeded database, shared by the tests of a class.</summary>
public sealed partial class AppFixture : IAsyncLifetime
{
    public const string DemoPassword = "Demo@2026!";

    private TestDatabase? _database;
    private AppFactory? _factory;

    internal TestClock Clock { get; } = new(AppFactory.DefaultNow);

    /// <summary>Settings over the test defaults of <see cref="AppFactory"/>, for a fixture made by hand.</summary>
    internal IDictionary<string, string?>? Settings { get; init; }

    internal TestDatabase Database => _database ?? throw new InvalidOperationException("fixture not started");

    internal AppFactory Factory => _factory ?? throw new InvalidOperationException("fixture not started");

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _factory = new AppFactory(_database.ConnectionString, Settings, Clock);
        _ = _factory.Server; // starts the host: migrations and demo seed run here
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    public HttpClient Anonymous() =>
        Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Signs in through the Chinese login form, exactly as a browser would (antiforgery included).</summary>
    public async Task<HttpClient> SignInAsync(string userName, string password = DemoPassword)
    {
        var client = Anonymous();
        var response = await PostLoginFormAsync(client, userName, password);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"login as {userName} failed: {(int)response.StatusCode}");
        }

        return client;
    }

    public static async Task<HttpResponseMessage> PostLoginFormAsync(HttpClient client, string userName, string password)
    {
        var page = await client.GetStringAsync("/login");
        return await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName,
            ["Password"] = password,
            ["__RequestVerificationToken"] = AntiforgeryToken(page),
        }));
    }

    /// <summary>An upload form as a browser posts it: the form page read for its antiforgery token, then one .xlsx file as <c>file</c>.</summary>
    public static async Task<HttpResponseMessage> PostWorkbookAsync(HttpClient client, string formPath, byte[] workbook, string fileName)
    {
        var page = await client.GetStringAsync(formPath);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(workbook);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        form.Add(file, "file", fileName);
        form.Add(new StringContent(AntiforgeryToken(page)), "__RequestVerificationToken");
        return await client.PostAsync(formPath, form);
    }

    public static string AntiforgeryToken(string html) =>
        AntiforgeryPattern().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("no antiforgery token in page");

    public async Task<string> TokenAsync(string userName, string password = DemoPassword)
    {
        using var client = Anonymous();
        return await TokenAsync(client, userName, password);
    }

    public static async Task<string> TokenAsync(HttpClient client, string userName, string password = DemoPassword)
    {
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName, password });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("accessToken").GetString()!;
    }

    public async Task<HttpClient> ApiAsync(string userName, string password = DemoPassword)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(userName, password));
        return client;
    }

    /// <summary>Runs code against the database with no data scope (as the system).</summary>
    internal async Task<T> DbAsync<T>(Func<AppDbContext, Task<T>> work)
    {
        using var scope = Factory.Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    /// <summary>
    /// Signs in through the login form without a cookie container and returns the auth cookie
    /// ("be.auth=..."), for tests that send it by hand (to another node, or unchanged after it was renewed).
    /// </summary>
    internal static async Task<string> AuthCookieAsync(HttpClient client, string userName)
    {
        using var page = await client.GetAsync("/login");
        var antiforgery = page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("be.af=", StringComparison.Ordinal));
        using var post = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["UserName"] = userName,
                ["Password"] = DemoPassword,
                ["__RequestVerificationToken"] = AntiforgeryToken(await page.Content.ReadAsStringAsync()),
            }),
        };
        post.Headers.Add("Cookie", antiforgery);
        using var login = await client.SendAsync(post);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, login.StatusCode);
        return login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("be.auth=", StringComparison.Ordinal));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryPattern();
}
