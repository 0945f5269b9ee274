using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Audit;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.Auth;

public sealed class LoginTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_the_demo_finance_officer_When_signing_in_on_the_login_page_Then_the_home_page_greets_her()
    {
        using var client = await app.SignInAsync("finance");
        var html = await client.GetStringAsync("/");
        Assert.Contains("李敏，您好", html, StringComparison.Ordinal);
        Assert.Contains("绩效管理员", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_wrong_password_When_signing_in_Then_the_page_says_so_in_Chinese_and_no_cookie_is_issued()
    {
        using var client = app.Anonymous();
        var response = await AppFixture.PostLoginFormAsync(client, "unithead", "Wrong@2026!x");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("用户名或密码错误", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Given_five_wrong_passwords_When_the_right_one_follows_Then_the_account_is_locked_for_15_minutes()
    {
        await CreateUserAsync("lockme");
        using var client = app.Anonymous();
        for (var i = 0; i < 5; i++)
        {
            await AppFixture.PostLoginFormAsync(client, "lockme", "Wrong@2026!x");
        }

        // Refused with the one answer of every failed sign-in (it names the lockout as a possible cause).
        var response = await AppFixture.PostLoginFormAsync(client, "lockme", AppFixture.DemoPassword);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("用户名或密码错误。连续输错 5 次账户将锁定 15 分钟", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);

        var lockoutEnd = await app.DbAsync(db => db.Users.Where(u => u.UserName == "lockme").Select(u => u.LockoutEnd).SingleAsync());
        Assert.NotNull(lockoutEnd);
        Assert.InRange(lockoutEnd.Value - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15.5));

        // The API refuses the locked account too, as it refuses a wrong password.
        var api = await client.PostAsJsonAsync("/api/auth/login", new { userName = "lockme", password = AppFixture.DemoPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task Given_four_wrong_passwords_When_the_right_one_follows_Then_sign_in_still_works()
    {
        await CreateUserAsync("fourwrong");
        using var client = app.Anonymous();
        for (var i = 0; i < 4; i++)
        {
            await AppFixture.PostLoginFormAsync(client, "fourwrong", "Wrong@2026!x");
        }

        var response = await AppFixture.PostLoginFormAsync(client, "fourwrong", AppFixture.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task Given_valid_credentials_When_posting_to_the_api_login_Then_a_bearer_token_works_on_the_api()
    {
        using var client = app.Anonymous();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = "unit", password = AppFixture.DemoPassword });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var token = json.RootElement.GetProperty("accessToken").GetString();
        Assert.False(string.IsNullOrEmpty(token));
        Assert.Equal("Bearer", json.RootElement.GetProperty("tokenType").GetString());

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var me = JsonDocument.Parse(await client.GetStringAsync("/api/me"));
        Assert.Equal("张晓燕", me.RootElement.GetProperty("displayName").GetString());
        Assert.Equal("长沙市望城区社会治理服务中心", me.RootElement.GetProperty("organisationName").GetString());
        Assert.Equal("UnitFiller", me.RootElement.GetProperty("roles")[0].GetString());
    }

    [Fact]
    public async Task Given_a_wrong_password_When_posting_to_the_api_login_Then_401_with_a_Chinese_problem()
    {
        using var client = app.Anonymous();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = "financelead", password = "nope" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("用户名或密码错误", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_empty_login_body_When_posting_to_the_api_Then_400_names_the_missing_fields()
    {
        using var client = app.Anonymous();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = "", password = "" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("请填写用户名", body, StringComparison.Ordinal);
        Assert.Contains("请填写密码", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_no_token_When_calling_the_api_Then_401_and_no_redirect()
    {
        using var client = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Given_only_a_browser_cookie_When_calling_the_api_Then_401_because_the_api_takes_bearer_tokens_only()
    {
        using var client = await app.SignInAsync("finance");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/organisations")).StatusCode);
    }

    [Fact]
    public async Task Given_a_signed_in_user_When_idle_for_more_than_30_minutes_Then_the_session_has_ended()
    {
        using var client = await app.SignInAsync("unit");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);

        await app.Clock.LaterAsync(TimeSpan.FromMinutes(31), async () =>
        {
            var response = await client.GetAsync("/");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Given_a_signed_in_user_When_signing_out_Then_the_cookie_no_longer_opens_pages()
    {
        using var client = await app.SignInAsync("unithead");
        var home = await client.GetStringAsync("/");
        var response = await client.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(home) }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Given_a_cookie_copied_before_signing_out_When_replayed_later_Then_it_no_longer_opens_pages()
    {
        await CreateUserAsync("signsout");
        using var browser = app.Anonymous();
        var login = await AppFixture.PostLoginFormAsync(browser, "signsout", AppFixture.DemoPassword);
        var copied = login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("be.auth=", StringComparison.Ordinal));
        using var thief = app.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        thief.DefaultRequestHeaders.Add("Cookie", copied);
        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/inbox")).StatusCode);

        var home = await browser.GetStringAsync("/");
        await browser.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(home) }));

        // The sign-out is in the audit log, once, as the user who left.
        var logouts = await app.DbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.Action == AuditActions.Logout && a.Target == "signsout").ToListAsync());
        Assert.NotNull(Assert.Single(logouts).ActorId);

        // Past the stamp check's minute (the cookie is checked against the database at most once a minute).
        await app.Clock.LaterAsync(TimeSpan.FromMinutes(2), async () =>
        {
            var replay = await thief.GetAsync("/inbox");
            Assert.Equal(HttpStatusCode.Redirect, replay.StatusCode);
            Assert.StartsWith("/login", replay.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Given_an_account_locked_by_the_administrator_When_signing_in_with_the_right_password_Then_the_answer_is_that_of_a_wrong_one()
    {
        await CreateUserAsync("adminlocked");
        using (var scope = app.Factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByNameAsync("adminlocked"))!, DateTimeOffset.MaxValue);
        }

        using var client = app.Anonymous();
        var response = await AppFixture.PostLoginFormAsync(client, "adminlocked", AppFixture.DemoPassword);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("用户名或密码错误", html, StringComparison.Ordinal);
        Assert.DoesNotContain("已被系统管理员锁定", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Given_a_deactivated_unit_When_its_user_signs_in_Then_it_is_refused_as_a_wrong_password_is()
    {
        var org = await CreateUserAsync("inactiveunit", inOwnUnit: true);
        await app.DbAsync(async db =>
        {
            var o = await db.Organisations.SingleAsync(x => x.Id == org);
            o.IsActive = false;
            return await db.SaveChangesAsync();
        });

        using var client = app.Anonymous();
        var right = await AppFixture.PostLoginFormAsync(client, "inactiveunit", AppFixture.DemoPassword);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        var rightHtml = await right.Content.ReadAsStringAsync();
        Assert.Contains("用户名或密码错误", rightHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("所属单位已停用", rightHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);

        var wrong = await AppFixture.PostLoginFormAsync(client, "inactiveunit", "Wrong@2026!x");
        Assert.Equal(ErrorOf(rightHtml), ErrorOf(await wrong.Content.ReadAsStringAsync()));

        var api = await client.PostAsJsonAsync("/api/auth/login", new { userName = "inactiveunit", password = AppFixture.DemoPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    private static string ErrorOf(string html) =>
        System.Text.RegularExpressions.Regex.Match(html, "<div class=\"errors\" role=\"alert\">([^<]*)</div>").Groups[1].Value;

    private async Task<Guid> CreateUserAsync(string userName, bool inOwnUnit = false)
    {
        Guid? org = null;
        if (inOwnUnit)
        {
            org = await app.DbAsync(async db =>
            {
                var own = new Organisation { Id = Guid.NewGuid(), Name = "测试单位" + userName, Kind = OrganisationKind.BudgetUnit };
                db.Organisations.Add(own);
                await db.SaveChangesAsync();
                return own.Id;
            });
        }

        await app.CreateUnitUserAsync(userName, org);
        return org ?? Guid.Empty;
    }
}
