using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.SelfEvaluations;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.SelfEvaluations;

/// <summary>
/// The warm headless Chromium behind every PDF (docs/decisions/0008-pdf-rendering.md): PDFs come out as before,
/// side by side, from a browser that is replaced when it dies or hangs and is gone when the app stops. Real
/// Chromium, real processes (checked by pid).
/// </summary>
public sealed partial class PdfRendererTests(AppFixture app) : IClassFixture<AppFixture>
{
    [GeneratedRegex(@"/Type\s*/Page(?!s)")]
    private static partial Regex PageObject();

    [Fact]
    public async Task Given_several_pdfs_requested_at_once_When_rendered_Then_every_one_is_a_whole_pdf_with_its_pages_and_text()
    {
        using var unit = await app.SignInAsync("unit");
        using var api = await app.ApiAsync("unit");
        var id = await SelfEvaluationApiTests.CentreIdAsync(api);
        var url = $"/self-evaluations/{id}/print.pdf";
        var single = await PdfAsync(unit, url);
        var pages = PageObject().Count(Encoding.Latin1.GetString(single));

        // Six at once: two print while four wait for a slot, all on the one browser.
        var all = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PdfAsync(unit, url)));

        Assert.True(pages >= 2, $"{pages} page(s)");
        foreach (var pdf in all)
        {
            Assert.Equal(pages, PageObject().Count(Encoding.Latin1.GetString(pdf)));
            var flat = string.Concat(PdfText.Read(pdf).Where(c => !char.IsWhiteSpace(c)));
            Assert.Contains("改进措施", flat, StringComparison.Ordinal);
            Assert.Contains($"第{pages}页，共{pages}页", flat, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Given_a_long_document_When_printed_Then_it_comes_back_whole_over_several_stream_chunks()
    {
        // Forty pages, each with its own 500 characters of the CJK block: the embedded font subset alone makes the PDF
        // several chunks long, so the document is read back in pieces and must join up byte for byte.
        var body = new StringBuilder();
        for (var page = 1; page <= 40; page++)
        {
            var text = new string(Enumerable.Range(0x4E00 + (page * 500), 500).Select(c => (char)c).ToArray());
            body.Append(CultureInfo.InvariantCulture, $"<section style=\"page-break-after:always\"><h1>第{page}节</h1><p>{text}</p></section>");
        }

        var html = Encoding.UTF8.GetBytes($"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>{body}<p>全文完</p></body></html>");
        var renderer = app.Factory.Services.GetRequiredService<PdfRenderer>();

        var result = await renderer.RenderAsync(html, CancellationToken.None);

        Assert.Null(result.Problem);
        var pdf = result.Pdf!;
        Assert.True(pdf.Length > 3 * ChromiumBrowser.StreamChunkBytes, $"{pdf.Length} bytes: too short to need several chunks");
        Assert.StartsWith("%PDF", Encoding.ASCII.GetString(pdf, 0, 4), StringComparison.Ordinal);
        Assert.EndsWith("%%EOF", Encoding.ASCII.GetString(pdf, pdf.Length - 8, 8).TrimEnd(), StringComparison.Ordinal);
        Assert.True(PageObject().Count(Encoding.Latin1.GetString(pdf)) >= 41);
        var flat = string.Concat(PdfText.Read(pdf).Where(c => !char.IsWhiteSpace(c)));
        Assert.Contains("第40节", flat, StringComparison.Ordinal);
        Assert.Contains("全文完", flat, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_warm_browser_When_it_is_killed_between_two_pdfs_Then_the_next_pdf_comes_from_a_new_browser()
    {
        using var unit = await app.SignInAsync("unit");
        using var api = await app.ApiAsync("unit");
        var url = $"/self-evaluations/{await SelfEvaluationApiTests.CentreIdAsync(api)}/print.pdf";
        await PdfAsync(unit, url);
        var renderer = app.Factory.Services.GetRequiredService<PdfRenderer>();
        var killed = renderer.BrowserProcessId!.Value;
        var profile = renderer.BrowserProfileDirectory!;
        // What an app killed outright leaves: the profile of a browser that exited. The next browser's start removes it.
        var stale = Directory.CreateTempSubdirectory("budgeteval-chromium-");
        await File.WriteAllTextAsync(Path.Combine(stale.FullName, "Local State"), "{}");
        Directory.SetLastWriteTimeUtc(stale.FullName, DateTime.UtcNow.AddMinutes(-10));

        using (var browser = Process.GetProcessById(killed))
        {
            browser.Kill(); // SIGKILL to the browser alone, as a crash would leave it
            await browser.WaitForExitAsync();
        }

        var pdf = await PdfAsync(unit, url);

        Assert.StartsWith("%PDF", Encoding.ASCII.GetString(pdf, 0, 4), StringComparison.Ordinal);
        Assert.NotEqual(killed, renderer.BrowserProcessId);
        Assert.False(ChromiumProcesses.Alive(killed));
        Assert.False(await Eventually.ReadAsync(() => Task.FromResult(Directory.Exists(profile)), exists => !exists), $"{profile} left behind");
        Assert.False(Directory.Exists(stale.FullName), $"stale profile {stale.FullName} kept");
        Assert.True(Directory.Exists(renderer.BrowserProfileDirectory), "the new browser's own profile was swept");
    }

    [Fact]
    public async Task Given_a_page_that_asks_for_the_network_and_another_file_When_printed_Then_neither_is_fetched()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var secret = Directory.CreateTempSubdirectory("pdf-secret-");
        try
        {
            const string Marker = "SECRETMARKER";
            await File.WriteAllTextAsync(Path.Combine(secret.FullName, "secret.html"), $"<p>{Marker}</p>");
            var html = $"""
                <!DOCTYPE html><html><head><meta charset="utf-8"><link rel="stylesheet" href="http://127.0.0.1:{port}/x.css"></head>
                <body><p>打印测试</p><img src="http://127.0.0.1:{port}/leak.png"><iframe src="{new Uri(Path.Combine(secret.FullName, "secret.html")).AbsoluteUri}"></iframe></body></html>
                """;

            var result = await app.Factory.Services.GetRequiredService<PdfRenderer>().RenderAsync(Encoding.UTF8.GetBytes(html), CancellationToken.None);

            Assert.Null(result.Problem);
            var flat = string.Concat(PdfText.Read(result.Pdf!).Where(c => !char.IsWhiteSpace(c)));
            Assert.Contains("打印测试", flat, StringComparison.Ordinal);
            Assert.DoesNotContain(Marker, flat, StringComparison.Ordinal);
            // The page's load event waits for its stylesheet and image, so a request would have connected by now.
            Assert.False(listener.Pending(), "the page reached the network");
        }
        finally
        {
            secret.Delete(recursive: true);
        }
    }

    private static async Task<byte[]> PdfAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        return body;
    }
}

/// <summary>The browser's life outside the shared fixture: a hang, and the app stopping.</summary>
public sealed class PdfBrowserLifetimeTests
{
    [Fact]
    public async Task Given_a_hung_browser_When_a_pdf_is_asked_for_Then_it_fails_with_the_message_and_the_next_pdf_comes_from_a_new_browser()
    {
        var app = new AppFixture { Settings = new Dictionary<string, string?> { ["Pdf:TimeoutSeconds"] = "10" } };
        await app.InitializeAsync();
        try
        {
            var renderer = app.Factory.Services.GetRequiredService<PdfRenderer>();
            var html = Encoding.UTF8.GetBytes("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><p>挂起测试</p></body></html>");
            Assert.Null((await renderer.RenderAsync(html, CancellationToken.None)).Problem);
            var hung = renderer.BrowserProcessId!.Value;

            ChromiumProcesses.Signal(hung, "STOP"); // alive but answering nothing, as a hung browser
            var stuck = await renderer.RenderAsync(html, CancellationToken.None);
            var next = await renderer.RenderAsync(html, CancellationToken.None);

            Assert.Equal(PdfRenderer.Failed, stuck.Problem);
            Assert.False(await Eventually.ReadAsync(() => Task.FromResult(ChromiumProcesses.Alive(hung)), alive => !alive), $"hung browser {hung} still running");
            Assert.Null(next.Problem);
            Assert.StartsWith("%PDF", Encoding.ASCII.GetString(next.Pdf!, 0, 4), StringComparison.Ordinal);
            Assert.NotEqual(hung, renderer.BrowserProcessId);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Given_a_warm_browser_When_no_pdf_is_asked_for_a_while_Then_it_is_closed_and_the_next_pdf_starts_a_new_one()
    {
        var app = new AppFixture { Settings = new Dictionary<string, string?> { ["Pdf:IdleSeconds"] = "1" } };
        await app.InitializeAsync();
        try
        {
            var renderer = app.Factory.Services.GetRequiredService<PdfRenderer>();
            var html = Encoding.UTF8.GetBytes("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><p>空闲测试</p></body></html>");
            Assert.Null((await renderer.RenderAsync(html, CancellationToken.None)).Problem);
            var first = renderer.BrowserProcessId!.Value;
            var profile = renderer.BrowserProfileDirectory!;

            // Closed a second after the PDF, checked every quarter second: half a minute is ample even on a busy machine.
            Assert.Null(await Eventually.ReadAsync(() => Task.FromResult(renderer.BrowserProcessId), pid => pid is null, seconds: 30));
            Assert.False(await Eventually.ReadAsync(() => Task.FromResult(ChromiumProcesses.Alive(first) || Directory.Exists(profile)), left => !left, seconds: 30));

            var again = await renderer.RenderAsync(html, CancellationToken.None);
            Assert.Null(again.Problem);
            Assert.StartsWith("%PDF", Encoding.ASCII.GetString(again.Pdf!, 0, 4), StringComparison.Ordinal);
            Assert.NotEqual(first, renderer.BrowserProcessId);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Given_a_warm_browser_When_the_app_stops_Then_no_chromium_process_and_no_profile_is_left()
    {
        var app = new AppFixture();
        await app.InitializeAsync();
        int browser;
        string profile;
        IReadOnlyList<int> family;
        try
        {
            using var unit = await app.SignInAsync("unit");
            using var api = await app.ApiAsync("unit");
            using var response = await unit.GetAsync($"/self-evaluations/{await SelfEvaluationApiTests.CentreIdAsync(api)}/print.pdf");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var renderer = app.Factory.Services.GetRequiredService<PdfRenderer>();
            browser = renderer.BrowserProcessId!.Value;
            profile = renderer.BrowserProfileDirectory!;
            family = ChromiumProcesses.Descendants(browser);
            Assert.True(ChromiumProcesses.Alive(browser));
            Assert.NotEmpty(family); // its zygotes, renderer, GPU and network helpers
        }
        finally
        {
            await app.DisposeAsync();
        }

        // The app's stop has returned only once its services are disposed (AppFactory.DisposeAsync: twice in full CI
        // runs the factory returned while Program's own RunAsync was still disposing them, and the browser or its
        // profile was still there). A process may still show in /proc for a moment after it exits, hence the wait.
        var browserLeft = await Eventually.ReadAsync(() => Task.FromResult(ChromiumProcesses.Alive(browser)), alive => !alive, seconds: 30);
        Assert.False(browserLeft, $"browser {browser} still running");
        var left = await Eventually.ReadAsync(() => Task.FromResult(family.Where(ChromiumProcesses.Alive).ToList()), alive => alive.Count == 0);
        Assert.True(left.Count == 0, $"left behind: {string.Join(", ", left)}");
        Assert.False(Directory.Exists(profile), $"{profile} left behind");
    }
}

/// <summary>The app as a real process, killed outright: its Chromium must not outlive it.</summary>
public sealed class PdfBrowserOrphanTests
{
    [Fact]
    public async Task Given_a_warm_browser_When_the_app_is_killed_with_sigkill_Then_chromium_exits_by_itself()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var app = await AppProcess.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Default"] = database.ConnectionString,
            ["Demo__Seed"] = "true",
            ["Node__Jobs"] = "false",
            ["Email__Mode"] = "Pickup",
            ["Email__PickupDirectory"] = Path.Combine(Path.GetTempPath(), "budgeteval-test-mail"),
        });
        using var unit = app.Client(handleCookies: true);
        Assert.Equal(HttpStatusCode.Redirect, (await AppFixture.PostLoginFormAsync(unit, "unit", AppFixture.DemoPassword)).StatusCode);
        using var api = app.Client();
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await AppFixture.TokenAsync(api, "unit"));
        using var response = await unit.GetAsync($"/self-evaluations/{await SelfEvaluationApiTests.CentreIdAsync(api)}/print.pdf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var family = ChromiumProcesses.Descendants(app.Id);
        var browser = family.Single(pid => ChromiumProcesses.CommandLine(pid) is var line && line.Contains("--remote-debugging-pipe", StringComparison.Ordinal) && !line.Contains("--type=", StringComparison.Ordinal));
        var profile = ChromiumProcesses.CommandLine(browser).Split(' ').Single(a => a.StartsWith("--user-data-dir=", StringComparison.Ordinal))["--user-data-dir=".Length..];

        ChromiumProcesses.Signal(app.Id, "KILL"); // the app alone: no shutdown code runs

        var left = await Eventually.ReadAsync(() => Task.FromResult(family.Where(ChromiumProcesses.Alive).ToList()), alive => alive.Count == 0, seconds: 30);
        Assert.True(left.Count == 0, $"browser {browser}: left behind {string.Join(", ", left)}");
        Assert.StartsWith(Path.Combine(Path.GetTempPath(), "budgeteval-chromium-"), profile, StringComparison.Ordinal);
        Directory.Delete(profile, recursive: true); // the app had no chance to; its next start would (see the kill test above)
    }
}

/// <summary>Chromium's processes as Linux shows them in /proc.</summary>
internal static class ChromiumProcesses
{
    /// <summary>Running (a zombie waiting for its parent to collect it counts as gone).</summary>
    public static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static IReadOnlyList<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    parents[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                    // Exited while listed.
                }
            }
        }

        var found = new List<int>();
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

    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    public static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
