using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace BudgetEval.Tests.Infrastructure;

/// <summary>The real application against a real database; settings can be overridden per test.</summary>
internal sealed class AppFactory(string connectionString, IDictionary<string, string?>? settings = null, TimeProvider? clock = null)
    : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset DefaultNow = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero); // 2026-03-02 09:00 in Beijing

    /// <summary>
    /// Each host watches its configuration files and wwwroot (asp-append-version) with an inotify instance, and Linux
    /// allows 128 per user by default: with ~150 test hosts over a run the suite hit the limit (IOException while
    /// rendering the layout). Polling watchers (set before the first host builds its file providers) use none.
    /// </summary>
    static AppFactory() => Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Default", connectionString);
        builder.UseSetting("Demo:Seed", "true");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Node:Jobs", "false");
        builder.UseSetting("Dashboards:CacheSeconds", "0"); // tests compare figures with the database right after changing it
        builder.UseSetting("Figures:RefreshSeconds", "0"); // likewise the bureau's 待办 and home counts
        builder.UseSetting("Email:Mode", "Pickup");
        builder.UseSetting("Email:PickupDirectory", Path.Combine(Path.GetTempPath(), "budgeteval-test-mail"));
        // The tests' clock stands still, so a class's failed logins (all from one address) would never leave the
        // throttle's minute; tests of the throttle set a low limit.
        builder.UseSetting("Auth:FailedLoginsPerMinutePerAddress", "100000");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(s => s.AddTransient<IStartupFilter, KestrelHeaderRules>().AddSingleton<DisposalProbe>());
        if (clock is not null)
        {
            builder.ConfigureServices(s => s.Replace(ServiceDescriptor.Singleton(clock)));
        }
    }

    private DisposalProbe? _disposal;

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        _disposal = host.Services.GetRequiredService<DisposalProbe>(); // after start-up: disposed before what it made, after all made later
        return host;
    }

    /// <summary>
    /// Returns once the app's services are disposed. The factory's own stop is not enough: Program's
    /// <c>RunAsync</c> disposes the host too when it stops, and when that call gets there first the factory's
    /// dispose returns at once while the app is still closing (its PDF browser, for one).
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_disposal is not null)
        {
            await _disposal.Disposed.WaitAsync(TimeSpan.FromSeconds(60));
        }
    }

    private sealed class DisposalProbe : IAsyncDisposable
    {
        private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Disposed => _disposed.Task;

        public ValueTask DisposeAsync()
        {
            _disposed.TrySetResult();
            return ValueTask.CompletedTask;
        }
    }
}
