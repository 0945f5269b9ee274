using System.Net;
using System.Net.Http.Json;
using BudgetEval.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Auth;

public sealed class PasswordChangeTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string NewPassword = "Xin@Mima2026";

    [Fact]
    public async Task Given_two_sessions_When_the_user_changes_the_password_in_one_Then_the_other_ends_and_this_one_goes_on()
    {
        await app.CreateUnitUserAsync("changer");
        using var laptop = await app.SignInAsync("changer");
        using var phone = await app.SignInAsync("changer");

        var response = await ChangeAsync(laptop, AppFixture.DemoPassword, NewPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/")).StatusCode);

        await app.Clock.LaterAsync(TimeSpan.FromMinutes(2), async () => // past the security stamp validation interval
        {
            var other = await phone.GetAsync("/");
            Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
            Assert.StartsWith("/login", other.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        });

        using var fresh = app.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await AppFixture.PostLoginFormAsync(fresh, "changer", AppFixture.DemoPassword)).StatusCode); // old one refused
        Assert.Equal(HttpStatusCode.Redirect, (await AppFixture.PostLoginFormAsync(fresh, "changer", NewPassword)).StatusCode);
    }

    [Fact]
    public async Task Given_the_login_answers_refresh_token_When_used_Then_it_buys_a_working_token_until_the_password_changes()
    {
        await app.CreateUnitUserAsync("refresher");
        using var client = app.Anonymous();
        var login = await (await client.PostAsJsonAsync("/api/auth/login", new { userName = "refresher", password = AppFixture.DemoPassword })).Content.ReadFromJsonAsync<Tokens>();

        var refreshed = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = login!.RefreshToken });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var tokens = await refreshed.Content.ReadFromJsonAsync<Tokens>();
        using var call = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        call.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens!.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(call)).StatusCode);

        using var web = await app.SignInAsync("refresher");
        await ChangeAsync(web, AppFixture.DemoPassword, NewPassword);
        var after = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens.RefreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("请重新登录", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = "nonsense" })).StatusCode);
    }

    private sealed record Tokens(string AccessToken, string RefreshToken);

    [Fact]
    public async Task Given_a_wrong_current_password_or_a_mismatch_When_changing_Then_each_field_is_named_and_nothing_changes()
    {
        await app.CreateUnitUserAsync("typo");
        using var client = await app.SignInAsync("typo");
        var wrong = await (await ChangeAsync(client, "Wrong@2026!x", NewPassword)).Content.ReadAsStringAsync();
        Assert.Contains("「当前密码」：不正确。", wrong, StringComparison.Ordinal);
        var mismatch = await (await ChangeAsync(client, AppFixture.DemoPassword, NewPassword, confirm: NewPassword + "x")).Content.ReadAsStringAsync();
        Assert.Contains("两次输入的新密码不一致", mismatch, StringComparison.Ordinal);
        var weak = await (await ChangeAsync(client, AppFixture.DemoPassword, "abc")).Content.ReadAsStringAsync();
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(weak, "密码至少需要 10 个字符")); // said once, not by two validators

        using var fresh = app.Anonymous();
        Assert.Equal(HttpStatusCode.Redirect, (await AppFixture.PostLoginFormAsync(fresh, "typo", AppFixture.DemoPassword)).StatusCode);
    }

    [Fact]
    public async Task Given_an_administrator_reset_When_the_user_signs_in_Then_every_page_leads_to_the_password_change_until_done()
    {
        var id = await app.CreateUnitUserAsync("resetme");
        using var admin = await app.SignInAsync("admin");
        var page = await admin.GetStringAsync($"/admin/users/{id}");
        var reset = await admin.PostAsync($"/admin/users/{id}?handler=ResetPassword", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["newPassword"] = "Admin@Reset2026",
            ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(page),
        }));
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);

        // The API gives no token for the administrator's password.
        using (var api = app.Anonymous())
        {
            var token = await api.PostAsJsonAsync("/api/auth/login", new { userName = "resetme", password = "Admin@Reset2026" });
            Assert.Equal(HttpStatusCode.Forbidden, token.StatusCode);
            Assert.Contains("请先登录网页修改密码", await token.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var user = await app.SignInAsync("resetme", "Admin@Reset2026");
        foreach (var path in new[] { "/", "/inbox", "/organisations/" + Guid.Empty })
        {
            var response = await user.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/account/password", response.Headers.Location!.OriginalString);
        }

        Assert.Contains("请先设置自己的新密码", await user.GetStringAsync("/account/password"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await ChangeAsync(user, "Admin@Reset2026", NewPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/inbox")).StatusCode);
        Assert.False(await app.DbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.MustChangePassword).SingleAsync()));
    }

    [Fact]
    public async Task Given_an_api_token_When_the_user_changes_the_password_on_the_web_Then_the_old_token_stops_working_and_a_new_one_works()
    {
        await app.CreateUnitUserAsync("tokenholder");
        using var script = await app.ApiAsync("tokenholder");
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/me")).StatusCode);
        using var browser = await app.SignInAsync("tokenholder");
        Assert.Equal(HttpStatusCode.Redirect, (await ChangeAsync(browser, AppFixture.DemoPassword, NewPassword)).StatusCode);

        await app.Clock.LaterAsync(TimeSpan.FromMinutes(2), async () => // past the security stamp validation interval
        {
            var stale = await script.GetAsync("/api/me");
            Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
            Assert.Contains("请重新登录", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var renewed = await app.ApiAsync("tokenholder", NewPassword);
            Assert.Equal(HttpStatusCode.OK, (await renewed.GetAsync("/api/me")).StatusCode);
        });
    }

    private static async Task<HttpResponseMessage> ChangeAsync(HttpClient client, string current, string next, string? confirm = null)
    {
        var page = await client.GetStringAsync("/account/password");
        return await client.PostAsync("/account/password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["CurrentPassword"] = current,
            ["NewPassword"] = next,
            ["ConfirmPassword"] = confirm ?? next,
            ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(page),
        }));
    }
}
