using System.Net;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.Evaluations;

/// <summary>The pages over HTTP with a signed-in browser session, on the demo's completed 2021 evaluation.</summary>
public sealed class EvaluationPageTests(AppFixture app) : IClassFixture<AppFixture>
{
    private async Task<Guid> DemoIdAsync() =>
        (await EvaluationApi.JsonAsync(await app.ApiAsync("finance"), "/api/evaluations?fiscalYear=2021"))[0].GetProperty("id").GetGuid();

    [Theory]
    [InlineData("finance")]
    [InlineData("unit")] // not the firm: its access ended with acceptance (FirmAssignmentEndTests)
    public async Task Given_completed_demo_evaluation_When_party_opens_page_and_print_view_Then_total_89_80_good(string user)
    {
        var id = await DemoIdAsync();
        var client = await app.SignInAsync(user);

        var page = await client.GetStringAsync($"/evaluations/{id}");
        var print = await client.GetStringAsync($"/evaluations/{id}/print");

        Assert.Contains("89.80", page, StringComparison.Ordinal);
        Assert.Contains("等级：良", page, StringComparison.Ordinal);
        Assert.Contains("湘财苑专审字[2022]第124号", print, StringComparison.Ordinal);
        Assert.Contains("id=\"print-total\">89.80", print, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_demo_When_finance_opens_lists_Then_evaluations_and_findings_register_show_sample()
    {
        var finance = await app.SignInAsync("finance");

        var list = await finance.GetStringAsync("/evaluations?FiscalYear=2022");
        var findings = await finance.GetStringAsync("/findings?FiscalYear=2021&Source=ThirdParty");

        Assert.Contains("2021年度长沙市望城区社会治理服务中心部门整体支出绩效评价", list, StringComparison.Ordinal);
        Assert.Contains("重点问题未及时整改到位", findings, StringComparison.Ordinal);
        Assert.Contains("报告前已整改", findings, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_other_unit_When_opening_demo_evaluation_Then_404()
    {
        var id = await DemoIdAsync();
        var unit2 = await app.SignInAsync("unit2");

        Assert.Equal(HttpStatusCode.NotFound, (await unit2.GetAsync($"/evaluations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await unit2.GetAsync($"/evaluations/{id}/print")).StatusCode);
    }
}
