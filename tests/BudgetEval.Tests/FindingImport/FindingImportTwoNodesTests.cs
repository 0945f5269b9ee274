using System.Net;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using static BudgetEval.Tests.Infrastructure.XlsxBuilder;

namespace BudgetEval.Tests.FindingImport;

/// <summary>
/// 问题台账批量登记's result page behind a load balancer: the file posted to one node, the 303 followed on another,
/// one browser (one cookie jar). The summary comes from the database and the note from the protected TempData cookie,
/// so the other node shows both.
/// </summary>
public sealed class FindingImportTwoNodesTests(TwoNodes nodes) : IClassFixture<TwoNodes>
{
    [Fact]
    public async Task Given_a_file_posted_to_one_node_When_the_redirect_is_followed_on_the_other_Then_it_shows_the_summary_and_the_note()
    {
        var browser = new System.Net.CookieContainer();
        using var first = nodes.First.CreateDefaultClient(new CookieContainerHandler(browser));
        using var second = nodes.Second.CreateDefaultClient(new CookieContainerHandler(browser));
        Assert.Equal(HttpStatusCode.Redirect, (await AppFixture.PostLoginFormAsync(first, "finance", AppFixture.DemoPassword)).StatusCode);
        var file = new XlsxBuilder().Sheet("问题",
        [
            Row(1, FindingImportRedirectTests.Header),
            Row(2, DemoSeeder.SocialGovernanceCentre, 2023, "审计", "财务管理", "两节点审计问题", "区审计局发现：培训费超标准。", "望审〔2024〕21号", "2024-03-15", null, null, "2024-06-30", "否", null, null, "内部备注"),
        ]).Build();

        var posted = await FindingImportPage.PostAsync(first, file);
        var page = await FindingImportPage.ResultAsync(second, posted, FindingImportTests.Errors);

        Assert.Contains("已登记 1 个问题：1 个未整改（已发出整改通知），0 个登记时已整改。", page, StringComparison.Ordinal);
        Assert.Contains("未导入表头之外的列", page, StringComparison.Ordinal);
        Assert.Contains($"<td>{DemoSeeder.SocialGovernanceCentre}</td><td>2023</td><td>1</td><td>1</td><td>0</td>", page, StringComparison.Ordinal);
    }
}
