using System.Diagnostics;
using Npgsql;

namespace BudgetEval.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of the test's own (initdb into a temp directory, a free port), for fault tests that
/// stop and start the server: the run's shared cluster serves other test classes in parallel and must not be
/// touched. As root the server runs as the postgres user, as deploy/lib.sh does.
/// </summary>
internal sealed class PrivateCluster : IAsyncDisposable
{
    private readonly string _dir;
    private readonly string _bin;

    private PrivateCluster(string dir, string bin, int port)
    {
        _dir = dir;
        _bin = bin;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string applicationName = "budgeteval-test") =>
        $"Host=127.0.0.1;Port={Port};Database=app;Username=postgres;Application Name={applicationName}";

    public static async Task<PrivateCluster> StartAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderBy(d => d, StringComparer.Ordinal).LastOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql (tests/run.sh installs them).");
        var dir = Path.Combine(Path.GetTempPath(), "budgeteval-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var cluster = new PrivateCluster(dir, bin, FreePort());
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", "postgres:", dir);
        }

        await cluster.AsPostgresAsync("initdb", "-D", cluster.Data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync");
        await cluster.StartServerAsync();
        await using var conn = new NpgsqlConnection($"Host=127.0.0.1;Port={cluster.Port};Database=postgres;Username=postgres;Pooling=false");
        await conn.OpenAsync();
        await using var create = new NpgsqlCommand("CREATE DATABASE app", conn);
        await create.ExecuteNonQueryAsync();
        return cluster;
    }

    private string Data => Path.Combine(_dir, "data");

    public Task StartServerAsync() => AsPostgresAsync("pg_ctl", "-D", Data, "-l", Path.Combine(_dir, "server.log"), "-w", "-t", "60",
        "-o", $"-c listen_addresses=127.0.0.1 -p {Port} -c unix_socket_directories='' -c max_connections=200", "start");

    /// <summary>Fast shutdown: open sessions are cut, as when the database server restarts under load.</summary>
    public Task StopServerAsync() => AsPostgresAsync("pg_ctl", "-D", Data, "-m", "fast", "-w", "-t", "60", "stop");

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString() + ";Pooling=false");
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        var value = await cmd.ExecuteScalarAsync();
        return value is null or DBNull ? default! : (T)value;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString() + ";Pooling=false");
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private Task AsPostgresAsync(string tool, params string[] args) =>
        Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args])
            : RunAsync(Path.Combine(_bin, tool), args);

    private static async Task RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }

    internal static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await StopServerAsync();
        }
        catch (InvalidOperationException)
        {
            // already stopped
        }

        Directory.Delete(_dir, recursive: true);
    }
}

/// <summary>A maildev of the test's own on a chosen SMTP port, so a test can take "the mail server" down and bring it back.</summary>
internal sealed class PrivateMailDev : IAsyncDisposable
{
    private static readonly HttpClient Http = new();
    private Process? _process;

    public PrivateMailDev(int smtpPort)
    {
        SmtpPort = smtpPort;
        WebPort = PrivateCluster.FreePort();
    }

    public int SmtpPort { get; }

    public int WebPort { get; }

    public async Task StartAsync()
    {
        var maildev = RepositoryFiles.PathOf("tests/tools/node_modules/.bin/maildev");
        var psi = new ProcessStartInfo(maildev, ["--ip", "127.0.0.1", "--web-ip", "127.0.0.1", "-s", SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-w", WebPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent"])
        { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                (await Http.GetAsync($"http://127.0.0.1:{WebPort}/email")).EnsureSuccessStatusCode();
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200);
            }
        }

        throw new TimeoutException("maildev did not start");
    }

    /// <summary>Subjects of every received mail with its Message-ID (one entry per mail received).</summary>
    public async Task<List<(string Subject, string MessageId)>> MailsAsync()
    {
        using var json = System.Text.Json.JsonDocument.Parse(await Http.GetStringAsync($"http://127.0.0.1:{WebPort}/email"));
        return json.RootElement.EnumerateArray().Select(e => (
            e.GetProperty("subject").GetString() ?? string.Empty,
            e.TryGetProperty("messageId", out var id) && id.ValueKind == System.Text.Json.JsonValueKind.String ? id.GetString()! : string.Empty)).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }
}
