using System.Net;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Workflows;
using BudgetEval.Web.Notifications;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Notifications;

/// <summary>The bell, /notifications and 通知设置, as a signed-in browser would use them (no JavaScript).</summary>
public sealed partial class InAppNotificationTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_notifications_When_the_user_reads_them_Then_the_bell_counts_down_and_links_lead_to_the_case()
    {
        app.Clock.Set(AppFactory.DefaultNow);
        var head = await app.SignInAsync("unithead");
        await ReadAllAsync(head); // start from zero: the demo plan's publication has notified the unit already

        var api = new CaseApi(app);
        var (_, first) = await api.CreateAsync();
        var (_, second) = await api.CreateAsync();
        await api.FireOkAsync("unit", first, "submit");
        await api.FireOkAsync("unit", second, "submit"); // each tells the unit head: 2 notices

        var home = await head.GetStringAsync("/");
        Assert.Equal("2", Bell(home));

        var page = await head.GetStringAsync("/notifications");
        Assert.Contains("待办：2025年度部门整体支出绩效自评（单位审核）", page, StringComparison.Ordinal);
        Assert.DoesNotContain("【预算绩效】", page, StringComparison.Ordinal); // the mail prefix would only repeat on every line of the list
        var id = await app.DbAsync(db => db.Notifications.Where(n => n.Link == $"/cases/{first}" && n.ReadAt == null
            && db.Users.Any(u => u.Id == n.RecipientUserId && u.UserName == "unithead")).Select(n => n.Id).SingleAsync());
        var open = await head.PostAsync($"/notifications?handler=Open&id={id}", Form(page));
        Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
        Assert.Equal($"/cases/{first}", open.Headers.Location?.ToString());
        Assert.Equal("1", Bell(await head.GetStringAsync("/")));

        page = await head.GetStringAsync("/notifications");
        Assert.Equal(HttpStatusCode.Redirect, (await head.PostAsync("/notifications?handler=ReadAll", Form(page))).StatusCode);
        Assert.Null(Bell(await head.GetStringAsync("/")));
    }

    [Fact]
    public async Task Given_the_bureau_returns_a_case_When_the_unit_is_told_Then_the_filler_is_asked_to_resubmit_and_the_head_only_hears_the_outcome()
    {
        app.Clock.Set(AppFactory.DefaultNow);
        var api = new CaseApi(app);
        var (_, caseId) = await api.CreateAsync();
        await api.FireOkAsync("unit", caseId, "submit");
        await api.FireOkAsync("unithead", caseId, "approve");
        await api.FireOkAsync("finance", caseId, "return", "请补充资金明细。");

        var told = await app.DbAsync(db => db.Notifications.Where(n => n.Link == $"/cases/{caseId}")
            .Join(db.Users, n => n.RecipientUserId, u => u.Id, (n, u) => new { u.UserName, n.Event, n.Title, n.Body }).ToListAsync());
        var filler = Assert.Single(told, n => n.UserName == "unit" && n.Event == nameof(NotificationEvent.Returned));
        Assert.Contains("请根据意见修改后重新提交", filler.Body, StringComparison.Ordinal);
        var head = told.Where(n => n.UserName == "unithead").ToList();
        Assert.DoesNotContain(head, n => n.Event == nameof(NotificationEvent.Returned));
        var outcome = Assert.Single(head, n => n.Event == nameof(NotificationEvent.Decision));
        Assert.Equal("办理结果：2025年度部门整体支出绩效自评（退回修改）", outcome.Title);
        Assert.Contains("请补充资金明细。", outcome.Body, StringComparison.Ordinal);
        Assert.Single(head, n => n.Event == nameof(NotificationEvent.TaskAssigned)); // the submission still asked the head to review
    }

    [Fact]
    public async Task Given_a_firm_whose_report_was_accepted_When_it_opens_an_old_notice_Then_it_is_told_why_instead_of_a_404()
    {
        var evaluator = await app.SignInAsync("evaluator");
        var notice = await app.DbAsync(db => db.Notifications
            .Where(n => n.Link != null && db.Users.Any(u => u.Id == n.RecipientUserId && u.UserName == "evaluator"))
            .Select(n => new { n.Id, n.Link }).FirstAsync());
        var (id, link) = (notice.Id, notice.Link!);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await evaluator.GetAsync(link)).StatusCode); // the demo's 2021 report is accepted

        var page = await evaluator.GetStringAsync("/notifications");
        var open = await evaluator.PostAsync($"/notifications?handler=Open&id={id}", Form(page));

        Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
        Assert.Equal("/notifications", open.Headers.Location?.ToString());
        Assert.Contains(BudgetEval.Web.Notifications.IndexModel.FirmGoneNote, WebUtility.HtmlDecode(await evaluator.GetStringAsync("/notifications")), StringComparison.Ordinal);
    }

    private static async Task ReadAllAsync(HttpClient client)
    {
        var page = await client.GetStringAsync("/notifications");
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync("/notifications?handler=ReadAll", Form(page))).StatusCode);
    }

    [Fact]
    public async Task Given_a_user_who_chose_the_daily_digest_without_general_mail_When_things_happen_Then_only_reminders_are_mailed_at_once()
    {
        app.Clock.Set(AppFactory.DefaultNow);
        var filler = await app.SignInAsync("unit");
        var settings = await filler.GetStringAsync("/notifications/settings");
        var save = await filler.PostAsync("/notifications/settings", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["EmailMode"] = nameof(EmailMode.DailyDigest),
            ["NonEssentialEmail"] = "false",
            ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(settings),
        }));
        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);

        var api = new CaseApi(app);
        var caseId = await api.CaseInStateAsync("returned"); // 退回修改 tells the unit
        var finance = await app.ApiAsync("finance");
        await finance.PostAsync($"/api/cases/{caseId}/remind", System.Net.Http.Json.JsonContent.Create(new { message = "请按意见修改。" }));

        var mails = await app.DbAsync(db => db.Outbox.Where(m => m.ToAddress == "unit@demo.budgeteval.local" && m.Html.Contains(caseId.ToString())).Select(m => m.Event).ToListAsync());
        Assert.Equal([nameof(NotificationEvent.ManualReminder)], mails);
        Assert.True(await app.DbAsync(db => db.Notifications.AnyAsync(n => n.Link == $"/cases/{caseId}" && n.Event == nameof(NotificationEvent.Returned))));
    }

    private static string? Bell(string html) => BellCount().Match(html) is { Success: true } m ? m.Groups[1].Value : null;

    private static FormUrlEncodedContent Form(string page) =>
        new(new Dictionary<string, string> { ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(page) });

    [GeneratedRegex("data-testid=\"bell-count\">([^<]+)<")]
    private static partial Regex BellCount();
}
