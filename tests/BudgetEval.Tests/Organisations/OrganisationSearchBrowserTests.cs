using BudgetEval.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BudgetEval.Tests.Organisations;

/// <summary>The search field that replaces the unit drop-down in a province, typed into in a real browser.</summary>
public sealed class OrganisationSearchBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_a_province_When_finance_types_part_of_a_name_on_the_register_form_Then_suggestions_appear_and_the_chosen_unit_is_registered()
    {
        await browser.DbAsync(ProvinceUnits.EnsureAsync);
        var finance = await browser.SignInAsync("finance");
        await finance.GotoAsync(browser.BaseUrl + "/findings");

        var unit = finance.Locator("#organisationId");
        await unit.PressSequentiallyAsync("省测试单位012");
        var suggestions = finance.Locator("#organisationId-suggestions option");
        // Under load an earlier keystroke's answer ("…01") can be on screen first: wait for the last one's.
        await Assertions.Expect(suggestions.First).ToHaveAttributeAsync("value", ProvinceUnits.Name(120));
        await Assertions.Expect(suggestions).ToHaveCountAsync(10);

        await unit.FillAsync(ProvinceUnits.Name(125));
        await finance.Locator("#year").FillAsync("2025");
        await finance.Locator("#sourceDocument").FillAsync("湘巡〔2025〕3号");
        await finance.Locator("#sourceDate").FillAsync("2025-09-01");
        await finance.Locator("#title").FillAsync("固定资产账实不符");
        await finance.Locator("#detail").FillAsync("巡察发现。");
        await finance.GetByRole(AriaRole.Button, new() { Name = "登记" }).ClickAsync();
        await Assertions.Expect(finance.Locator(".flash")).ToContainTextAsync("已登记问题");
        await finance.GotoAsync(browser.BaseUrl + "/findings?Unit=" + Uri.EscapeDataString(ProvinceUnits.Name(125)));
        await Assertions.Expect(finance.Locator("table")).ToContainTextAsync("固定资产账实不符");
    }
}
