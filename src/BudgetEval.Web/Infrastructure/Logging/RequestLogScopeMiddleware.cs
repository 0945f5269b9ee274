using System.Collections;

namespace BudgetEval.Web.Infrastructure.Logging;

/// <summary>Every log line written during a request carries the request id and the user name.</summary>
internal sealed class RequestLogScopeMiddleware(RequestDelegate next, ILogger<RequestLogScopeMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var user = context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name : null;
        using (logger.BeginScope(new RequestScope(context.TraceIdentifier, user)))
        {
            await next(context);
        }
    }

    // A list of pairs is what the JSON console formatter expands into fields; ToString is its "Message".
    private sealed class RequestScope(string requestId, string? userName) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly KeyValuePair<string, object?>[] _items = [new("RequestId", requestId), new("UserName", userName)];

        public int Count => _items.Length;

        public KeyValuePair<string, object?> this[int index] => _items[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_items).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"RequestId:{requestId} UserName:{userName ?? "-"}";
    }
}
