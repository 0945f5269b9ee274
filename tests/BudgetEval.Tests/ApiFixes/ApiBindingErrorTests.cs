using System.Net;
using System.Text;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.ApiFixes;

/// <summary>A value of the wrong type is a field's error like any other: under errors[field], with what the field takes.</summary>
public sealed class ApiBindingErrorTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("""{"organisationId":"not-a-guid"}""", "organisationId", "应为编号（GUID）")]
    [InlineData("""{"deadline":"2027-13-30"}""", "deadline", "日期")]
    [InlineData("""{"fiscalYear":"两千"}""", "fiscalYear", "应为整数")]
    [InlineData("""{"title":123}""", "title", "应为文本")]
    public async Task Given_a_value_of_the_wrong_type_When_posted_Then_the_answer_keys_it_by_field_and_says_what_the_field_takes(string body, string field, string expected)
    {
        using var finance = await app.ApiAsync("finance");
        var response = await finance.PostAsync("/api/findings", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var message = problem.GetProperty("errors").GetProperty(field)[0].GetString()!;
        Assert.Contains($"字段「{field}」的值无效", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_query_value_that_does_not_bind_When_listed_Then_the_parameter_is_the_key()
    {
        using var finance = await app.ApiAsync("finance");
        var response = await finance.GetAsync("/api/findings?fiscalYear=abc");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("「abc」无效", problem.GetProperty("errors").GetProperty("fiscalYear")[0].GetString()!, StringComparison.Ordinal);
    }
}
