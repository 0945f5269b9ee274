using System.Net;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Audit;
using BudgetEval.Web.Demo;
using Microsoft.EntityFrameworkCore;
using static BudgetEval.Tests.Infrastructure.XlsxBuilder;

namespace BudgetEval.Tests.FindingImport;

/// <summary>
/// 问题台账批量登记 and Post/Redirect/Get: a registration answers 303 to a result page read back from what was
/// registered, so a refresh (or the back button) shows the summary again and never posts the file again.
/// </summary>
public sealed class FindingImportRedirectTests(AppFixture app) : IClassFixture<AppFixture>
{
    /// <summary>The template's columns and one of the user's own (备注), which the import leaves out with a note.</summary>
    internal static readonly string[] Header =
        ["单位", "年度", "来源", "问题类别", "问题", "问题描述", "来源文号", "来源日期", "对应指标", "整改建议", "整改期限", "是否已整改", "整改完成日期", "整改说明", "备注"];

    [Fact]
    public async Task Given_a_good_file_When_posted_Then_the_answer_is_303_and_the_result_page_shows_the_summary_on_every_GET_without_importing_again()
    {
        using var finance = await app.SignInAsync("finance");
        var file = new XlsxBuilder().Sheet("问题",
        [
            Row(1, Header),
            Row(2, DemoSeeder.SocialGovernanceCentre, 2023, "审计", "财务管理", "回跳审计问题甲", "区审计局发现：差旅费超标准。", "望审〔2024〕11号", "2024-03-15", null, null, "2024-06-30", "否", null, null, "内部备注"),
            Row(3, DemoSeeder.SocialGovernanceCentre, 2023, "审计", "财务管理", "回跳审计问题乙", "区审计局发现：公务卡未强制结算。", "望审〔2024〕11号", "2024-03-15", null, null, "2024-06-30", "否"),
            Row(4, DemoSeeder.EducationBureau, 2022, "巡察", "资产管理", "回跳巡察问题丙", "巡察反馈：资产闲置。", "望治党组〔2023〕4号", "2023-05-10", null, null, "2023-08-31", "是", "2023-08-01", "已调剂使用。"),
        ]).Build();

        var posted = await FindingImportPage.PostAsync(finance, file);
        var first = await FindingImportPage.ResultAsync(finance, posted, FindingImportTests.Errors);
        var counts = await CountsAsync();

        // The summary as the post used to show it: totals, the file's note, each unit with its register link.
        var centre = await app.SocialGovernanceCentreAsync();
        var education = await app.OrganisationIdAsync(DemoSeeder.EducationBureau);
        Assert.Contains("已登记 3 个问题：2 个未整改（已发出整改通知），1 个登记时已整改。", first, StringComparison.Ordinal);
        Assert.Contains("未导入表头之外的列", first, StringComparison.Ordinal);
        Assert.Contains($"<tr><td>{DemoSeeder.SocialGovernanceCentre}</td><td>2023</td><td>2</td><td>2</td><td>0</td><td><a href=\"/findings?Unit={centre}&FiscalYear=2023\">", first, StringComparison.Ordinal);
        Assert.Contains($"<tr><td>{DemoSeeder.EducationBureau}</td><td>2022</td><td>1</td><td>0</td><td>1</td><td><a href=\"/findings?Unit={education}&FiscalYear=2022\">", first, StringComparison.Ordinal);

        // A refresh: the same summary (the note was the upload's, shown once), nothing registered again.
        var location = posted.Headers.Location!.OriginalString;
        var again = WebUtility.HtmlDecode(await finance.GetStringAsync(location));
        Assert.Contains("已登记 3 个问题：2 个未整改（已发出整改通知），1 个登记时已整改。", again, StringComparison.Ordinal);
        Assert.Contains($"href=\"/findings?Unit={centre}&FiscalYear=2023\"", again, StringComparison.Ordinal);
        Assert.Equal(counts, await CountsAsync());

        // Read back from the register, not from the session: another sign-in (or node) sees the same page, and a
        // case handled since does not change what was registered as open.
        var id = await app.DbAsync(db => db.Findings.Where(f => f.Title == "回跳审计问题甲").Select(f => f.Id).SingleAsync());
        await app.DbAsync(db => db.Findings.Where(f => f.Id == id).ExecuteUpdateAsync(s => s.SetProperty(f => f.Status, Web.Findings.FindingStatus.Rectified)));
        using var other = await app.SignInAsync("finance");
        Assert.Contains("已登记 3 个问题：2 个未整改（已发出整改通知），1 个登记时已整改。", WebUtility.HtmlDecode(await other.GetStringAsync(location)), StringComparison.Ordinal);
        Assert.Equal(counts, await CountsAsync());
    }

    [Fact]
    public async Task Given_a_refused_file_or_a_made_up_address_When_answered_Then_the_refusal_stays_on_the_post_and_the_address_shows_the_plain_form()
    {
        using var finance = await app.SignInAsync("finance");
        var bad = new XlsxBuilder().Sheet("问题", [Row(1, Header), Row(2, "无此单位", 2023, "审计", "财务管理", "回跳错误问题", "描述。", "望审〔2024〕12号", "2024-03-15")]).Build();

        var refused = await FindingImportPage.PostAsync(finance, bad);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("data-testid=\"import-errors\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        foreach (var address in new[] { "2023-Audit-0-1", "2023-Nothing-1-1", "2023-Audit-1", "1900-Audit-1-1", "2023-Audit-1-5000", "2099-Audit-1-3" })
        {
            var page = await finance.GetStringAsync($"/findings/import?imported={address}");
            Assert.DoesNotContain("data-testid=\"import-done\"", page, StringComparison.Ordinal);
            Assert.Contains("第一步：下载模板", page, StringComparison.Ordinal);
        }
    }

    private async Task<(int Findings, int Audit)> CountsAsync() =>
        (await app.DbAsync(db => db.Findings.IgnoreQueryFilters().CountAsync()),
         await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Action == AuditActions.FindingsImported)));
}
