using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BudgetEval.Tests.Infrastructure;

/// <summary>
/// The built application as a real, separate OS process (not in the test's process), for tests of
/// several nodes: `dotnet BudgetEval.Web.dll` with settings as environment variables, as deployed.
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string BaseUrl { get; }

    /// <summary>The app's process id, for tests that look at what it started (its Chromium).</summary>
    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<AppProcess> StartAsync(IDictionary<string, string> settings)
    {
        var port = FreePort();
        var webDir = RepositoryFiles.PathOf("src/BudgetEval.Web");
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(webDir, "bin", configuration, "net10.0", "BudgetEval.Web.dll");
        var psi = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = webDir, // content root: wwwroot and ../../workflows
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            psi.Environment[key] = value;
        }

        var app = new AppProcess(Process.Start(psi)!, $"http://127.0.0.1:{port}");
        await app.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        return app;
    }

    public HttpClient Client(bool handleCookies = false) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = handleCookies }) { BaseAddress = new Uri(BaseUrl) };

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var client = Client();
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the app exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                if ((await client.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"the app did not become healthy:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>SIGTERM, as systemd's or docker's stop: the app shuts down gracefully. Returns how long it took.</summary>
    public async Task<TimeSpan> TerminateAsync(TimeSpan timeout)
    {
        var started = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return started.Elapsed;
    }

    /// <summary>SIGKILL, as a crash or an OOM kill: no shutdown hooks, open transactions left to the database.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
