using System.Net;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.Reliability;

/// <summary>Every refusal of the API is a problem document in Chinese, also where no endpoint wrote one (401, unknown path, 405, 415, a query value that does not bind).</summary>
public sealed class ApiProblemAnswerTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData(false, "GET", "/api/inbox", null, HttpStatusCode.Unauthorized, "未登录")]
    [InlineData(true, "GET", "/api/no-such-thing", null, HttpStatusCode.NotFound, "未找到")]
    [InlineData(true, "DELETE", "/api/inbox", null, HttpStatusCode.MethodNotAllowed, "请求方法不允许")]
    [InlineData(false, "POST", "/api/auth/login", "text/plain", HttpStatusCode.UnsupportedMediaType, "内容类型不支持")]
    [InlineData(true, "GET", "/api/findings?fiscalYear=abc", null, HttpStatusCode.BadRequest, "参数「fiscalYear」的值「abc」无效")]
    [InlineData(true, "GET", "/api/notifications?unread=maybe", null, HttpStatusCode.BadRequest, "参数「unread」的值「maybe」无效")]
    public async Task Given_a_request_the_api_refuses_When_answered_Then_the_body_is_a_chinese_problem(bool signedIn, string method, string url, string? contentType, HttpStatusCode status, string text)
    {
        var client = signedIn ? await app.ApiAsync("finance") : app.Anonymous();
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (contentType is not null)
        {
            request.Content = new StringContent("userName=finance", System.Text.Encoding.UTF8, contentType);
        }

        var response = await client.SendAsync(request);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Contains(text, problem.GetProperty("title").GetString() + problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
