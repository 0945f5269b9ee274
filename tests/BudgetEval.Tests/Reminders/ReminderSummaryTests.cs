using System.Text.RegularExpressions;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Workflows;
using BudgetEval.Web.Notifications;
using Microsoft.EntityFrameworkCore;
using static BudgetEval.Tests.Reminders.ReminderTestKit;

namespace BudgetEval.Tests.Reminders;

/// <summary>
/// A person's reminders of one sweep come as one 催办汇总 mail (at most 20 cases each), while the in-app notices stay
/// one per case. Before, a unit whose findings shared a deadline got a mail per finding on every reminder day.
/// </summary>
public sealed partial class ReminderSummaryTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Unit = "unit@demo.budgeteval.local";

    [Fact]
    public async Task Given_22_tasks_of_one_person_due_the_same_day_When_the_sweep_runs_Then_her_mails_are_summaries_of_at_most_20_holding_each_case_once()
    {
        app.Clock.Set(AppFactory.DefaultNow);
        var api = new CaseApi(app);
        var links = new List<string>();
        for (var i = 0; i < 22; i++)
        {
            links.Add($"/cases/{(await api.CreateAsync(deadline: new DateOnly(2026, 3, 10))).CaseId}");
        }

        // The day before, the demo's long-overdue drafts catch up on their missed days (batch after batch); on the 5th
        // (before-3 of a Tuesday-10 deadline) they are reminded once more, in the same batch as the 22.
        app.Clock.Set(Beijing(2026, 3, 4, 9));
        await SweepAsync(app.Factory.Services);
        app.Clock.Set(Beijing(2026, 3, 5, 9));
        await SweepAsync(app.Factory.Services);

        var sweptAt = app.Clock.GetUtcNow();
        var notices = await app.DbAsync(db => db.Notifications.Where(n => n.CreatedAt == sweptAt && db.Users.Any(u => u.Id == n.RecipientUserId && u.UserName == "unit"))
            .Select(n => new { n.Event, n.Title, n.Link }).ToListAsync());
        var mails = await app.DbAsync(db => db.Outbox.Where(m => m.CreatedAt == sweptAt && m.ToAddress == Unit).Select(m => new { m.Event, m.Subject, m.Html, m.Text }).ToListAsync());

        // In the app: one notice per case, as before.
        Assert.All(links, l => Assert.Single(notices, n => n.Link == l));
        Assert.Equal(notices.Count, notices.Select(n => n.Link).Distinct().Count());

        // By mail: ⌈notices ÷ 20⌉ mails, every notice in exactly one of them, none longer than 20.
        Assert.Equal((notices.Count + 19) / 20, mails.Count);
        Assert.All(notices, n => Assert.Single(mails, m => m.Html.Contains(n.Link!, StringComparison.Ordinal)));
        var summaries = mails.Where(m => m.Event == nameof(NotificationEvent.ReminderSummary)).ToList();
        Assert.Equal(notices.Count, summaries.Sum(m => Items(m.Html)) + (mails.Count - summaries.Count));
        Assert.All(summaries, m => Assert.InRange(Items(m.Html), 2, MailTemplates.SummaryMaxItems));

        // The subject counts what the mail holds, the most urgent kind first; the body lists each case with its link.
        var first = summaries.OrderByDescending(m => Items(m.Html)).First();
        Assert.Matches(@"^【预算绩效】催办汇总：20项待办（(已逾期\d+项、)?即将到期\d+项）$", first.Subject);
        var counted = SubjectCount().Matches(first.Subject).Sum(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(20, counted);
        Assert.Contains("张晓燕，您好：", first.Text, StringComparison.Ordinal);
        Assert.Contains("您有 20 项待办需要关注（", first.Text, StringComparison.Ordinal);
        var upcoming = notices.First(n => n.Event == nameof(NotificationEvent.Reminder));
        Assert.Contains(upcoming.Title, mails.Single(m => m.Html.Contains(upcoming.Link!, StringComparison.Ordinal)).Text, StringComparison.Ordinal);

        // A second sweep the same morning sends nothing more.
        await SweepAsync(app.Factory.Services);
        Assert.Equal(mails.Count, await app.DbAsync(db => db.Outbox.CountAsync(m => m.ToAddress == Unit && m.CreatedAt >= sweptAt)));
    }

    private static int Items(string html) => Regex.Count(html, "<li>");

    [GeneratedRegex(@"(\d+)项(?!待办)")]
    private static partial Regex SubjectCount();
}
