using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Notifications;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.ApiSettings;

/// <summary>
/// 通知设置 through GET/PUT /api/notifications/settings: the caller's own settings only, the page's rules (an unknown
/// 邮件发送方式 is refused naming the field, nothing saved), and the page and the API read and write the same settings.
/// Each test uses its own users, so the tests of the class do not see each other's saves.
/// </summary>
public sealed class NotificationSettingsApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_user_When_the_settings_are_saved_through_the_api_Then_they_read_back_and_another_user_keeps_the_defaults()
    {
        using var unit = await app.ApiAsync("unit");
        using var head = await app.ApiAsync("unithead");

        var before = await ReadAsync(unit);
        Assert.Equal(("Immediate", true, "unit@demo.budgeteval.local"), before);

        var saved = await unit.PutAsJsonAsync("/api/notifications/settings", new { emailMode = "DailyDigest", nonEssentialEmail = false });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(("DailyDigest", false, "unit@demo.budgeteval.local"), Settings(await saved.Content.ReadAsStringAsync()));
        Assert.Equal(("DailyDigest", false, "unit@demo.budgeteval.local"), await ReadAsync(unit));
        var unitId = await UserIdAsync("unit");
        var row = await app.DbAsync(db => db.NotificationPreferences.AsNoTracking().SingleAsync(p => p.UserId == unitId));
        Assert.Equal((EmailMode.DailyDigest, false), (row.EmailMode, row.NonEssentialEmail));

        // Someone else's settings are untouched and theirs alone: saving them does not change the first user's.
        Assert.Equal(("Immediate", true, "unithead@demo.budgeteval.local"), await ReadAsync(head));
        var headSaved = await head.PutAsJsonAsync("/api/notifications/settings", new { emailMode = "Immediate", nonEssentialEmail = false });
        Assert.Equal(HttpStatusCode.OK, headSaved.StatusCode);
        Assert.Equal(("Immediate", false, "unithead@demo.budgeteval.local"), await ReadAsync(head));
        Assert.Equal(("DailyDigest", false, "unit@demo.budgeteval.local"), await ReadAsync(unit));

        // The page shows what the API saved.
        using var pages = await app.SignInAsync("unit");
        var html = await pages.GetStringAsync("/notifications/settings");
        Assert.Matches("value=\"DailyDigest\" checked=\"checked\"", html);
        Assert.DoesNotMatch("value=\"Immediate\" checked=\"checked\"", html);
    }

    [Theory]
    [InlineData("\"Weekly\"")]
    [InlineData("99")]
    [InlineData("\"99\"")]
    [InlineData("\"\"")]
    [InlineData("null")]
    [InlineData(null)] // left out
    public async Task Given_an_unknown_or_missing_email_mode_When_saved_through_the_api_Then_400_naming_emailMode_in_chinese_and_nothing_saved(string? emailMode)
    {
        using var finance = await app.ApiAsync("finance");
        Assert.Equal(HttpStatusCode.OK, (await finance.PutAsJsonAsync("/api/notifications/settings", new { emailMode = "DailyDigest", nonEssentialEmail = false })).StatusCode);
        var financeId = await UserIdAsync("finance");
        var stamp = await app.DbAsync(db => db.NotificationPreferences.Where(p => p.UserId == financeId).Select(p => p.UpdatedAt).SingleAsync());

        var body = emailMode is null ? """{"nonEssentialEmail":true}""" : $$"""{"emailMode":{{emailMode}},"nonEssentialEmail":true}""";
        var response = await finance.PutAsync("/api/notifications/settings", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        var message = errors.GetProperty("emailMode")[0].GetString()!;
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", message);
        Assert.False(errors.TryGetProperty("nonEssentialEmail", out _));
        Assert.Equal(("DailyDigest", false, "finance@demo.budgeteval.local"), await ReadAsync(finance));
        Assert.Equal(stamp, await app.DbAsync(db => db.NotificationPreferences.Where(p => p.UserId == financeId).Select(p => p.UpdatedAt).SingleAsync()));
    }

    [Fact]
    public async Task Given_no_nonEssentialEmail_When_saved_through_the_api_Then_400_naming_it_and_no_settings_row_is_made()
    {
        using var lead = await app.ApiAsync("financelead");
        var response = await lead.PutAsJsonAsync("/api/notifications/settings", new { emailMode = "DailyDigest" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Contains("接收一般通知邮件", errors.GetProperty("nonEssentialEmail")[0].GetString(), StringComparison.Ordinal);
        var leadId = await UserIdAsync("financelead");
        Assert.False(await app.DbAsync(db => db.NotificationPreferences.AnyAsync(p => p.UserId == leadId)));
        Assert.Equal(("Immediate", true, "financelead@demo.budgeteval.local"), await ReadAsync(lead));
    }

    [Theory]
    [InlineData("99")]
    [InlineData("Weekly")]
    [InlineData(null)] // no choice posted
    public async Task Given_an_undefined_email_mode_on_the_page_Then_it_is_refused_beside_the_field_and_nothing_saved(string? emailMode)
    {
        using var pages = await app.SignInAsync("evaluator");
        var page = await pages.GetStringAsync("/notifications/settings");
        var fields = new Dictionary<string, string>
        {
            ["NonEssentialEmail"] = "false",
            ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(page),
        };
        if (emailMode is not null)
        {
            fields["EmailMode"] = emailMode;
        }

        var response = await pages.PostAsync("/notifications/settings", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"emailMode-error\"", html, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(NotificationSettings.EmailModeInvalid), html, StringComparison.Ordinal);
        var evaluatorId = await UserIdAsync("evaluator");
        Assert.False(await app.DbAsync(db => db.NotificationPreferences.AnyAsync(p => p.UserId == evaluatorId)));
    }

    [Fact]
    public async Task Given_settings_saved_on_the_page_Then_the_api_reads_them()
    {
        using var pages = await app.SignInAsync("admin");
        var page = await pages.GetStringAsync("/notifications/settings");
        var save = await pages.PostAsync("/notifications/settings", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["EmailMode"] = "DailyDigest",
            ["NonEssentialEmail"] = "false",
            ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(page),
        }));
        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);

        using var api = await app.ApiAsync("admin");
        Assert.Equal(("DailyDigest", false, "admin@demo.budgeteval.local"), await ReadAsync(api));
    }

    private async Task<Guid> UserIdAsync(string userName) =>
        await app.DbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync());

    private static async Task<(string EmailMode, bool NonEssentialEmail, string? Email)> ReadAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/notifications/settings");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Settings(await response.Content.ReadAsStringAsync());
    }

    private static (string EmailMode, bool NonEssentialEmail, string? Email) Settings(string json)
    {
        var root = JsonDocument.Parse(json).RootElement;
        return (root.GetProperty("emailMode").GetString()!, root.GetProperty("nonEssentialEmail").GetBoolean(), root.GetProperty("email").GetString());
    }
}
