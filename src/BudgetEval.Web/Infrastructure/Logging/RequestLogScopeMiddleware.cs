using System.Collections;
using BudgetEval.Web.Infrastructure.Hosting;

namespace BudgetEval.Web.Infrastructure.Logging;

/// <summary>
/// Every log line written during a request carries the node, the request id and the user name. The scope
/// starts early in the pipeline (so RequestProblemsMiddleware's and the exception handler's lines carry it
/// too) and reads the user when a line is written, i.e. once authentication has run.
/// </summary>
internal sealed class RequestLogScopeMiddleware(RequestDelegate next, ILogger<RequestLogScopeMiddleware> logger, IConfiguration config)
{
    private readonly string _node = NodeOptions.NameOf(config);

    public async Task InvokeAsync(HttpContext context)
    {
        using (logger.BeginScope(new RequestScope(_node, context)))
        {
            await next(context);
        }
    }

    // A list of pairs is what the JSON console formatter expands into fields; ToString is its "Message".
    private sealed class RequestScope(string node, HttpContext context) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly string _requestId = context.TraceIdentifier;

        private string? UserName => context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name : null;

        public int Count => 3;

        public KeyValuePair<string, object?> this[int index] => index switch
        {
            0 => new("NodeName", node),
            1 => new("RequestId", _requestId),
            2 => new("UserName", UserName),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"Node:{node} RequestId:{_requestId} UserName:{UserName ?? "-"}";
    }
}
