using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;

namespace BudgetEval.Tests.Organisations;

public class OrganisationDetailsReviewTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_the_firm_When_its_evaluator_opens_本单位信息_Then_missing_fields_say_so_the_phone_has_its_row_and_the_lead_is_named()
    {
        using var evaluator = await app.SignInAsync("evaluator");
        var firmId = await app.OrganisationIdAsync(DemoSeeder.XinCaiYuan);

        var html = await evaluator.GetStringAsync($"/organisations/{firmId}");

        // The demo firm has no credit code or contact: said, not left as blank cells.
        Assert.Contains("<tr><th>统一社会信用代码</th><td>未填写</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th>联系人</th><td>未填写</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th>联系电话</th><td>未填写</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th>主管部门</th><td>无</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<td>江惠平</td><td>evaluator</td><td>评价人员（主评人）</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_name_no_unit_has_When_the_bureau_filters_单位名录_Then_the_list_says_so()
    {
        using var finance = await app.SignInAsync("finance");

        Assert.Contains("没有符合条件的单位。", await finance.GetStringAsync("/organisations?q=" + Uri.EscapeDataString("查无此单位")), StringComparison.Ordinal);
        Assert.DoesNotContain("没有符合条件的单位。", await finance.GetStringAsync("/organisations"), StringComparison.Ordinal);
    }
}
