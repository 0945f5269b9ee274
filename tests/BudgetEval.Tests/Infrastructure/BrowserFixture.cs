using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BudgetEval.Tests.Infrastructure;

/// <summary>
/// The application on a real Kestrel port with a seeded database, driven by Debian's headless Chromium
/// through Playwright (which never downloads a browser when given the executable path).
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    private readonly IDictionary<string, string?>? _settings;
    private TestDatabase? _database;
    private AppFactory? _factory;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public string BaseUrl { get; private set; } = string.Empty;

    internal IBrowser Browser => _browser ?? throw new InvalidOperationException("fixture not started");

    public static string ChromiumPath => Environment.GetEnvironmentVariable("BUDGETEVAL_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    /// <summary>Screenshots go where tests/run.sh collects test output (TestResults/screenshots).</summary>
    public static string ScreenshotDirectory =>
        Environment.GetEnvironmentVariable("BUDGETEVAL_SCREENSHOTS") is { Length: > 0 } dir ? dir : Path.Combine(AppContext.BaseDirectory, "screenshots");

    public BrowserFixture()
    {
    }

    /// <summary>For a fixture whose application runs with other settings (e.g. short sessions).</summary>
    protected BrowserFixture(IDictionary<string, string?> settings) => _settings = settings;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _factory = new AppFactory(_database.ConnectionString, _settings);
        _factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
            ?? throw new InvalidOperationException("Kestrel did not report its address");
        BaseUrl = addresses.Addresses.First().TrimEnd('/');

        // Expectations poll the page; on the 2-core CI machine, shared with another test class, 5 s is tight.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "zh-CN", ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        return await context.NewPageAsync();
    }

    /// <summary>A JSON API client of the same server, with a bearer token for <paramref name="userName"/>.</summary>
    public async Task<HttpClient> ApiAsync(string userName)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await AppFixture.TokenAsync(client, userName));
        return client;
    }

    /// <summary>Runs code against the fixture's database with no data scope (as the system).</summary>
    internal async Task<T> DbAsync<T>(Func<BudgetEval.Web.Infrastructure.Data.AppDbContext, Task<T>> work)
    {
        using var scope = (_factory ?? throw new InvalidOperationException("fixture not started")).Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<BudgetEval.Web.Infrastructure.Data.AppDbContext>());
    }

    public async Task<IPage> SignInAsync(string userName, string password = AppFixture.DemoPassword)
    {
        var page = await NewPageAsync();
        await page.GotoAsync(BaseUrl + "/login");
        await page.GetByLabel("用户名").FillAsync(userName);
        await page.GetByLabel("密码").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        try
        {
            // Waits for the signed-in page's own content (the 退出登录 button exists only there), not for a load
            // event: under load (two test classes on two cores) Playwright now and then missed the load event of
            // the page after the login's redirect and waited out its timeout on a page that had fully arrived
            // (seen with WaitForURL, whatever its WaitUntil). Generous, as it measures nothing.
            await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).WaitForAsync(new() { Timeout = 90_000 });
        }
        catch (TimeoutException e)
        {
            // Say where the browser stood: still on the login page with a message, or on a page that never finished loading.
            var text = await page.Locator("body").InnerTextAsync(new() { Timeout = 5_000 }).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : "(no body)", TaskScheduler.Default);
            throw new TimeoutException($"sign-in of {userName} did not finish: at {page.Url}, showing: {text[..Math.Min(300, text.Length)]}", e);
        }

        return page;
    }

    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
