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
    public async Task Given_completed_demo_evaluation_When_read_Then_rows_carry_the_reports_points_and_standards_and_the_total_is_unchanged()
    {
        var id = await DemoIdAsync();
        var detail = await EvaluationApi.JsonAsync(await app.ApiAsync("finance"), $"/api/evaluations/{id}");
        var expected = BudgetEval.Web.Evaluations.ScoreFile.Read("sample.csv", BudgetEval.Web.Demo.SampleExternalEvaluation.ScoreTableCsv(),
            BudgetEval.Web.Evaluations.EvaluationTemplates.Default.Groups, []).Rows;

        var rows = detail.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(expected.Select(r => (r.Level3, r.Points, r.Standard)),
            rows.Select(r => (r.GetProperty("level3").GetString()!, r.GetProperty("points").GetString(), r.GetProperty("standard").GetString())));
        Assert.Equal([7m, 22.8m, 39m, 21m], detail.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("score").GetDecimal()));
        Assert.Equal(89.80m, detail.GetProperty("totalScore").GetDecimal());

        // The page shows the report's rule, not the generic template's.
        var page = await (await app.SignInAsync("finance")).GetStringAsync($"/evaluations/{id}");
        Assert.Contains("政府采购执行率100%计1分，每超过（降低）1%扣0.1分，扣完为止。", page, StringComparison.Ordinal);
        Assert.DoesNotContain("≥90%得满分", page, StringComparison.Ordinal);
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
