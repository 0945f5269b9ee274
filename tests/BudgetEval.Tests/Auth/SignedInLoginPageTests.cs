using System.Net;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.Auth;

public class SignedInLoginPageTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_signed_in_user_When_the_login_page_is_opened_with_a_return_url_Then_it_says_they_are_signed_in_not_that_the_session_ended()
    {
        using var user = await app.SignInAsync("evaluator");

        var response = await user.GetAsync("/login?ReturnUrl=%2Finbox");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("登录已超时或已退出", html, StringComparison.Ordinal);
        Assert.Contains("您当前已登录（江惠平）。<a href=\"/inbox\">继续使用</a>", html, StringComparison.Ordinal);

        // Without a return URL (or with a foreign one) the way on is the home page.
        var foreign = await user.GetStringAsync("/login?ReturnUrl=" + Uri.EscapeDataString("https://example.com/"));
        Assert.Contains("<a href=\"/\">继续使用</a>", foreign, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_nobody_signed_in_When_the_login_page_is_opened_with_a_return_url_Then_it_still_says_the_session_ended()
    {
        using var anonymous = app.Anonymous();

        var html = await anonymous.GetStringAsync("/login?ReturnUrl=%2Finbox");
        Assert.Contains("登录已超时或已退出，请重新登录。", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"already-signed-in\"", html, StringComparison.Ordinal);
    }
}
