using BudgetEval.Web.Notifications;

namespace BudgetEval.Tests.Notifications;

/// <summary>The Chinese wording of single notices (pure rendering, no database).</summary>
public sealed class MailTemplateTests
{
    [Fact]
    public void Given_a_rectification_verified_When_rendered_Then_the_finding_is_named_once_without_the_cases_prefix()
    {
        var message = MailTemplates.Render(NotificationEvent.RectificationVerified,
            new NotificationFacts("整改：2021-第三方评价-001 政府采购执行率偏低") { ActionLabel = "部分整改" }, "张晓燕", null);

        Assert.Equal("【预算绩效】整改核验结果：2021-第三方评价-001 政府采购执行率偏低", message.Subject);
        Assert.StartsWith("财政局已核验「2021-第三方评价-001 政府采购执行率偏低」的整改情况：部分整改。", message.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_reminder_on_the_due_day_When_rendered_Then_it_says_today_and_earlier_ones_say_when()
    {
        var facts = new NotificationFacts("2025年度部门整体支出绩效自评") { StateLabel = "草稿", Due = "2026年12月31日" };

        Assert.Equal("【预算绩效】催办提醒：2025年度部门整体支出绩效自评 今日到期",
            MailTemplates.Render(NotificationEvent.Reminder, facts with { DueToday = true }, "张晓燕", null).Subject);
        Assert.Equal("【预算绩效】催办提醒：2025年度部门整体支出绩效自评 将于2026年12月31日到期",
            MailTemplates.Render(NotificationEvent.Reminder, facts, "张晓燕", null).Subject);
    }
}
