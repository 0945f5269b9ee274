using BudgetEval.Web.Plans;

namespace BudgetEval.Tests.SelfEvaluations;

/// <summary>Amounts as people type them (a pure rule: no database).</summary>
public sealed class AmountTextTests
{
    [Theory]
    [InlineData("1412.74", 1412.74)]
    [InlineData("1,412.74", 1412.74)] // as the product displays it
    [InlineData(" 1,412.74 ", 1412.74)]
    [InlineData("１４１２．７４", 1412.74)] // full-width, from a Chinese input method
    [InlineData("１，４１２．７４", 1412.74)]
    [InlineData("-1", -1)]
    public void Given_an_amount_as_typed_When_read_Then_its_value(string text, double expected)
    {
        Assert.True(Money.TryParse(text, out var amount));
        Assert.Equal((decimal)expected, amount);
    }

    [Theory]
    [InlineData("")]
    [InlineData("十")]
    [InlineData("1.2.3")]
    [InlineData("abc")]
    public void Given_text_that_is_no_amount_When_read_Then_refused(string text) => Assert.False(Money.TryParse(text, out _));
}
