using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Rectifications;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.DeadlinesReview;

/// <summary>
/// The unit asked for more time: the answer (notice and mail) says whether it was granted and which deadline now holds,
/// instead of a bare 待办 that only differs from the old one by its date.
/// </summary>
public sealed class ExtensionAnswerNoticeTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_an_extension_request_When_the_bureau_refuses_and_later_grants_one_Then_the_filler_is_told_each_answer_with_the_deadline_that_holds()
    {
        app.Clock.Set(AppFactory.DefaultNow);
        var api = new RectificationApi(app);
        var (id, caseId) = await api.RegisterAsync("公务用车台账不全", new DateOnly(2026, 5, 1));

        await api.PutOkAsync("unit", $"/api/findings/{id}/requested-deadline", new { deadline = "2026-06-01", stamp = await api.StampAsync("unit", id) });
        await api.Cases.FireOkAsync("unit", caseId, "requestExtension", "车辆清查需要时间。");

        // The officer is told which date is asked for, in place of the deadline it would replace (before: a bare 待办).
        var asked = await MailAsync("finance@demo.budgeteval.local", caseId, "ExtensionRequested");
        Assert.EndsWith("公务用车台账不全（申请延至2026年6月1日）", asked.Subject, StringComparison.Ordinal);
        Assert.Contains("」的整改期限由2026年5月1日延至2026年6月1日，请于", asked.Text, StringComparison.Ordinal);
        Assert.Contains("车辆清查需要时间。", asked.Text, StringComparison.Ordinal);
        Assert.Equal(0, await app.DbAsync(db => db.Outbox.CountAsync(m => m.ToAddress == "finance@demo.budgeteval.local" && m.Event == "TaskAssigned" && m.Html.Contains($"/cases/{caseId}"))));

        await api.Cases.FireOkAsync("finance", caseId, "refuseExtension", "期限充足，不予延期。");
        var refused = await MailAsync("unit@demo.budgeteval.local", caseId, "ExtensionRefused");
        Assert.StartsWith("【预算绩效】延期申请结果：", refused.Subject, StringComparison.Ordinal);
        Assert.EndsWith("公务用车台账不全（不同意延期）", refused.Subject, StringComparison.Ordinal);
        Assert.Contains("李敏不同意「", refused.Text, StringComparison.Ordinal);
        Assert.Contains("的延期申请，整改期限仍为2026年5月1日，请按期制定整改方案。", refused.Text, StringComparison.Ordinal);
        Assert.Contains("意见：期限充足，不予延期。", refused.Text, StringComparison.Ordinal);

        await api.PutOkAsync("unit", $"/api/findings/{id}/requested-deadline", new { deadline = "2026-07-01", stamp = await api.StampAsync("unit", id) });
        await api.Cases.FireOkAsync("unit", caseId, "requestExtension", "车辆清查范围扩大。");
        await api.Cases.FireOkAsync("finance", caseId, "grantExtension");
        var granted = await MailAsync("unit@demo.budgeteval.local", caseId, "ExtensionGranted");
        Assert.EndsWith("公务用车台账不全（同意延期）", granted.Subject, StringComparison.Ordinal);
        Assert.Contains("的延期申请，整改期限延至2026年7月1日，请按新的期限制定整改方案。", granted.Text, StringComparison.Ordinal);

        // The answer replaces the bare 待办; the unit head, who cannot act on the task, is still only told the outcome.
        Assert.Equal(0, await app.DbAsync(db => db.Outbox.CountAsync(m => m.ToAddress == "unit@demo.budgeteval.local" && m.Event == "TaskAssigned" && m.Html.Contains($"/cases/{caseId}"))));
        var head = await app.DbAsync(db => db.Outbox.Where(m => m.ToAddress == "unithead@demo.budgeteval.local" && m.Html.Contains($"/cases/{caseId}"))
            .Select(m => m.Event + " " + m.Subject).ToListAsync());
        Assert.Contains(head, h => h.StartsWith("Decision ", StringComparison.Ordinal) && h.EndsWith("（同意延期）", StringComparison.Ordinal));
        Assert.DoesNotContain(head, h => h.StartsWith("Extension", StringComparison.Ordinal));
    }

    private Task<(string Subject, string Text)> MailAsync(string to, Guid caseId, string evt) =>
        app.DbAsync(async db =>
        {
            var mail = await db.Outbox.Where(m => m.ToAddress == to && m.Event == evt && m.Html.Contains($"/cases/{caseId}"))
                .Select(m => new { m.Subject, m.Text }).SingleAsync();
            return (mail.Subject, mail.Text);
        });
}
