using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Notifications;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Notifications;

/// <summary>
/// What one transaction starts for a unit reaches each of its people as one mail listing it, not a mail per case; in the
/// app each case keeps its own notice. The demo seeds through the engine: its 2022 plan is published (the centre has a
/// 部门整体 and a 项目 self-evaluation), and its 2021 evaluation is accepted with seven problems still to rectify (two
/// were fixed before the report).
/// </summary>
public sealed class CombinedMailTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("unit", "unit@demo.budgeteval.local", 2)]
    [InlineData("unithead", "unithead@demo.budgeteval.local", 2)]
    [InlineData("unit2", "unit2@demo.budgeteval.local", 1)]
    public async Task Given_the_published_plan_Then_each_unit_person_gets_one_mail_naming_the_plan_and_listing_the_units_self_evaluations(string user, string address, int count)
    {
        var titles = await app.DbAsync(db => db.SelfEvaluations.IgnoreQueryFilters().Where(s => s.PlanId != null && s.FiscalYear == 2022
                && db.Users.Any(u => u.UserName == user && u.OrganisationId == s.OrganisationId))
            .Select(s => new { s.Title, s.CaseId }).ToListAsync());
        var links = titles.Select(t => $"/cases/{t.CaseId}").ToList();
        var notices = await app.DbAsync(db => db.Notifications.Where(n => links.Contains(n.Link!) && db.Users.Any(u => u.Id == n.RecipientUserId && u.UserName == user))
            .Select(n => n.Link).ToListAsync());
        var mails = await app.DbAsync(db => db.Outbox.Where(m => m.ToAddress == address && links.Any(l => m.Html.Contains(l)))
            .Select(m => new { m.Event, m.Subject, m.Text, m.Html }).ToListAsync());

        Assert.Equal(count, titles.Count);
        Assert.Equal(links.Order(), notices.Order()); // in the app: a notice per self-evaluation, as before
        var mail = Assert.Single(mails);
        Assert.Equal(nameof(NotificationEvent.PlanPublished), mail.Event);
        Assert.Equal("【预算绩效】评价工作计划已发布：2022年度部门整体支出和项目支出绩效自评工作", mail.Subject);
        Assert.Contains($"财政局已发布评价工作计划「2022年度部门整体支出和项目支出绩效自评工作」（{BudgetEval.Web.Demo.DemoSeeder.DemoNotice}），本单位以下 {count} 项绩效自评请于2023年2月28日前完成。",
            mail.Text, StringComparison.Ordinal);
        Assert.All(titles, t => Assert.Contains(t.Title, mail.Text, StringComparison.Ordinal));
        Assert.All(links, l => Assert.Contains(l, mail.Html, StringComparison.Ordinal));
    }

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
