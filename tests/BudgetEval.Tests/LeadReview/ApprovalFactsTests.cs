using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.LeadReview;

/// <summary>
/// The lead decides on the targets the officer selected: the approval box lists each with the figures a decision rests
/// on (budget, execution rate, submitted grade, reason), and a 不予评价 shows its reason in the list afterwards.
/// </summary>
public sealed partial class ApprovalFactsTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_selection_When_the_lead_opens_the_evaluations_Then_each_target_shows_budget_rate_grade_and_reason_and_a_refusal_its_reason()
    {
        var finance = await app.ApiAsync("finance");
        var selected = await finance.PostAsJsonAsync("/api/evaluations", new
        {
            fiscalYear = 2022,
            targets = new object[]
            {
                new { organisationId = await app.SocialGovernanceCentreAsync(), kind = "DepartmentWide", reason = "预算执行率偏低" },
                new { organisationId = await app.OrganisationIdAsync("长沙市望城区教育局"), kind = "Project", projectName = "校舍维修专项", reason = "重点民生项目", budget = 350.5m },
            },
        });
        Assert.True(selected.IsSuccessStatusCode, await selected.Content.ReadAsStringAsync());
        var ids = JsonDocument.Parse(await selected.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetGuid()).ToList();

        var lead = await app.SignInAsync("financelead");
        var rows = Rows(Table(await lead.GetStringAsync("/evaluations")));

        // The centre's 2022 draft holds the real table (1412.74 / 979.56 → 69.34%), not yet submitted; the project has no
        // self-evaluation, so the budget is the one the officer entered.
        Assert.Equal(2, rows.Count);
        Assert.Equal(["长沙市望城区社会治理服务中心", "1,412.74", "69.34%", "未提交", "预算执行率偏低"], rows[0][1..]);
        Assert.Equal(["长沙市望城区教育局", "350.50", "—", "无自评", "重点民生项目"], rows[1][1..]);

        // The lead's 待审批 notice and mail, and the case's first history line, carry the same figures: the decision can be
        // taken from the mail without opening each self-evaluation.
        foreach (var (id, basis) in ids.Zip(["选定理由：预算执行率偏低。预算1,412.74万元；本年度自评：执行率69.34%，等级未提交。", "选定理由：重点民生项目。预算350.50万元；本年度无自评。"]))
        {
            var told = await app.DbAsync(async db =>
            {
                var caseId = await db.Evaluations.Where(e => e.Id == id).Select(e => e.CaseId).SingleAsync();
                var lead = await db.Users.Where(u => u.UserName == "financelead").Select(u => u.Id).SingleAsync();
                return new
                {
                    Notice = await db.Notifications.Where(n => n.Link == $"/cases/{caseId}" && n.RecipientUserId == lead).Select(n => n.Body).SingleAsync(),
                    Mail = await db.Outbox.Where(m => m.RecipientUserId == lead && m.Html.Contains($"/cases/{caseId}")).Select(m => m.Text).SingleAsync(),
                    History = await db.WorkflowHistory.Where(h => h.InstanceId == caseId).OrderBy(h => h.Seq).Select(h => h.Comment).FirstAsync(),
                };
            });
            Assert.Contains(basis, told.Notice, StringComparison.Ordinal);
            Assert.Contains(basis, told.Mail, StringComparison.Ordinal);
            Assert.Equal(basis, told.History);
        }

        // No report exists before the firm drafts one: the page offers no print, PDF or Word of it; a completed one does.
        Assert.DoesNotContain("data-testid=\"print-link\"", await lead.GetStringAsync($"/evaluations/{ids[0]}"), StringComparison.Ordinal);
        var completed = await app.DbAsync(db => db.Evaluations.Where(e => e.Status == "completed").Select(e => e.Id).FirstAsync());
        Assert.Contains("data-testid=\"print-link\"", await lead.GetStringAsync($"/evaluations/{completed}"), StringComparison.Ordinal);

        var reject = await EvaluationApi.ActAsync(await app.ApiAsync("financelead"), ids[1], "reject", "项目已纳入审计计划，本年度不予评价。");
        Assert.Equal(HttpStatusCode.OK, reject.StatusCode);
        var page = await lead.GetStringAsync("/evaluations");
        Assert.Contains("（理由：项目已纳入审计计划，本年度不予评价。）", page, StringComparison.Ordinal);
        Assert.Single(Rows(Table(page)));
    }

    [Fact]
    public async Task Given_the_demo_When_its_people_sign_in_Then_the_seeded_evaluation_leaves_no_unread_notice_or_mail_but_the_findings_notices_stay()
    {
        var link = await app.DbAsync(async db => $"/cases/{await db.Evaluations.Where(e => e.Status == "completed").Select(e => e.CaseId).FirstAsync()}");
        Assert.True(await app.DbAsync(db => db.Notifications.AnyAsync(n => n.Link == link)), "the seeding's notices are kept, read");
        Assert.False(await app.DbAsync(db => db.Notifications.AnyAsync(n => n.Link == link && n.ReadAt == null)));
        Assert.False(await app.DbAsync(db => db.Outbox.AnyAsync(m => m.Html.Contains(link))));
        Assert.True(await app.DbAsync(db => db.Notifications.AnyAsync(n => n.Event == "FindingNotice" && n.ReadAt == null)));
    }

    private static string Table(string page) => ApprovalTable().Match(page) is { Success: true } m ? m.Value : string.Empty;

    /// <summary>Each body row's cells as text.</summary>
    private static List<string[]> Rows(string table) =>
        BodyRow().Matches(table).Select(r => Cell().Matches(r.Value).Select(c => Regex.Replace(c.Groups[1].Value, "<[^>]+>", string.Empty).Trim()).ToArray()).ToList();

    [GeneratedRegex("<table class=\"grid\" data-testid=\"approval-targets\">.*?</table>", RegexOptions.Singleline)]
    private static partial Regex ApprovalTable();

    [GeneratedRegex("<tr><td>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex BodyRow();

    [GeneratedRegex("<td[^>]*>(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex Cell();
}
