using System.Net;
using System.Net.Http.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Users;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Admin;

public class UserAdminTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_budget_unit_When_granting_a_firm_role_Then_it_is_refused_in_Chinese_and_nothing_is_saved()
    {
        using var admin = await app.SignInAsync("admin");
        var unitId = await app.SocialGovernanceCentreAsync();

        var response = await admin.PostFormAsync("/admin/users/new",
            AdminForms.User("wrongrole", "错配角色", unitId, AdminForms.StrongPassword, Roles.UnitFiller, Roles.Evaluator));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Named by its field, so the message links to the role boxes like the form's other refusals.
        Assert.Contains("<a href=\"#role-0\">角色：“评价人员”只能授予第三方机构的用户。</a>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.UserName == "wrongrole")));
    }

    [Fact]
    public async Task Given_no_role_and_a_weak_password_When_creating_a_user_Then_the_errors_name_the_fields_and_nothing_is_saved()
    {
        using var admin = await app.SignInAsync("admin");
        var unitId = await app.SocialGovernanceCentreAsync();

        var noRole = await admin.PostFormAsync("/admin/users/new", AdminForms.User("norole", "无角色", unitId, AdminForms.StrongPassword));
        var weak = await admin.PostFormAsync("/admin/users/new", AdminForms.User("weakpw", "弱密码", unitId, "abc", Roles.UnitFiller));

        Assert.Contains("角色：至少选择一个角色。", await noRole.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var weakHtml = await weak.Content.ReadAsStringAsync();
        Assert.Contains("初始密码：密码至少需要 10 个字符。", weakHtml, StringComparison.Ordinal);
        Assert.Contains("初始密码：密码需包含大写字母、小写字母、数字、符号中的至少三类。", weakHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("Passwords must", weakHtml, StringComparison.Ordinal);
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.UserName == "norole" || u.UserName == "weakpw")));
    }

    [Fact]
    public async Task Given_an_existing_user_name_When_creating_a_user_Then_Identity_refuses_it_in_Chinese()
    {
        using var admin = await app.SignInAsync("admin");
        var unitId = await app.SocialGovernanceCentreAsync();

        var response = await admin.PostFormAsync("/admin/users/new", AdminForms.User("unit", "重名", unitId, AdminForms.StrongPassword, Roles.UnitFiller));

        Assert.Contains("用户名：用户名“unit”已被使用。", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await app.DbAsync(db => db.Users.CountAsync(u => u.UserName == "unit")));
    }

    [Fact]
    public async Task Given_a_user_When_locked_Then_they_cannot_log_in_and_when_unlocked_they_can_again()
    {
        using var admin = await app.SignInAsync("admin");
        var unitId = await app.SocialGovernanceCentreAsync();
        var id = await admin.CreateUserAsync("lockme", unitId, Roles.UnitFiller);
        var page = $"/admin/users/{id}";
        Assert.True(await app.CanLogInAsync("lockme", AdminForms.StrongPassword));
        var stampBefore = await app.DbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.SecurityStamp).SingleAsync());
        var html = await admin.GetStringAsync(page);
        Assert.Contains($"action=\"{page}?handler=Lock\"", html, StringComparison.Ordinal);
        Assert.Contains($"action=\"{page}?handler=ResetPassword\"", html, StringComparison.Ordinal);

        var locked = await admin.PostFormAsync(page, [], $"{page}?handler=Lock");

        Assert.Equal(HttpStatusCode.Redirect, locked.StatusCode);
        Assert.NotEqual(stampBefore, await app.DbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.SecurityStamp).SingleAsync()));
        using (var client = app.Anonymous())
        {
            // Right password or wrong, the answer is that of any wrong password: a guesser learns nothing of the account.
            var login = await AppFixture.PostLoginFormAsync(client, "lockme", AdminForms.StrongPassword);
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            var refused = await login.Content.ReadAsStringAsync();
            Assert.DoesNotContain("该账户已被系统管理员锁定", refused, StringComparison.Ordinal);
            Assert.Contains("用户名或密码错误", refused, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);

            var guess = await AppFixture.PostLoginFormAsync(client, "lockme", "Wrong@2026!x");
            var guessed = await guess.Content.ReadAsStringAsync();
            Assert.DoesNotContain("该账户已被系统管理员锁定", guessed, StringComparison.Ordinal);
            Assert.Contains("用户名或密码错误", guessed, StringComparison.Ordinal);
            var apiGuess = await client.PostAsJsonAsync("/api/auth/login", new { userName = "lockme", password = "Wrong@2026!x" });
            Assert.Equal(HttpStatusCode.Unauthorized, apiGuess.StatusCode);
            Assert.Contains("用户名或密码错误", await apiGuess.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Contains($"action=\"{page}?handler=Unlock\"", await admin.GetStringAsync(page), StringComparison.Ordinal);
        var lockedList = await admin.GetStringAsync("/admin/users?locked=true");
        Assert.Contains("<td>lockme</td>", lockedList, StringComparison.Ordinal);
        Assert.Contains("已锁定", lockedList, StringComparison.Ordinal);
        Assert.DoesNotContain("<td>unithead</td>", lockedList, StringComparison.Ordinal);

        var unlocked = await admin.PostFormAsync(page, [], $"{page}?handler=Unlock");

        Assert.Equal(HttpStatusCode.Redirect, unlocked.StatusCode);
        Assert.True(await app.CanLogInAsync("lockme", AdminForms.StrongPassword));
        Assert.DoesNotContain("<td>lockme</td>", await admin.GetStringAsync("/admin/users?locked=true"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_user_When_the_admin_resets_the_password_Then_the_old_one_fails_and_the_new_one_works()
    {
        using var admin = await app.SignInAsync("admin");
        var firmId = await app.OrganisationIdAsync(DemoSeeder.XinCaiYuan);
        var id = await admin.CreateUserAsync("resetme", firmId, Roles.Evaluator);
        var page = $"/admin/users/{id}";
        const string newPassword = "Neu-Passwort-2026";

        var weak = await admin.PostFormAsync(page, [new("newPassword", "short")], $"{page}?handler=ResetPassword");
        Assert.Contains("新密码：密码至少需要 10 个字符。", await weak.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(await app.CanLogInAsync("resetme", AdminForms.StrongPassword));

        var reset = await admin.PostFormAsync(page, [new("newPassword", newPassword)], $"{page}?handler=ResetPassword");

        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.False(await app.CanLogInAsync("resetme", AdminForms.StrongPassword));
        Assert.True(await app.CanLogInAsync("resetme", newPassword));
    }

    [Fact]
    public async Task Given_a_user_When_the_admin_asks_for_a_generated_password_Then_it_is_shown_once_uncached_and_signs_in_only_to_change_it()
    {
        using var admin = await app.SignInAsync("admin");
        var id = await admin.CreateUserAsync("forgotme", await app.SocialGovernanceCentreAsync(), Roles.UnitFiller);
        var page = $"/admin/users/{id}";

        var reset = await admin.PostFormAsync(page, [new("newPassword", string.Empty), new("generate", "true")], $"{page}?handler=ResetPassword");

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Contains("no-store", reset.Headers.CacheControl?.ToString() ?? string.Empty, StringComparison.Ordinal);
        var html = await reset.Content.ReadAsStringAsync();
        var shown = System.Text.RegularExpressions.Regex.Match(html, "data-testid=\"generated-password\">[^<]*<code>([^<]+)</code>").Groups[1].Value;
        var password = WebUtility.HtmlDecode(shown);
        Assert.True(password.Length >= 10, html);
        Assert.False(await app.CanLogInAsync("forgotme", AdminForms.StrongPassword));
        Assert.True(await app.CanLogInAsync("forgotme", password));
        Assert.True(await app.DbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.MustChangePassword).SingleAsync()));
        Assert.True(await app.DbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == BudgetEval.Web.Audit.AuditActions.PasswordReset && a.Target == "forgotme" && a.Detail == "随机生成")));
        Assert.DoesNotContain(password, await admin.GetStringAsync(page), StringComparison.Ordinal); // once: not on the page again
    }

    [Fact]
    public async Task Given_a_user_When_the_admin_changes_name_and_roles_Then_they_are_saved_and_sessions_are_ended()
    {
        using var admin = await app.SignInAsync("admin");
        var unitId = await app.SocialGovernanceCentreAsync();
        var id = await admin.CreateUserAsync("promoteme", unitId, Roles.UnitFiller);
        var page = $"/admin/users/{id}";
        var html = await admin.GetStringAsync(page);
        var stamp = AdminForms.HiddenValue(html, "Input.ConcurrencyStamp");
        var securityBefore = await app.DbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.SecurityStamp).SingleAsync());

        var response = await admin.PostFormAsync(page,
        [
            new("Input.DisplayName", "新名字"),
            new("Input.Email", "promoteme@example.cn"),
            new("Input.OrganisationId", unitId.ToString()),
            new("Input.Roles", Roles.UnitHead),
            new("Input.ConcurrencyStamp", stamp),
        ]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var stored = await app.DbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == id));
        Assert.Equal("新名字", stored.DisplayName);
        Assert.Equal("promoteme@example.cn", stored.Email);
        Assert.NotEqual(securityBefore, stored.SecurityStamp);
        var roles = await app.DbAsync(db => db.UserRoles.Where(r => r.UserId == id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name).ToListAsync());
        Assert.Equal([Roles.UnitHead], roles);
    }

    [Fact]
    public async Task Given_a_stale_concurrency_stamp_When_editing_a_user_Then_the_conflict_is_shown_and_the_other_edit_is_kept()
    {
        using var admin = await app.SignInAsync("admin");
        var unitId = await app.SocialGovernanceCentreAsync();
        var id = await admin.CreateUserAsync("staleuser", unitId, Roles.UnitFiller);
        var page = $"/admin/users/{id}";
        var stale = AdminForms.HiddenValue(await admin.GetStringAsync(page), "Input.ConcurrencyStamp");
        List<KeyValuePair<string, string>> Form(string name) =>
        [
            new("Input.DisplayName", name),
            new("Input.OrganisationId", unitId.ToString()),
            new("Input.Roles", Roles.UnitFiller),
            new("Input.ConcurrencyStamp", stale),
        ];

        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync(page, Form("先保存"))).StatusCode);
        var conflict = await admin.PostFormAsync(page, Form("后保存"));

        Assert.Equal(HttpStatusCode.OK, conflict.StatusCode);
        Assert.Contains("该用户已被他人修改，请刷新后重新编辑。", await conflict.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("先保存", await app.DbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.DisplayName).SingleAsync()));
    }

    [Fact]
    public async Task Given_the_admin_themselves_When_locking_or_dropping_the_admin_role_Then_it_is_refused()
    {
        using var admin = await app.SignInAsync("admin");
        var adminId = await app.DbAsync(db => db.Users.Where(u => u.UserName == "admin").Select(u => u.Id).SingleAsync());
        var bureauId = await app.OrganisationIdAsync(DemoSeeder.BureauName);
        var page = $"/admin/users/{adminId}";
        var stamp = AdminForms.HiddenValue(await admin.GetStringAsync(page), "Input.ConcurrencyStamp");

        var lockSelf = await admin.PostFormAsync(page, [], $"{page}?handler=Lock");
        var dropRole = await admin.PostFormAsync(page,
        [
            new("Input.DisplayName", "赵磊"),
            new("Input.OrganisationId", bureauId.ToString()),
            new("Input.Roles", Roles.FinanceOfficer),
            new("Input.ConcurrencyStamp", stamp),
        ]);

        Assert.Contains("不能锁定自己的账户。", await lockSelf.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("角色：不能取消自己的系统管理员角色。", await dropRole.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await app.DbAsync(db => db.Users.Where(u => u.Id == adminId).Select(u => u.LockoutEnd).SingleAsync()));
        Assert.True(await app.CanLogInAsync("admin", AppFixture.DemoPassword));
        var roles = await app.DbAsync(db => db.UserRoles.Where(r => r.UserId == adminId).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name).ToListAsync());
        Assert.Equal([Roles.Admin], roles);
    }

    [Fact]
    public async Task Given_users_When_filtering_by_organisation_and_text_Then_only_matching_users_are_listed()
    {
        using var admin = await app.SignInAsync("admin");
        var unitId = await app.SocialGovernanceCentreAsync();

        var byOrg = await admin.GetStringAsync($"/admin/users?org={unitId}");
        var byText = await admin.GetStringAsync("/admin/users?q=" + Uri.EscapeDataString("江惠平"));

        Assert.Contains("张晓燕", byOrg, StringComparison.Ordinal);
        Assert.Contains("刘志强", byOrg, StringComparison.Ordinal);
        Assert.DoesNotContain("江惠平", byOrg, StringComparison.Ordinal);
        Assert.Contains("江惠平", byText, StringComparison.Ordinal);
        Assert.Contains("评价人员（主评人）", byText, StringComparison.Ordinal);
        Assert.DoesNotContain("张晓燕", byText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("finance")]
    [InlineData("evaluator")]
    public async Task Given_a_non_admin_When_opening_the_admin_pages_Then_they_look_missing(string userName)
    {
        using var client = await app.SignInAsync(userName);

        foreach (var url in new[] { "/admin/users", "/admin/organisations", "/admin/users/new" })
        {
            var response = await client.GetAsync(url);

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode); // a refused read looks like a missing page
        }
    }

    [Fact]
    public async Task Given_a_non_admin_When_posting_to_an_admin_form_Then_nothing_is_saved()
    {
        using var client = await app.SignInAsync("finance");
        var home = await client.GetStringAsync("/");
        var unitId = await app.SocialGovernanceCentreAsync();
        var fields = AdminForms.User("sneaky", "越权", unitId, AdminForms.StrongPassword, Roles.UnitFiller);
        fields.Add(new("__RequestVerificationToken", AppFixture.AntiforgeryToken(home)));

        var response = await client.PostAsync("/admin/users/new", new FormUrlEncodedContent(fields));

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.UserName == "sneaky")));
    }
}
