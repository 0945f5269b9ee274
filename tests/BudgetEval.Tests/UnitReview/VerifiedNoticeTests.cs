using BudgetEval.Web.Notifications;

namespace BudgetEval.Tests.UnitReview;

/// <summary>The unit's notice of the bureau's verification says by when what remains is due (pure rendering).</summary>
public sealed class VerifiedNoticeTests
{
    [Fact]
    public void Given_a_partial_rectification_with_its_new_deadline_When_rendered_Then_the_notice_names_the_date_and_a_closing_one_does_not()
    {
        var facts = new NotificationFacts("整改：2021-第三方评价-001 政府采购执行率偏低") { ActionLabel = "部分整改", Due = "2027年3月31日" };

        var partial = MailTemplates.Render(NotificationEvent.RectificationVerified, facts, "张晓燕", null);
        var closed = MailTemplates.Render(NotificationEvent.RectificationVerified, facts with { ActionLabel = "已整改", Due = null }, "张晓燕", null);

        Assert.StartsWith("财政局已核验「2021-第三方评价-001 政府采购执行率偏低」的整改情况：部分整改。请于2027年3月31日前完成剩余整改并重新报送整改结果。", partial.Summary, StringComparison.Ordinal);
        Assert.Contains("2027年3月31日", partial.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("请于", closed.Summary, StringComparison.Ordinal);
    }
}
