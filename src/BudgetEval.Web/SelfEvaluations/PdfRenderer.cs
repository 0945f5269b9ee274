using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BudgetEval.Web.SelfEvaluations;

internal sealed record PdfResult(byte[]? Pdf, string? Problem);

/// <summary>
/// Prints an HTML document to PDF with headless Chromium, from a temporary file (docs/decisions/0008-pdf-rendering.md):
/// Chromium never calls back into the application, so no cookie, token or reachable URL is needed. One browser per
/// node is kept warm (started on the first PDF, replaced when it dies or hangs, closed when the app stops): a cold
/// start cost about 2 s of every PDF.
/// </summary>
internal sealed class PdfRenderer(Microsoft.Extensions.Options.IOptions<Infrastructure.Hosting.PdfOptions> options, ILogger<PdfRenderer> logger)
    : IAsyncDisposable, IDisposable
{
    public const string NoChromium = "服务器未安装 Chromium，暂不能生成 PDF。请打开“打印预览”，用浏览器的“打印 → 另存为 PDF”。";

    public const string Failed = "生成 PDF 失败或超时，请稍后重试；也可打开“打印预览”用浏览器另存为 PDF。";

    // Chromium is heavy; on a small server two pages at a time is plenty, the rest wait their turn.
    private static readonly SemaphoreSlim Slots = new(2);

    private readonly SemaphoreSlim _browserLock = new(1);
    private readonly List<Task> _cleanups = [];
    private ChromiumBrowser? _browser;
    private bool _stopped;
    private int _printing; // renders holding the browser; changed under _browserLock when taking it
    private long _lastUsed = Environment.TickCount64;
    private Timer? _idleCheck;

    private string ChromiumPath => options.Value.ChromiumPath;

    private TimeSpan Timeout => TimeSpan.FromSeconds(Math.Max(5, options.Value.TimeoutSeconds));

    private TimeSpan? IdleLimit => options.Value.IdleSeconds > 0 ? TimeSpan.FromSeconds(options.Value.IdleSeconds) : null;

    /// <summary>The warm browser's process id, or null before the first PDF (for the tests that kill it).</summary>
    internal int? BrowserProcessId => _browser?.ProcessId;

    /// <summary>The warm browser's private profile folder, removed when the browser goes (for the tests).</summary>
    internal string? BrowserProfileDirectory => _browser?.ProfileDirectory;

    public async Task<PdfResult> RenderAsync(byte[] html, CancellationToken ct)
    {
        if (!File.Exists(ChromiumPath))
        {
            return new(null, NoChromium);
        }

        await Slots.WaitAsync(ct);
        var dir = Directory.CreateTempSubdirectory("budgeteval-pdf-");
        try
        {
            var page = Path.Combine(dir.FullName, "print.html");
            await File.WriteAllBytesAsync(page, html, ct);

            // A watchdog on wall-clock time (not business time), over starting the browser and printing: a hung
            // browser must not hold the request.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Timeout);
            for (var attempt = 1; ; attempt++)
            {
                ChromiumBrowser? browser = null;
                var holding = false;
                try
                {
                    browser = await BrowserAsync(timeout.Token);
                    holding = true;
                    var pdf = await browser.PrintAsync(new Uri(page), new Uri(dir.FullName + Path.DirectorySeparatorChar), timeout.Token);
                    if (pdf is { Length: > 4 } && pdf.AsSpan().StartsWith("%PDF"u8))
                    {
                        return new(pdf, null);
                    }

                    logger.LogWarning("Chromium answered without a PDF ({Length} bytes)", pdf.Length);
                    return new(null, Failed);
                }
                catch (BrowserGoneException e) when (attempt == 1 && !_stopped)
                {
                    // Crashed or killed under this render (or while idle, unnoticed until now): once more on a new one.
                    logger.LogWarning(e, "Chromium went away during a PDF; retrying on a new browser. Its last words: {Stderr}", browser?.StderrTail);
                    await RetireAsync(browser);
                }
                catch (BrowserGoneException e)
                {
                    logger.LogWarning(e, "Chromium went away again; no PDF. Its last words: {Stderr}", browser?.StderrTail);
                    await RetireAsync(browser);
                    return new(null, Failed);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    // The caller went away (the browser is fine): nobody reads this answer, as before.
                    return new(null, Failed);
                }
                catch (OperationCanceledException)
                {
                    // Hung: killed now, a new one starts with the next PDF.
                    logger.LogWarning("Chromium did not finish the PDF within {Timeout}; restarting it", Timeout);
                    await RetireAsync(browser);
                    return new(null, Failed);
                }
                catch (DevToolsException e)
                {
                    logger.LogWarning(e, "Chromium could not print the page");
                    return new(null, Failed);
                }
                catch (Exception e) when (e is IOException or System.ComponentModel.Win32Exception or InvalidOperationException)
                {
                    logger.LogWarning(e, "Chromium could not be started");
                    return new(null, Failed);
                }
                finally
                {
                    if (holding)
                    {
                        Volatile.Write(ref _lastUsed, Environment.TickCount64);
                        Interlocked.Decrement(ref _printing);
                    }
                }
            }
        }
        finally
        {
            Slots.Release();
            try
            {
                dir.Delete(recursive: true);
            }
            catch (IOException e)
            {
                logger.LogWarning(e, "Could not remove the temporary PDF directory {Dir}", dir.FullName);
            }
        }
    }

    /// <summary>Closes the browser when the app stops (the container disposes its singletons then).</summary>
    public async ValueTask DisposeAsync()
    {
        await _browserLock.WaitAsync();
        try
        {
            _stopped = true;
            if (_idleCheck is { } timer)
            {
                await timer.DisposeAsync();
            }

            if (_browser is { } browser)
            {
                _browser = null;
                await browser.DisposeAsync();
            }
        }
        finally
        {
            _browserLock.Release();
        }

        Task[] cleanups;
        lock (_cleanups)
        {
            cleanups = [.. _cleanups];
        }

        await Task.WhenAll(cleanups);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task<ChromiumBrowser> BrowserAsync(CancellationToken ct)
    {
        await _browserLock.WaitAsync(ct);
        try
        {
            if (_stopped)
            {
                throw new BrowserGoneException("the application is stopping");
            }

            if (_browser is { IsAlive: true } alive)
            {
                Interlocked.Increment(ref _printing);
                return alive;
            }

            if (_browser is { } dead)
            {
                logger.LogWarning("Chromium (pid {Pid}) had exited; starting a new one. Its last words: {Stderr}", dead.ProcessId, dead.StderrTail);
                _browser = null;
                CleanUpInBackground(dead);
            }

            _browser = await ChromiumBrowser.StartAsync(ChromiumPath, logger, ct);
            logger.LogInformation("Started headless Chromium (pid {Pid}) for PDFs", _browser.ProcessId);
            Interlocked.Increment(ref _printing);
            if (IdleLimit is { } idle && _idleCheck is null)
            {
                // Wall-clock time like the watchdog: the browser's memory, not business time.
                var every = TimeSpan.FromSeconds(Math.Clamp(idle.TotalSeconds / 4, 0.25, 60));
                _idleCheck = new Timer(_ => _ = CloseIfIdleAsync(), null, every, every);
            }

            return _browser;
        }
        finally
        {
            _browserLock.Release();
        }
    }

    /// <summary>
    /// Closes the browser after <see cref="PdfOptions.IdleSeconds"/> without a PDF: a node that printed a burst of
    /// PDFs in the morning should not hold half a gigabyte for Chromium all day. The next PDF starts it again.
    /// </summary>
    private async Task CloseIfIdleAsync()
    {
        if (IdleLimit is not { } idle || _browser is null || Environment.TickCount64 - Volatile.Read(ref _lastUsed) < idle.TotalMilliseconds)
        {
            return;
        }

        if (!await _browserLock.WaitAsync(0))
        {
            return; // being started or replaced: not idle
        }

        ChromiumBrowser? idleBrowser = null;
        try
        {
            if (_browser is { } browser && Volatile.Read(ref _printing) == 0 && Environment.TickCount64 - Volatile.Read(ref _lastUsed) >= idle.TotalMilliseconds)
            {
                (idleBrowser, _browser) = (browser, null);
            }
        }
        finally
        {
            _browserLock.Release();
        }

        if (idleBrowser is not null)
        {
            logger.LogInformation("Closing headless Chromium (pid {Pid}): no PDF for {Idle}", idleBrowser.ProcessId, idle);
            CleanUpInBackground(idleBrowser);
        }
    }

    /// <summary>Kills a dead or hung browser at once (other renders on it fail over), so the next PDF starts a new one.</summary>
    private async Task RetireAsync(ChromiumBrowser? browser)
    {
        if (browser is null)
        {
            return;
        }

        browser.Kill();
        await _browserLock.WaitAsync();
        try
        {
            if (ReferenceEquals(_browser, browser))
            {
                _browser = null;
            }
        }
        finally
        {
            _browserLock.Release();
        }

        CleanUpInBackground(browser);
    }

    /// <summary>
    /// A dead browser's helpers can take a few seconds to follow it out, and its profile waits for them: no request
    /// waits for that. The app's stop does.
    /// </summary>
    private void CleanUpInBackground(ChromiumBrowser browser)
    {
        var cleanup = Task.Run(async () =>
        {
            try
            {
                await browser.DisposeAsync();
            }
            catch (Exception e)
            {
                // Nobody awaits this but the app's stop, which must not fail over it.
                logger.LogWarning(e, "Cleaning up after Chromium (pid {Pid}) failed", browser.ProcessId);
            }
        });
        lock (_cleanups)
        {
            _cleanups.RemoveAll(t => t.IsCompleted);
            _cleanups.Add(cleanup);
        }
    }
}

/// <summary>
/// Renders the page as usual into memory, then answers with Chromium's PDF of that HTML instead. A
/// <see cref="PageResult"/>, so the page invoker hands it the page instance like any other page answer.
/// </summary>
internal sealed class PdfPageResult(PdfRenderer renderer, string fileName) : PageResult
{
    public override async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        var body = response.Body;
        using var html = new MemoryStream();
        response.Body = html;
        try
        {
            await base.ExecuteResultAsync(context);
        }
        finally
        {
            response.Body = body;
        }

        var result = await renderer.RenderAsync(html.ToArray(), context.HttpContext.RequestAborted);
        if (result.Pdf is { } pdf)
        {
            response.ContentType = "application/pdf";
            response.ContentLength = pdf.Length;
            // RFC 6266 (an ASCII fallback and filename*=UTF-8''…): System.Net.Mime's MIME-encoded form folds a
            // long Chinese name with CR LF, which Kestrel refuses to send.
            var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("inline");
            disposition.SetHttpFileName(fileName);
            response.Headers.ContentDisposition = disposition.ToString();
            await response.Body.WriteAsync(pdf, context.HttpContext.RequestAborted);
            return;
        }

        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(result.Problem!, context.HttpContext.RequestAborted);
    }
}
