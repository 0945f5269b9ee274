namespace BudgetEval.Web.Infrastructure.Logging;

/// <summary>Every log line written during a request carries the request id and the user name.</summary>
internal sealed class RequestLogScopeMiddleware(RequestDelegate next, ILogger<RequestLogScopeMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var state = new Dictionary<string, object?>
        {
            ["RequestId"] = context.TraceIdentifier,
            ["UserName"] = context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name : null,
        };
        using (logger.BeginScope(state))
        {
            await next(context);
        }
    }
}
