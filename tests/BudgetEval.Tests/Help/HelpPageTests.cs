using System.Net;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Help;
using BudgetEval.Web.Workflows.Definitions;

namespace BudgetEval.Tests.Help;

/// <summary>
/// 使用说明 (/help): each user reads their own work first, every link it offers opens for them, and the flows'
/// deadlines and reminders are told as the loaded definitions run them.
/// </summary>
public sealed partial class HelpPageTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("unit", "UnitFiller")]
    [InlineData("unithead", "UnitHead")]
    [InlineData("finance", "FinanceOfficer")]
    [InlineData("financelead", "FinanceLead")]
    [InlineData("evaluator", "Evaluator")]
    [InlineData("admin", "Admin")]
    public async Task Given_a_demo_user_When_they_open_the_help_Then_their_role_comes_first_and_every_link_on_it_opens_for_them(string login, string role)
    {
        var client = await app.SignInAsync(login);
        var home = await client.GetStringAsync("/");
        Assert.Contains("<a href=\"/help\"", home, StringComparison.Ordinal); // reachable from every page's top bar

        var page = await client.GetStringAsync("/help");
        var myWork = Regex.Match(page, "<section id=\"my-work\".*?</section>", RegexOptions.Singleline).Value;
        var own = myWork.Split("<details>")[0];
        Assert.Matches($"<h3 data-role=\"{role}\">", own);
        Assert.Single(OwnRoles().Matches(own)); // each demo login holds one role: the others are folded away
        Assert.Contains("<summary>其他角色做什么</summary>", myWork, StringComparison.Ordinal);

        // The other roles' steps too: they are read for what others do, and link only where the reader may go.
        var links = Links().Matches(myWork).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(links);
        if (role != "Admin")
        {
            Assert.Contains("新建机构（财政局、预算单位、评价机构）和用户", myWork, StringComparison.Ordinal);
            Assert.DoesNotContain("href=\"/admin/users\"", myWork, StringComparison.Ordinal);
        }

        foreach (var link in links)
        {
            var response = await client.GetAsync(link);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{login}: 使用说明 links to {link}, which answers {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Given_the_loaded_definitions_When_the_help_is_read_Then_each_flow_lists_its_working_steps_with_who_acts_and_the_reminders()
    {
        var page = await (await app.SignInAsync("unit")).GetStringAsync("/help");

        // The three flows, in the order of the year.
        var flows = FlowTables().Matches(page).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["self-evaluation-review", "external-evaluation", "rectification"], flows);

        var review = Table(page, "self-evaluation-review");
        Assert.Equal(["草稿", "单位审核", "财政审核", "退回修改"], RowHeads().Matches(review).Select(m => m.Groups[1].Value));
        Assert.Contains("<td>单位填报人（被评价单位）</td>", review, StringComparison.Ordinal);
        Assert.Contains("<td>评价工作计划规定的截止日期</td>", review, StringComparison.Ordinal);
        Assert.Contains("到期前 7、3、1 个工作日和到期当天提醒；逾期后每个工作日提醒；逾期 3 个工作日督办单位负责人；逾期 5 个工作日督办绩效管理员。", review, StringComparison.Ordinal);
        Assert.Contains("退回（单位负责人，须填写意见）→ 草稿", review, StringComparison.Ordinal);

        var rectification = Table(page, "rectification");
        Assert.Contains("<td>问题的整改期限（同意延期或部分整改后按新期限）</td>", rectification, StringComparison.Ordinal);
        Assert.Contains("<td>进入本环节后 10 个工作日</td>", rectification, StringComparison.Ordinal);
        Assert.DoesNotContain(">已整改</th>", rectification, StringComparison.Ordinal); // an end state is no step anyone works on
        Assert.Contains("结束于：已整改、无法整改。", page, StringComparison.Ordinal);
        Assert.Contains("<td>委托时约定的报告提交期限</td>", Table(page, "external-evaluation"), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_policy_without_advance_days_or_overdue_reminders_When_told_Then_the_due_day_and_the_escalations_are_still_said()
    {
        var policy = new ReminderPolicy([], null, [new Escalation(10, "FinanceOfficer"), new Escalation(2, "UnitHead")]);

        Assert.Equal("到期当天提醒；逾期 2 个工作日督办单位负责人；逾期 10 个工作日督办绩效管理员。", WorkflowGuide.Reminders(policy));
        Assert.Equal("—", WorkflowGuide.Reminders(null));
    }

    [Fact]
    public async Task Given_no_sign_in_When_the_help_is_asked_for_Then_the_login_page_answers()
    {
        var response = await app.Anonymous().GetAsync("/help");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/login?ReturnUrl=%2Fhelp", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    private static string Table(string page, string flow) =>
        Regex.Match(page, $"<table class=\"list\" data-flow=\"{flow}\">.*?</table>", RegexOptions.Singleline).Value;

    [GeneratedRegex("<h3 data-role=")]
    private static partial Regex OwnRoles();

    [GeneratedRegex("<a href=\"(/[^\"]*)\">前往")]
    private static partial Regex Links();

    [GeneratedRegex("<table class=\"list\" data-flow=\"([^\"]+)\">")]
    private static partial Regex FlowTables();

    [GeneratedRegex("<th scope=\"row\">([^<]+)</th>")]
    private static partial Regex RowHeads();
}
