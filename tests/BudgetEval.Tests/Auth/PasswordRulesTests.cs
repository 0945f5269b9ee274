using BudgetEval.Web.Auth;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;

namespace BudgetEval.Tests.Auth;

public sealed class PasswordRulesTests
{
    [Theory]
    [InlineData("Demo@2026!", true)]      // upper, lower, digit, symbol
    [InlineData("abcdefgh12AB", true)]    // three classes
    [InlineData("abcdefgh12!!", true)]    // lower, digit, symbol
    [InlineData("abcdefghijk1", false)]   // two classes
    [InlineData("ABCDEFGHIJKL", false)]   // one class
    [InlineData("Ab1!", false)]           // too short
    [InlineData("Ab1!Ab1!A", false)]      // nine characters
    public async Task Given_a_password_When_validated_Then_ten_characters_and_three_classes_are_required(string password, bool valid)
    {
        var result = await new ThreeClassPasswordValidator().ValidateAsync(null!, new AppUser { UserName = "zhang", DisplayName = "张" }, password);
        Assert.Equal(valid, result.Succeeded);
    }

    [Fact]
    public async Task Given_a_short_simple_password_When_validated_Then_both_errors_are_reported_in_Chinese()
    {
        var result = await new ThreeClassPasswordValidator().ValidateAsync(null!, new AppUser { UserName = "zhang", DisplayName = "张" }, "abc");
        Assert.Contains(result.Errors, e => e.Description == "密码至少需要 10 个字符。");
        Assert.Contains(result.Errors, e => e.Description.StartsWith("密码需包含", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Given_a_password_containing_the_user_name_When_validated_Then_it_is_refused()
    {
        IdentityResult result = await new ThreeClassPasswordValidator().ValidateAsync(null!, new AppUser { UserName = "zhangsan", DisplayName = "张三" }, "Zhangsan@2026");
        Assert.False(result.Succeeded);
    }
}
