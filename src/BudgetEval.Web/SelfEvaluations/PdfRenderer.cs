using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BudgetEval.Web.SelfEvaluations;

internal sealed record PdfResult(byte[]? Pdf, string? Problem);

/// <summary>
/// Prints an HTML document to PDF with headless Chromium, from a temporary file (docs/decisions/0008-pdf-rendering.md):
/// Chromium never calls back into the application, so no cookie, token or reachable URL is needed.
/// </summary>
internal sealed class PdfRenderer(Microsoft.Extensions.Options.IOptions<Infrastructure.Hosting.PdfOptions> options, ILogger<PdfRenderer> logger)
{
    public const string NoChromium = "服务器未安装 Chromium，暂不能生成 PDF。请打开“打印预览”，用浏览器的“打印 → 另存为 PDF”。";

    public const string Failed = "生成 PDF 失败或超时，请稍后重试；也可打开“打印预览”用浏览器另存为 PDF。";

    // Chromium is heavy; on a small server two at a time is plenty, the rest wait their turn.
    private static readonly SemaphoreSlim Slots = new(2);

    private string ChromiumPath => options.Value.ChromiumPath;

    private TimeSpan Timeout => TimeSpan.FromSeconds(Math.Max(5, options.Value.TimeoutSeconds));

    public async Task<PdfResult> RenderAsync(byte[] html, CancellationToken ct)
    {
        if (!File.Exists(ChromiumPath))
        {
            return new(null, NoChromium);
        }

        var dir = Directory.CreateTempSubdirectory("budgeteval-pdf-");
        await Slots.WaitAsync(ct);
        try
        {
            var page = Path.Combine(dir.FullName, "print.html");
            var output = Path.Combine(dir.FullName, "print.pdf");
            await File.WriteAllBytesAsync(page, html, ct);
            var start = new ProcessStartInfo(ChromiumPath)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                ArgumentList =
                {
                    "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--no-first-run", "--disable-background-networking",
                    $"--user-data-dir={Path.Combine(dir.FullName, "profile")}", // a private profile: concurrent renders never share a lock
                    $"--print-to-pdf={output}", new Uri(page).AbsoluteUri,
                },
            };
            using var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
            var stderr = process.StandardError.ReadToEndAsync(ct);
            _ = process.StandardOutput.ReadToEndAsync(ct);

            // A watchdog on wall-clock time (not business time): a hung browser must not hold the request.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                logger.LogWarning("Chromium did not finish the PDF within {Timeout}", Timeout);
                return new(null, Failed);
            }

            if (File.Exists(output) && await File.ReadAllBytesAsync(output, ct) is { Length: > 4 } pdf && pdf.AsSpan().StartsWith("%PDF"u8))
            {
                return new(pdf, null);
            }

            logger.LogWarning("Chromium exited with {Code} without a PDF: {Error}", process.ExitCode, await stderr);
            return new(null, Failed);
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
