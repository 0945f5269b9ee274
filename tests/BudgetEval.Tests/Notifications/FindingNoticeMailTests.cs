using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Notifications;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Notifications;

/// <summary>
/// An accepted report's problems reach each of the unit's people as one 整改通知 mail listing them, not a mail per finding;
/// in the app each finding keeps its own notice. The demo's 2021 evaluation is accepted through the engine as it seeds,
/// with seven problems still to rectify (two were fixed before the report).
/// </summary>
public sealed class FindingNoticeMailTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("unit", "unit@demo.budgeteval.local", "张晓燕")]
    [InlineData("unithead", "unithead@demo.budgeteval.local", "刘志强")]
    public async Task Given_the_accepted_report_with_seven_open_problems_Then_each_unit_person_gets_one_mail_listing_all_seven_and_seven_notices(string user, string address, string name)
    {
        var notices = await app.DbAsync(db => db.Notifications.Where(n => n.Event == nameof(NotificationEvent.FindingNotice)
                && db.Users.Any(u => u.Id == n.RecipientUserId && u.UserName == user))
            .OrderBy(n => n.Title).Select(n => new { n.Title, n.Link }).ToListAsync());
        var mails = await app.DbAsync(db => db.Outbox.Where(m => m.ToAddress == address
                && (m.Event == nameof(NotificationEvent.FindingNotice) || m.Event == nameof(NotificationEvent.FindingNoticeSummary)))
            .Select(m => new { m.Event, m.Subject, m.Html, m.Text }).ToListAsync());

        Assert.Equal(7, notices.Count);
        Assert.All(notices, n => Assert.StartsWith("整改通知：2021-第三方评价-", n.Title, StringComparison.Ordinal));
        var mail = Assert.Single(mails);
        Assert.Equal(nameof(NotificationEvent.FindingNoticeSummary), mail.Event);
        Assert.Equal("【预算绩效】整改通知：7项问题需要整改", mail.Subject);
        Assert.Contains($"{name}，您好：", mail.Text, StringComparison.Ordinal);
        Assert.Contains("以下 7 项问题需要整改，请按各项期限制定整改方案并报送整改情况。", mail.Text, StringComparison.Ordinal);
        Assert.All(notices, n => Assert.Contains(n.Link!, mail.Html, StringComparison.Ordinal)); // each finding's case, linked
        var positions = notices.Select(n => mail.Text.IndexOf(n.Title, StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p >= 0));
        Assert.Equal(positions.Order(), positions); // in the findings' number order
        Assert.DoesNotContain("2021-第三方评价-006", mail.Text, StringComparison.Ordinal); // fixed before the report: no notice
    }
}
