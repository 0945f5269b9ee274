using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace BudgetEval.Web.SelfEvaluations;

/// <summary>The browser went away (crashed, killed or closed) before it answered.</summary>
internal sealed class BrowserGoneException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Chromium answered a DevTools command with an error, or a page did not load.</summary>
internal sealed class DevToolsException(string message) : Exception(message);

/// <summary>
/// One headless Chromium kept warm for printing (docs/decisions/0008-pdf-rendering.md), driven over the DevTools
/// protocol on a pipe (<c>--remote-debugging-pipe</c>: commands on its fd 3, answers on its fd 4, each message
/// NUL-terminated JSON). A pipe rather than <c>--remote-debugging-port</c>: no listening socket that another local
/// user could drive the browser through, and Chromium exits by itself when the pipe closes, so even an app that is
/// killed outright leaves no browser behind.
/// </summary>
internal sealed class ChromiumBrowser : IAsyncDisposable
{
    // The shell only rewires descriptors and then becomes Chromium (exec), so the process we hold is the browser.
    private const string Rewire = "exec \"$0\" \"$@\" 3<&0 4>&1 0</dev/null 1>&2";

    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
        "--disable-default-apps", "--mute-audio", "--remote-debugging-pipe",

        // No back-forward cache: a printed document is not kept frozen in memory after the tab moves on to the next
        // one; no spare renderer kept in reserve (the tabs are reused, so it is never needed).
        "--disable-features=BackForwardCache,SpareRendererForSitePerProcess",
    ];

    private const string ProfilePrefix = "budgeteval-chromium-";

    private readonly Process _process;
    private readonly DirectoryInfo _profile;
    private readonly ILogger _logger;
    private readonly Stream _commands;
    private readonly Stream _answers;
    private readonly SemaphoreSlim _sendLock = new(1);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentDictionary<(string Session, string Method), Channel<JsonElement>> _events = new();
    private readonly ConcurrentDictionary<string, string> _allowedPrefix = new(); // per session: the one folder its page may read
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly ConcurrentBag<Tab> _idleTabs = [];
    private readonly Task _reader;
    private string? _context;
    private int _nextId;
    private volatile bool _gone;
    private int _closed;

    /// <summary>Prints per tab before it is replaced by a fresh one.</summary>
    private const int TabUses = 100;

    /// <summary>Bytes of PDF per message when reading a printed document back (about 1.4 times that as base64).</summary>
    internal const int StreamChunkBytes = 256 * 1024;

    private ChromiumBrowser(Process process, DirectoryInfo profile, ILogger logger)
    {
        (_process, _profile, _logger) = (process, profile, logger);
        _commands = process.StandardInput.BaseStream;
        _answers = process.StandardOutput.BaseStream;
        process.ErrorDataReceived += (_, e) => KeepStderr(e.Data);
        process.BeginErrorReadLine();
        _reader = Task.Run(ReadAsync);
    }

    public int ProcessId => _process.Id;

    public string ProfileDirectory => _profile.FullName;

    /// <summary>False once the pipe closed or the process exited: the owner then starts a new browser.</summary>
    public bool IsAlive => !_gone && !_process.HasExited;

    public static async Task<ChromiumBrowser> StartAsync(string chromiumPath, ILogger logger, CancellationToken ct)
    {
        SweepStaleProfiles(logger);

        // A private profile, named apart from the renders' budgeteval-pdf-* folders (which live only for one render).
        var profile = Directory.CreateTempSubdirectory(ProfilePrefix);
        var start = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["-c", Rewire, chromiumPath, .. Flags, $"--user-data-dir={profile.FullName}", "about:blank"])
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        }
        catch
        {
            DeleteProfile(profile, logger);
            throw;
        }

        var browser = new ChromiumBrowser(process, profile, logger);
        try
        {
            // The first answer proves the pipe works both ways.
            await browser.SendAsync("Browser.getVersion", null, null, ct);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Loads <paramref name="page"/> (a file in <paramref name="folder"/>) in a tab, waits for its load event and
    /// prints it as --print-to-pdf did: the page's own @page size and margins, no header or footer. Any request
    /// outside that folder (http, other files) is refused, so the page reaches neither the network nor the rest of
    /// the disk.
    /// </summary>
    public async Task<byte[]> PrintAsync(Uri page, Uri folder, CancellationToken ct)
    {
        var tab = _idleTabs.TryTake(out var idle) ? idle : await OpenTabAsync(ct);
        var reusable = false;
        try
        {
            _allowedPrefix[tab.Session] = folder.AbsoluteUri;
            var navigation = await SendAsync("Page.navigate", new JsonObject { ["url"] = page.AbsoluteUri }, tab.Session, ct);
            if (navigation.TryGetProperty("errorText", out var error) && error.GetString() is { Length: > 0 } text)
            {
                throw new DevToolsException($"navigation failed: {text}");
            }

            // The load of this navigation (matched by its loader), not a late one of an earlier document.
            var loader = navigation.GetProperty("loaderId").GetString();
            await foreach (var step in tab.Lifecycle.ReadAllAsync(ct))
            {
                if (step.GetProperty("name").GetString() == "load" && step.GetProperty("loaderId").GetString() == loader)
                {
                    break;
                }
            }

            var pdf = await SendAsync(
                "Page.printToPDF",
                new JsonObject
                {
                    ["printBackground"] = true,
                    ["preferCSSPageSize"] = true,
                    ["displayHeaderFooter"] = false,
                    ["transferMode"] = "ReturnAsStream",
                },
                tab.Session,
                ct);
            var document = await ReadStreamAsync(pdf.GetProperty("stream").GetString()!, tab.Session, ct);
            reusable = ++tab.Uses < TabUses;
            return document;
        }
        finally
        {
            _allowedPrefix.TryRemove(tab.Session, out _);
            if (reusable)
            {
                _idleTabs.Add(tab);
            }
            else
            {
                // After a timeout the owner kills the browser, so nobody waits on a hung one here.
                var closing = CloseTabAsync(tab);
                if (!ct.IsCancellationRequested)
                {
                    await closing;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1)
        {
            return;
        }

        // Its helpers, listed while the tree is whole: once the browser is gone they are orphans nobody waits for.
        var family = Family(_process.Id, _profile.FullName);
        if (IsAlive)
        {
            try
            {
                // Asked politely first: Chromium then takes its zygote, renderers and helpers down with it.
                await SendAsync("Browser.close", null, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(3));
            }
            catch (Exception e) when (e is BrowserGoneException or DevToolsException or TimeoutException)
            {
                // Exits below either way.
            }

            await WaitForExitAsync(TimeSpan.FromSeconds(5));
        }

        Kill();
        await WaitForExitAsync(TimeSpan.FromSeconds(5));
        await _commands.DisposeAsync();
        try
        {
            await _reader.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("The DevTools pipe of Chromium (pid {Pid}) did not close", _process.Id);
        }

        _process.Dispose();
        await EndFamilyAsync(family);
        DeleteProfile(_profile, _logger);
    }

    /// <summary>Kills the browser and everything it started: for a hung browser, whose pipe may never answer again.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Exited meanwhile.
        }
    }

    /// <summary>The last lines Chromium wrote to stderr, for the log when it dies.</summary>
    public string StderrTail => string.Join('\n', _stderr);

    private async Task<JsonElement> SendAsync(string method, JsonObject? parameters, string? session, CancellationToken ct)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        // Checked after registering: the reader fails every registered command when the pipe closes, so a command is
        // either failed there or here, never left waiting.
        if (_gone)
        {
            _pending.TryRemove(id, out _);
            throw Gone();
        }

        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        if (session is not null)
        {
            message["sessionId"] = session;
        }

        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString() + "\0");
        await _sendLock.WaitAsync(ct);
        try
        {
            // Not cancellable: half a message would corrupt the pipe for every later command.
            await _commands.WriteAsync(bytes, CancellationToken.None);
            await _commands.FlushAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            _pending.TryRemove(id, out _);
            throw new BrowserGoneException("the DevTools pipe is closed", e);
        }
        finally
        {
            _sendLock.Release();
        }

        try
        {
            return await answer.Task.WaitAsync(ct);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private ChannelReader<JsonElement> Subscribe(string session, string method)
    {
        var events = _events.GetOrAdd((session, method), _ => Channel.CreateUnbounded<JsonElement>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true }));
        if (_gone)
        {
            events.Writer.TryComplete(Gone());
        }

        return events.Reader;
    }

    /// <summary>
    /// A tab in the browser's one incognito context (nothing in a profile on disk), reused from print to print: a
    /// renderer that has printed once prints the next document in about a third of the time (fonts and layout code
    /// warm). The pages run no script and load nothing but their own file, so one unit's document leaves nothing
    /// the next one could see; a tab is still replaced after <see cref="TabUses"/> prints to bound its memory.
    /// </summary>
    private async Task<Tab> OpenTabAsync(CancellationToken ct)
    {
        // Two first renders at once may each make a context; the spare one is empty and goes with the browser.
        _context ??= (await SendAsync("Target.createBrowserContext", new JsonObject { ["disposeOnDetach"] = true }, null, ct))
            .GetProperty("browserContextId").GetString()!;
        var target = (await SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank", ["browserContextId"] = _context }, null, ct))
            .GetProperty("targetId").GetString()!;
        var session = (await SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target, ["flatten"] = true }, null, ct))
            .GetProperty("sessionId").GetString()!;
        var tab = new Tab(target, session, Subscribe(session, "Page.lifecycleEvent"));
        try
        {
            await SendAsync("Fetch.enable", new JsonObject { ["patterns"] = new JsonArray(new JsonObject { ["urlPattern"] = "*" }) }, session, ct);
            await SendAsync("Page.enable", null, session, ct);
            await SendAsync("Page.setLifecycleEventsEnabled", new JsonObject { ["enabled"] = true }, session, ct);
            return tab;
        }
        catch
        {
            _ = CloseTabAsync(tab);
            throw;
        }
    }

    private async Task CloseTabAsync(Tab tab)
    {
        _events.TryRemove((tab.Session, "Page.lifecycleEvent"), out _);
        try
        {
            await SendAsync("Target.closeTarget", new JsonObject { ["targetId"] = tab.Target }, null, CancellationToken.None)
                .WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is BrowserGoneException or DevToolsException or TimeoutException)
        {
            // A dead or hung browser is replaced by the owner; its tabs go with it.
        }
    }

    /// <summary>
    /// Reads a PDF Chromium holds as a stream, a chunk per message: in one message a long report (the whole province's
    /// 结果应用) arrived as one base64 string, held several times over (pipe buffer, JSON, string, bytes) at once.
    /// </summary>
    private async Task<byte[]> ReadStreamAsync(string handle, string session, CancellationToken ct)
    {
        using var output = new MemoryStream();
        try
        {
            while (true)
            {
                var chunk = await SendAsync("IO.read", new JsonObject { ["handle"] = handle, ["size"] = StreamChunkBytes }, session, ct);
                var data = chunk.GetProperty("data").GetString() ?? "";
                output.Write(chunk.TryGetProperty("base64Encoded", out var encoded) && encoded.GetBoolean() ? Convert.FromBase64String(data) : Encoding.UTF8.GetBytes(data));
                if (chunk.GetProperty("eof").GetBoolean())
                {
                    return output.ToArray();
                }
            }
        }
        finally
        {
            try
            {
                await SendAsync("IO.close", new JsonObject { ["handle"] = handle }, session, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
            }
            catch (Exception e) when (e is BrowserGoneException or DevToolsException or TimeoutException)
            {
                // Chromium frees the stream with the page or the browser anyway.
            }
        }
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var read = await _answers.ReadAsync(buffer);
                if (read == 0)
                {
                    break;
                }

                var chunk = buffer.AsSpan(0, read);
                for (var end = chunk.IndexOf((byte)0); end >= 0; end = chunk.IndexOf((byte)0))
                {
                    message.Write(chunk[..end]);
                    Dispatch(message.GetBuffer().AsMemory(0, (int)message.Length));
                    message.SetLength(0);
                    if (message.Capacity > 4 * StreamChunkBytes)
                    {
                        message.Capacity = buffer.Length; // one large answer should not keep its buffer for the browser's life
                    }
                    chunk = chunk[(end + 1)..];
                }

                message.Write(chunk);
            }
        }
        catch (Exception e)
        {
            // Whatever broke the conversation, the browser is treated as gone and replaced.
            _logger.LogWarning(e, "Reading from Chromium's DevTools pipe failed");
        }
        finally
        {
            _gone = true;
            foreach (var id in _pending.Keys)
            {
                if (_pending.TryRemove(id, out var waiting))
                {
                    waiting.TrySetException(Gone());
                }
            }

            foreach (var key in _events.Keys)
            {
                if (_events.TryRemove(key, out var events))
                {
                    events.Writer.TryComplete(Gone());
                }
            }
        }
    }

    private void Dispatch(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("id", out var id))
        {
            if (_pending.TryRemove(id.GetInt32(), out var waiting))
            {
                if (root.TryGetProperty("error", out var error))
                {
                    waiting.TrySetException(new DevToolsException(error.TryGetProperty("message", out var m) ? m.GetString() ?? "error" : "error"));
                }
                else
                {
                    waiting.TrySetResult(root.TryGetProperty("result", out var result) ? result.Clone() : default);
                }
            }

            return;
        }

        if (!root.TryGetProperty("method", out var name) || name.GetString() is not { } method)
        {
            return;
        }

        var session = root.TryGetProperty("sessionId", out var s) ? s.GetString() ?? "" : "";
        var parameters = root.TryGetProperty("params", out var p) ? p.Clone() : default;
        if (method == "Fetch.requestPaused")
        {
            // Answered off the reader: the answer to our answer arrives through this very loop.
            _ = FilterRequestAsync(session, parameters);
        }
        else if (_events.TryGetValue((session, method), out var events))
        {
            events.Writer.TryWrite(parameters);
        }
    }

    private async Task FilterRequestAsync(string session, JsonElement paused)
    {
        if (!paused.TryGetProperty("requestId", out var id) || id.GetString() is not { } requestId)
        {
            return;
        }

        var url = paused.TryGetProperty("request", out var request) && request.TryGetProperty("url", out var u) ? u.GetString() ?? "" : "";
        var allowed = _allowedPrefix.TryGetValue(session, out var prefix) && url.StartsWith(prefix, StringComparison.Ordinal);
        if (!allowed)
        {
            _logger.LogWarning("Blocked a request from a page being printed: {Url}", url.Length > 200 ? url[..200] : url);
        }

        try
        {
            await SendAsync(
                allowed ? "Fetch.continueRequest" : "Fetch.failRequest",
                allowed ? new JsonObject { ["requestId"] = requestId } : new JsonObject { ["requestId"] = requestId, ["errorReason"] = "BlockedByClient" },
                session,
                CancellationToken.None);
        }
        catch (Exception e) when (e is BrowserGoneException or DevToolsException)
        {
            // The tab or the browser closed meanwhile; nothing left to let through.
        }
    }

    private void KeepStderr(string? line)
    {
        if (line is null)
        {
            return;
        }

        _stderr.Enqueue(line);
        while (_stderr.Count > 20 && _stderr.TryDequeue(out _))
        {
        }
    }

    private BrowserGoneException Gone() => new($"Chromium (pid {_process.Id}) is gone");

    private async Task WaitForExitAsync(TimeSpan limit)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            // The caller kills it.
        }
    }

    /// <summary>
    /// The browser's descendants and any process started with its profile (a helper orphaned by a crash), from
    /// Linux's /proc; empty elsewhere.
    /// </summary>
    private static HashSet<int> Family(int root, string profile)
    {
        var parents = new Dictionary<int, int>();
        var found = new HashSet<int>();
        if (!OperatingSystem.IsLinux())
        {
            return found;
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                parents[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Contains($"--user-data-dir={profile}\0", StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                // Exited while listed, or not ours to read.
            }
        }

        var queue = new Queue<int>([root]);
        while (queue.TryDequeue(out var parent))
        {
            foreach (var (child, _) in parents.Where(p => p.Value == parent))
            {
                found.Add(child);
                queue.Enqueue(child);
            }
        }

        return found;
    }

    private static bool Running(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X'); // a zombie has ended
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Gives the helpers a moment to follow the browser out, then kills any that stay.</summary>
    private async Task EndFamilyAsync(HashSet<int> family)
    {
        var until = DateTime.UtcNow.AddSeconds(5);
        while (family.Any(Running) && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }

        foreach (var pid in family.Where(Running))
        {
            try
            {
                using var straggler = Process.GetProcessById(pid);
                straggler.Kill();
                _logger.LogWarning("Killed Chromium helper {Pid}, still running after its browser had gone", pid);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone meanwhile.
            }
        }
    }

    /// <summary>
    /// Removes the profiles of browsers that no longer run: an app killed outright cannot remove its own (its
    /// Chromium exits by itself, the folder stays). A profile counts as in use while any process was started with
    /// it, and a young one is left alone (its browser may be starting right now, in another app on this machine).
    /// </summary>
    private static void SweepStaleProfiles(ILogger logger)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var candidates = new DirectoryInfo(Path.GetTempPath()).EnumerateDirectories(ProfilePrefix + "*")
            .Where(d => d.LastWriteTimeUtc < DateTime.UtcNow.AddMinutes(-1))
            .ToList();
        if (candidates.Count == 0)
        {
            return;
        }

        var inUse = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(dir), out _) && File.ReadAllText(Path.Combine(dir, "cmdline")) is var line && line.Contains(ProfilePrefix, StringComparison.Ordinal))
                {
                    inUse.Add(line);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Exited while listed, or not ours to read.
            }
        }

        foreach (var stale in candidates.Where(d => !inUse.Any(line => line.Contains($"--user-data-dir={d.FullName}\0", StringComparison.Ordinal))))
        {
            logger.LogInformation("Removing the profile of a Chromium that no longer runs: {Dir}", stale.FullName);
            DeleteProfile(stale, logger);
        }
    }

    private static void DeleteProfile(DirectoryInfo profile, ILogger logger)
    {
        // Chromium's helpers may still be letting go of files for a moment after the browser exits.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                profile.Refresh();
                if (profile.Exists)
                {
                    profile.Delete(recursive: true);
                }

                return;
            }
            catch (IOException e) when (attempt < 10)
            {
                logger.LogDebug(e, "Retrying removal of {Dir}", profile.FullName);
                Thread.Sleep(200);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(e, "Could not remove Chromium's profile directory {Dir}", profile.FullName);
                return;
            }
        }
    }

    private sealed class Tab(string target, string session, ChannelReader<JsonElement> lifecycle)
    {
        public string Target { get; } = target;

        public string Session { get; } = session;

        public ChannelReader<JsonElement> Lifecycle { get; } = lifecycle;

        public int Uses { get; set; }
    }
}
