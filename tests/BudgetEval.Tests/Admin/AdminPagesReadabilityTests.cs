using System.Net;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Workflows;
using BudgetEval.Web.Audit;
using BudgetEval.Web.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Admin;

/// <summary>The administration pages speak Chinese and name things by their names: jobs, cases, every form error at once.</summary>
public sealed class AdminPagesReadabilityTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_runs_of_the_mail_and_reminder_jobs_When_the_officer_opens_the_jobs_page_Then_recent_runs_show_chinese_names_with_the_key_as_tooltip()
    {
        var at = app.Clock.GetUtcNow().AddYears(1); // newest, so on the page whatever else ran
        await app.DbAsync(async db =>
        {
            db.JobRuns.Add(new JobRun { Job = "outbox-delivery", Node = "test-node", StartedAt = at, FinishedAt = at, Succeeded = true, Detail = "发送 0 封" });
            db.JobRuns.Add(new JobRun { Job = "reminder-sweep", Node = "test-node", StartedAt = at, FinishedAt = at, Succeeded = true, Detail = "提醒 0 条" });
            return await db.SaveChangesAsync();
        });

        var page = await (await app.SignInAsync("finance")).GetStringAsync("/admin/jobs");
        var recent = page[page.IndexOf("data-testid=\"recent-runs\"", StringComparison.Ordinal)..];

        Assert.Contains("<td title=\"outbox-delivery\" data-job=\"outbox-delivery\">邮件发送</td>", recent, StringComparison.Ordinal);
        Assert.Contains("<td title=\"reminder-sweep\" data-job=\"reminder-sweep\">催办提醒扫描</td>", recent, StringComparison.Ordinal);
        Assert.DoesNotContain("<td>outbox-delivery</td>", recent, StringComparison.Ordinal);
        Assert.DoesNotContain("<td>reminder-sweep</td>", recent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_case_transition_When_the_admin_reads_and_exports_the_audit_log_Then_the_entry_names_the_case_by_title_and_keeps_its_id()
    {
        var api = new CaseApi(app);
        var (_, caseId) = await api.CreateAsync();
        await api.FireOkAsync("unit", caseId, "submit");
        var title = await app.DbAsync(db => db.WorkflowInstances.IgnoreQueryFilters().Where(i => i.Id == caseId).Select(i => i.Title).SingleAsync());
        var admin = await app.SignInAsync("admin");

        var page = await admin.GetStringAsync($"/admin/audit?action={AuditActions.CaseTransition}");
        Assert.Contains($"<a href=\"/cases/{caseId}\" title=\"事项编号 {caseId}\" data-case=\"{caseId}\">{title}</a>", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"<td>{caseId}</td>", page, StringComparison.Ordinal);

        var csv = System.Text.Encoding.UTF8.GetString((await admin.GetByteArrayAsync($"/admin/audit?handler=Export&action={AuditActions.CaseTransition}"))[3..]);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("时间,用户,操作,对象,说明,IP,对象编号", lines[0]);
        var line = Assert.Single(lines, l => l.Contains(caseId.ToString(), StringComparison.Ordinal));
        Assert.Contains($",\"事项流转\",\"{title}\",", line, StringComparison.Ordinal);
        Assert.EndsWith($",\"{caseId}\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_new_user_form_with_a_weak_password_no_unit_and_no_role_When_posted_Then_all_three_errors_come_at_once_and_typed_values_stay_but_the_password()
    {
        var admin = await app.SignInAsync("admin");
        var response = await admin.PostFormAsync("/admin/users/new",
        [
            new("Input.UserName", "roundtest"),
            new("Input.DisplayName", "一次报错测试"),
            new("Input.Email", "roundtest@example.cn"),
            new("Input.OrganisationId", ""),
            new("Input.Password", "abc"),
        ]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("所属单位：必选。", html, StringComparison.Ordinal);
        Assert.Contains("角色：至少选择一个角色。", html, StringComparison.Ordinal);
        Assert.Contains("初始密码：", html, StringComparison.Ordinal);
        Assert.Contains("value=\"roundtest\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"一次报错测试\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"abc\"", html, StringComparison.Ordinal);
        Assert.False(await app.DbAsync(db => db.Users.IgnoreQueryFilters().AnyAsync(u => u.UserName == "roundtest")));

        // A taken user name is reported in the same round as the rest, too.
        var again = WebUtility.HtmlDecode(await (await admin.PostFormAsync("/admin/users/new",
            [new("Input.UserName", "unit"), new("Input.DisplayName", "重名测试"), new("Input.OrganisationId", ""), new("Input.Password", "abc")])).Content.ReadAsStringAsync());
        Assert.Contains("用户名：", again, StringComparison.Ordinal);
        Assert.Contains("初始密码：", again, StringComparison.Ordinal);
        Assert.Contains("所属单位：必选。", again, StringComparison.Ordinal);
    }
}
