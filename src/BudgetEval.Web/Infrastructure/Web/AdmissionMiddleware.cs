using System.Threading.RateLimiting;
using BudgetEval.Web.Infrastructure.Hosting;
using Microsoft.Extensions.Options;

namespace BudgetEval.Web.Infrastructure.Web;

/// <summary>
/// Admission control (docs/decisions/0017-request-admission.md): at most Admission:MaxConcurrentRequests requests
/// are served at once on this node and the rest wait their turn, oldest first. On two cores sixty-four
/// requests served all at once share the CPU and the database's connections, and each takes as long as the
/// slowest of the crowd; served a few at a time, each is finished quickly and the wait is the same for all.
/// A request that waited Admission:QueueTimeoutSeconds is answered 503 with a Chinese message. Health probes are
/// never queued, and neither is the error page a refused request is re-executed into.
/// </summary>
internal sealed class AdmissionMiddleware : IDisposable
{
    internal const string Busy = "服务器繁忙，请稍后重试。刚才的操作没有执行。";

    private readonly RequestDelegate next;
    private readonly ILogger<AdmissionMiddleware> logger;
    private readonly ConcurrencyLimiter? limiter;
    private readonly TimeSpan queueTimeout;

    public AdmissionMiddleware(RequestDelegate next, IOptions<AdmissionOptions> options, ILogger<AdmissionMiddleware> logger)
    {
        this.next = next;
        this.logger = logger;
        var o = options.Value;
        queueTimeout = TimeSpan.FromSeconds(o.QueueTimeoutSeconds);
        var permits = o.EffectiveMaxConcurrentRequests;
        limiter = permits <= 0 ? null : new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = permits,
            QueueLimit = o.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (limiter is null || context.Request.Path.StartsWithSegments("/healthz")
            || context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is not null)
        {
            await next(context);
            return;
        }

        using var lease = await AcquireAsync(limiter, context);
        if (lease is { IsAcquired: true })
        {
            await next(context);
            return;
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            return; // the client left while waiting: nothing to answer
        }

        logger.LogWarning("Request {Method} {Path} refused as busy: {Queued} waiting, the queue full or the wait over {Timeout}",
            context.Request.Method, context.Request.Path, limiter.GetStatistics()?.CurrentQueuedCount, queueTimeout);
        context.Items[Busy] = true; // the error page says "busy", not "database unavailable"
        context.Response.Headers.RetryAfter = "5";
        await RequestProblemsMiddleware.RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, "服务器繁忙", Busy);
    }

    // Null when the wait was given up (timeout or the client went away); a lease not acquired when the queue is full.
    private async Task<RateLimitLease?> AcquireAsync(ConcurrencyLimiter gate, HttpContext context)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        wait.CancelAfter(queueTimeout);
        try
        {
            return await gate.AcquireAsync(1, wait.Token);
        }
        catch (OperationCanceledException) when (wait.IsCancellationRequested)
        {
            return null;
        }
    }

    public void Dispose() => limiter?.Dispose();
}
