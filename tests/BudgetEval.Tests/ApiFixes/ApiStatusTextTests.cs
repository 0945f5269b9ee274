using BudgetEval.Web.Infrastructure.Hosting;
using BudgetEval.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BudgetEval.Tests.ApiFixes;

/// <summary>
/// The API's bodiless statuses get a Chinese problem: a chunked body over the limit is refused by the framework
/// while it is read (413 without an exception), which answered the generic 「请求失败」 before.
/// </summary>
public sealed class ApiStatusTextTests
{
    [Fact]
    public async Task Given_a_413_set_by_the_framework_When_the_api_status_page_answers_Then_it_says_the_content_is_too_large_naming_the_limit()
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails()
            .AddSingleton(Options.Create(new AppOptions { MaxRequestBodyMegabytes = 30 })).BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Path = "/api/findings";
        context.Request.Method = "POST";
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        var body = new MemoryStream();
        context.Response.Body = body;

        await RequestProblemsMiddleware.ApiStatusAsync(new StatusCodeContext(context, new StatusCodePagesOptions(), _ => Task.CompletedTask));

        var text = System.Text.Encoding.UTF8.GetString(body.ToArray());
        Assert.Equal(StatusCodes.Status413PayloadTooLarge, context.Response.StatusCode);
        Assert.Contains("内容过大", text, StringComparison.Ordinal);
        Assert.Contains("30 MB", text, StringComparison.Ordinal);
    }
}
