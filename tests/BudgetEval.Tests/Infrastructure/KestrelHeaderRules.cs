using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace BudgetEval.Tests.Infrastructure;

/// <summary>
/// The in-memory test server sends any header value; Kestrel refuses a value with a control character or a
/// non-ASCII one and the request ends in 500. This filter applies Kestrel's rule to every answer of the
/// tests' application, so such a header fails the test that asked for it instead of only the real server.
/// </summary>
internal sealed class KestrelHeaderRules : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, following) =>
        {
            var response = context.Response;
            response.OnStarting(() =>
            {
                foreach (var (name, values) in response.Headers)
                {
                    foreach (var value in values)
                    {
                        if (value is not null && value.Any(c => (c < 0x20 && c != '\t') || c > 0x7E))
                        {
                            throw new InvalidOperationException($"Kestrel would refuse the response header {name}: {value}");
                        }
                    }
                }

                return Task.CompletedTask;
            });
            await following(context);
        });
        next(app);
    };
}
