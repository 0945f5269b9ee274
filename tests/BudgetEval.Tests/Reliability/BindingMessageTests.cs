using System.Net;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.Reliability;

/// <summary>A page whose query string was typed wrong answers in Chinese, naming the field (MVC's own messages are English).</summary>
public sealed class BindingMessageTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("/findings?FiscalYear=abc", "「年度」的值「abc」无效。")]
    [InlineData("/evaluations?FiscalYear=abc", "「年度」的值「abc」无效。")]
    [InlineData("/results?year=abc", "「年度」的值「abc」无效。")]
    [InlineData("/findings?p=abc", "「页码」的值「abc」无效。")]
    public async Task Given_a_value_that_does_not_bind_When_the_page_is_opened_Then_the_message_is_chinese_and_names_the_field(string url, string message)
    {
        using var finance = await app.SignInAsync("finance");
        var response = await finance.GetAsync(url);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Contains(message, html, StringComparison.Ordinal);
        Assert.DoesNotContain("is not valid", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dashboards?unit=并不存在的单位")]
    [InlineData("/findings?Unit=并不存在的单位")]
    public async Task Given_a_unit_name_that_matches_no_unit_When_filtering_Then_the_page_says_so_instead_of_showing_nothing(string url)
    {
        using var finance = await app.SignInAsync("finance");
        var html = WebUtility.HtmlDecode(await (await finance.GetAsync(url)).Content.ReadAsStringAsync());

        Assert.Contains("「单位」：没有名称或简称含“并不存在的单位”的单位。", html, StringComparison.Ordinal);
        if (url.StartsWith("/findings", StringComparison.Ordinal))
        {
            Assert.Contains("暂无符合条件的问题。", html, StringComparison.Ordinal); // an empty list says it is empty
        }
    }
}
