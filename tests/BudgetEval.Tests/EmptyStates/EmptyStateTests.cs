using System.Net;
using BudgetEval.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.EmptyStates;

/// <summary>
/// Pages that list nothing say so, instead of showing an empty table under its headers (found by a crawl of the
/// demo as every role): a unit without users, a finding without evidence, a self-evaluation nobody has filled in,
/// and a finding rectified before the report (no plan was ever needed).
/// </summary>
public sealed class EmptyStateTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_unit_without_users_When_finance_opens_it_Then_the_page_says_it_has_none()
    {
        var org = await app.DbAsync(db => db.Organisations.Where(o => !db.Users.Any(u => u.OrganisationId == o.Id)).Select(o => o.Id).FirstAsync());
        var page = await Page("finance", $"/organisations/{org}");
        Assert.Contains("本单位尚无用户。", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<th>用户名</th>", page, StringComparison.Ordinal);

        var withUsers = await app.DbAsync(db => db.Users.Where(u => u.UserName == "unit").Select(u => u.OrganisationId).SingleAsync());
        var listed = await Page("finance", $"/organisations/{withUsers}");
        Assert.DoesNotContain("本单位尚无用户。", listed, StringComparison.Ordinal);
        Assert.Contains("<th>用户名</th>", listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_finding_without_evidence_or_plan_When_opened_Then_no_empty_table_and_no_empty_plan_labels()
    {
        var finding = await app.DbAsync(db => db.Findings
            .Where(f => !f.RectifiedBeforeReport && f.PlanMeasures == null && f.PlanResponsible == null && f.PlanDate == null && !db.FindingEvidence.Any(e => e.FindingId == f.Id))
            .Select(f => f.Id).FirstAsync());
        var page = await Page("finance", $"/findings/{finding}");
        Assert.Contains("暂无佐证材料。", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"evidence\"", page, StringComparison.Ordinal);
        Assert.Contains("（尚未填写）", page, StringComparison.Ordinal);
        Assert.DoesNotContain("责任人： ·", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_finding_rectified_before_the_report_When_opened_Then_plan_and_result_point_to_that_instead_of_asking_for_them()
    {
        var finding = await app.DbAsync(db => db.Findings.Where(f => f.RectifiedBeforeReport && f.PlanMeasures == null && f.ResultText == null).Select(f => f.Id).FirstAsync());
        var page = await Page("finance", $"/findings/{finding}");
        Assert.Contains("报告前已整改", page, StringComparison.Ordinal);
        Assert.Contains("（报告前已整改，无需整改方案）", page, StringComparison.Ordinal);
        Assert.Contains("（报告前已整改，见上方说明）", page, StringComparison.Ordinal);
        Assert.DoesNotContain("（尚未填写）", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_unfilled_self_evaluation_When_finance_reads_its_form_Then_the_indicator_table_says_none_were_filled_in()
    {
        var se = await app.DbAsync(db => db.SelfEvaluations.Where(s => !db.SelfEvaluationIndicators.Any(i => i.SelfEvaluationId == s.Id)).Select(s => s.Id).FirstAsync());
        var page = await Page("finance", $"/self-evaluations/{se}/form");
        Assert.Contains("尚未填写绩效指标。", page, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"indicator-row\"", page, StringComparison.Ordinal);
    }

    private async Task<string> Page(string user, string path)
    {
        var response = await (await app.SignInAsync(user)).GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }
}
