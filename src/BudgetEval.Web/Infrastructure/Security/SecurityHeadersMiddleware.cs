namespace BudgetEval.Web.Infrastructure.Security;

/// <summary>
/// Headers every response gets. Scripts and styles come only from our own origin: no inline script, no style attribute
/// or &lt;style&gt; block, so an injected one cannot run or restyle a page (docs/decisions/0025-no-inline-styles.md).
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        // Set as the response starts: a refusal further in clears the response (headers included) before answering.
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpResponse)state).Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy =
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'";
            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    }
}
