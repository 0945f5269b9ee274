using System.Net;
using System.Net.Http.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Users;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Admin;

/// <summary>What an administrator and a new user ran into in the fresh-eyes review of the admin pages.</summary>
public class AdminReviewTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_user_the_administrator_created_When_they_first_sign_in_Then_they_must_choose_their_own_password_first()
    {
        using var admin = await app.SignInAsync("admin");
        var id = await admin.CreateUserAsync("firstlogin", await app.SocialGovernanceCentreAsync(), Roles.UnitFiller);
        Assert.True(await app.DbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.MustChangePassword).SingleAsync()));
        Assert.Contains("data-testid=\"must-change-password\"", await admin.GetStringAsync($"/admin/users/{id}"), StringComparison.Ordinal);

        // The administrator typed the initial password: the API gives no token for it.
        using (var api = app.Anonymous())
        {
            var token = await api.PostAsJsonAsync("/api/auth/login", new { userName = "firstlogin", password = AdminForms.StrongPassword });
            Assert.Equal(HttpStatusCode.Forbidden, token.StatusCode);
            Assert.Contains("新建账户或重置密码", await token.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var user = await app.SignInAsync("firstlogin", AdminForms.StrongPassword);
        var home = await user.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("/account/password", home.Headers.Location!.OriginalString);
        Assert.Contains("您的密码由系统管理员设置（新建账户或重置密码）", await user.GetStringAsync("/account/password"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await user.ChooseOwnPasswordAsync()).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/inbox")).StatusCode);
        Assert.False(await app.DbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.MustChangePassword).SingleAsync()));
        Assert.DoesNotContain("data-testid=\"must-change-password\"", await admin.GetStringAsync($"/admin/users/{id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_audit_filters_that_match_nothing_or_cannot_apply_When_viewing_the_log_Then_the_page_says_so()
    {
        using var admin = await app.SignInAsync("admin");

        var none = await admin.GetStringAsync("/admin/audit?user=" + Uri.EscapeDataString("没有这个人"));
        Assert.Contains("没有符合条件的日志。", none, StringComparison.Ordinal);

        // 至 before 自: said, instead of an empty table that reads as "nothing happened".
        var reversed = await admin.GetStringAsync("/admin/audit?from=2026-03-01&to=2026-02-01");
        Assert.Contains("至：不能早于“自”的日期（2026年3月1日）。", reversed, StringComparison.Ordinal);
        Assert.Contains("请先更正上面的筛选条件。", reversed, StringComparison.Ordinal);

        var garbled = await admin.GetStringAsync("/admin/audit?from=abc");
        Assert.Contains("自：“abc”不是有效的日期。", garbled, StringComparison.Ordinal);

        // Unfiltered, the demo's log has lines and no empty message.
        Assert.DoesNotContain("data-testid=\"audit-empty\"", await admin.GetStringAsync("/admin/audit"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_user_and_organisation_filters_that_match_nothing_When_listing_Then_the_lists_say_they_are_empty()
    {
        using var admin = await app.SignInAsync("admin");

        var users = await admin.GetStringAsync("/admin/users?q=" + Uri.EscapeDataString("查无此人"));
        Assert.Contains("没有符合条件的用户。", users, StringComparison.Ordinal);
        var organisations = await admin.GetStringAsync("/admin/organisations?q=" + Uri.EscapeDataString("查无此机构"));
        Assert.Contains("没有符合条件的机构。", organisations, StringComparison.Ordinal);

        Assert.DoesNotContain("没有符合条件的用户。", await admin.GetStringAsync("/admin/users"), StringComparison.Ordinal);
        Assert.DoesNotContain("没有符合条件的机构。", await admin.GetStringAsync("/admin/organisations"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_organisation_When_the_administrator_adds_its_users_Then_the_new_user_form_starts_in_that_organisation()
    {
        using var admin = await app.SignInAsync("admin");
        var id = await admin.CreateOrganisationAsync("长沙市望城区新增用户入口测试单位");

        Assert.Contains($"href=\"/admin/users/new?org={id}\" data-testid=\"new-user-here\"", await admin.GetStringAsync($"/admin/organisations/{id}"), StringComparison.Ordinal);
        Assert.Contains($"href=\"/admin/users/new?org={id}\"", await admin.GetStringAsync($"/admin/users?org={id}"), StringComparison.Ordinal);
        Assert.Contains("href=\"/admin/users/new\"", await admin.GetStringAsync("/admin/users"), StringComparison.Ordinal);
        Assert.Matches($"<option value=\"{id}\" selected=\"selected\"", await admin.GetStringAsync($"/admin/users/new?org={id}"));
    }

    [Fact]
    public async Task Given_a_user_of_a_deactivated_unit_When_the_administrator_looks_Then_the_user_is_not_shown_as_normal()
    {
        using var admin = await app.SignInAsync("admin");
        var orgId = await admin.CreateOrganisationAsync("长沙市望城区停用状态显示测试单位");
        var userId = await admin.CreateUserAsync("inactiveshown", orgId, Roles.UnitFiller);
        Assert.DoesNotContain("单位已停用", await admin.GetStringAsync($"/admin/users?org={orgId}"), StringComparison.Ordinal);

        await app.DbAsync(async db =>
        {
            var org = await db.Organisations.SingleAsync(o => o.Id == orgId);
            org.IsActive = false;
            return await db.SaveChangesAsync();
        });

        // A deactivated unit takes no new users (the form would refuse it): its page no longer offers to add one.
        Assert.DoesNotContain("data-testid=\"new-user-here\"", await admin.GetStringAsync($"/admin/organisations/{orgId}"), StringComparison.Ordinal);
        var list = await admin.GetStringAsync($"/admin/users?org={orgId}");
        Assert.Contains("单位已停用</span>", list, StringComparison.Ordinal);
        Assert.DoesNotContain("<span>正常</span>", list, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"organisation-inactive\"", await admin.GetStringAsync($"/admin/users/{userId}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_November_and_no_entries_for_next_year_When_the_administrator_opens_the_calendar_Then_it_warns_and_links_to_that_year()
    {
        using var admin = await app.SignInAsync("admin");

        // In March (the fixture's date) next year's arrangement is not out yet: no warning.
        Assert.DoesNotContain("calendar-next-year-missing", await admin.GetStringAsync("/admin/calendar"), StringComparison.Ordinal);

        // 2026-11-24 in Beijing: the demo seeds 2022–2026 only, so 2027 is missing.
        var november = new DateTimeOffset(2026, 11, 24, 1, 0, 0, TimeSpan.Zero) - app.Clock.GetUtcNow();
        await app.Clock.LaterAsync(november, async () =>
        {
            using var later = await app.SignInAsync("admin"); // the morning's session has long ended by then
            var html = await later.GetStringAsync("/admin/calendar");
            Assert.Contains("尚未登记 2027 年的节假日与调休上班日", html, StringComparison.Ordinal);
            Assert.Contains("<a href=\"/admin/calendar?year=2027\">导入 2027 年日历</a>", html, StringComparison.Ordinal);
        });
    }
}
