using System.Net;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Calendar;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.Reminders;

/// <summary>/admin/calendar: the year as CSV out and in; a bad file saves nothing.</summary>
public sealed class CalendarAdminTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_the_seeded_2026_calendar_When_exported_Then_it_lists_holidays_and_tiaoxiu_days_as_utf8_csv()
    {
        var admin = await app.SignInAsync("admin");
        var response = await admin.GetAsync("/admin/calendar?handler=Export&year=2026");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2026年工作日历.csv", response.Content.Headers.ContentDisposition!.FileNameStar);
        var csv = await response.Content.ReadAsStringAsync();
        Assert.StartsWith(CalendarCsv.Header, csv.TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.Contains("2026-10-01,放假,国庆节", csv, StringComparison.Ordinal);
        Assert.Contains("2026-10-10,调休上班,国庆节调休上班", csv, StringComparison.Ordinal);

        // A year outside the calendar's range (a hand-typed ?year=0) shows this year instead of an error page.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/calendar?year=0")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/calendar?handler=Export&year=10000")).StatusCode);

        var calendar = app.Factory.Services.GetRequiredService<IWorkingCalendar>();
        Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 10, 1)));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2026, 10, 10)));
        Assert.Equal(new DateOnly(2026, 10, 8), calendar.AddWorkingDays(new DateOnly(2026, 9, 29), 2));
    }

    [Fact]
    public async Task Given_a_csv_with_bad_lines_When_imported_Then_every_bad_line_is_named_in_chinese_and_nothing_is_saved()
    {
        var admin = await app.SignInAsync("admin");
        var before = await app.DbAsync(db => db.CalendarDays.CountAsync(d => d.Date.Year == 2027));
        var csv = "date,kind,name\n2027-01-01,holiday,元旦\n2027-13-01,holiday,坏日期\n2027-01-04,workday,周一调休\n2026-05-01,holiday,去年\n2027-01-01,holiday,重复\n2027-02-06,休假,春节";
        var response = await PostImportAsync(admin, 2027, csv);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("第 3 行：日期「2027-13-01」无效", html, StringComparison.Ordinal);
        Assert.Contains("第 4 行：2027-01-04 是工作日，无须登记为调休上班", html, StringComparison.Ordinal);
        Assert.Contains("第 5 行：日期 2026-05-01 不属于 2027 年", html, StringComparison.Ordinal);
        Assert.Contains("第 6 行：日期 2027-01-01 与第 2 行重复", html, StringComparison.Ordinal);
        Assert.Contains("第 7 行：类型「休假」无效", html, StringComparison.Ordinal);
        Assert.Equal(before, await app.DbAsync(db => db.CalendarDays.CountAsync(d => d.Date.Year == 2027)));
    }

    [Fact]
    public async Task Given_a_valid_csv_When_imported_Then_the_year_is_replaced_and_working_days_follow_it_at_once()
    {
        var admin = await app.SignInAsync("admin");
        var calendar = app.Factory.Services.GetRequiredService<IWorkingCalendar>();
        Assert.True(calendar.IsWorkingDay(new DateOnly(2028, 1, 3))); // a Monday, nothing registered yet

        var response = await PostImportAsync(admin, 2028, "\uFEFFdate,kind,name\r\n2028-01-01,holiday,元旦\r\n2028-01-03,放假,元旦\r\n2028-01-08,调休,\"元旦调休, 上班\"\r\n");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        Assert.False(calendar.IsWorkingDay(new DateOnly(2028, 1, 3)));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2028, 1, 8))); // a Saturday
        var export = await admin.GetStringAsync("/admin/calendar?handler=Export&year=2028");
        Assert.Contains("2028-01-08,调休上班,\"元旦调休, 上班\"", export, StringComparison.Ordinal);

        // The exported file (Chinese header and kinds) imports back unchanged.
        Assert.StartsWith("日期,类型,名称", export.TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await PostImportAsync(admin, 2028, export)).StatusCode);
        Assert.Equal(export, await admin.GetStringAsync("/admin/calendar?handler=Export&year=2028"));

        // Importing again replaces the year rather than adding to it.
        Assert.Equal(HttpStatusCode.Redirect, (await PostImportAsync(admin, 2028, "2028-01-03,holiday,元旦")).StatusCode);
        Assert.Equal(1, await app.DbAsync(db => db.CalendarDays.CountAsync(d => d.Date.Year == 2028)));

        var officer = await app.SignInAsync("finance");
        Assert.NotEqual(HttpStatusCode.OK, (await officer.GetAsync("/admin/calendar")).StatusCode);
    }

    private static async Task<HttpResponseMessage> PostImportAsync(HttpClient client, int year, string csv)
    {
        var page = await client.GetStringAsync($"/admin/calendar?year={year}");
        return await client.PostAsync($"/admin/calendar?handler=Import&year={year}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["csv"] = csv,
            ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(page),
        }));
    }
}
