using System.Net;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Reminders;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Rectifications;

/// <summary>
/// 同意延期 once the asked date has come would set a deadline already past (the task overdue the moment it is granted):
/// version 2 of the rectification flow refuses it; a case started on version 1 finishes on version 1's rules.
/// </summary>
public sealed class LateExtensionGrantTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_an_extension_asked_to_a_date_that_has_come_When_the_officer_grants_it_Then_it_is_refused_naming_the_date_and_nothing_changes()
    {
        var (id, caseId) = await AskedAsync("会议费报销凭证不全");
        Assert.Equal(2, (await Api().Cases.CaseAsync("finance", caseId)).GetProperty("definitionVersion").GetInt32());

        app.Clock.Set(ReminderTestKit.Beijing(2026, 3, 20)); // the day asked for
        var late = await Api().Cases.FireAsync("finance", caseId, "grantExtension");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, late.StatusCode);
        Assert.Contains("单位申请延至的日期（2026年3月20日）已到或已过，同意后整改即告逾期，不能同意。", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var after = await Api().FindingAsync("finance", id);
        Assert.Equal(new DateOnly(2026, 3, 10), RectificationApi.Date(after.GetProperty("rectification").GetProperty("deadline")));
        Assert.Equal("planning_extension", (await Api().Cases.CaseAsync("finance", caseId)).GetProperty("state").GetString());

        // The way the message points to is open: 不同意延期 with a reason, and the unit may ask again.
        await Api().Cases.FireOkAsync("finance", caseId, "refuseExtension", "所申请日期已过，请按实际需要重新申请。");
        Assert.Equal("planning", (await Api().Cases.CaseAsync("unit", caseId)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Given_an_extension_asked_to_a_later_date_When_the_officer_grants_it_the_day_before_Then_the_date_becomes_the_deadline()
    {
        var (id, caseId) = await AskedAsync("差旅费标准执行不严");
        app.Clock.Set(ReminderTestKit.Beijing(2026, 3, 19));
        await Api().Cases.FireOkAsync("finance", caseId, "grantExtension");
        Assert.Equal(new DateOnly(2026, 3, 20), RectificationApi.Date((await Api().FindingAsync("unit", id)).GetProperty("rectification").GetProperty("deadline")));
    }

    [Fact]
    public async Task Given_a_case_started_on_version_1_When_the_officer_grants_late_Then_version_1_still_lets_it_through()
    {
        var (id, caseId) = await AskedAsync("固定资产未及时入账");
        await app.DbAsync(db => db.WorkflowInstances.Where(i => i.Id == caseId).ExecuteUpdateAsync(s => s.SetProperty(i => i.DefinitionVersion, 1)));

        app.Clock.Set(ReminderTestKit.Beijing(2026, 3, 23));
        await Api().Cases.FireOkAsync("finance", caseId, "grantExtension");
        Assert.Equal(new DateOnly(2026, 3, 20), RectificationApi.Date((await Api().FindingAsync("unit", id)).GetProperty("rectification").GetProperty("deadline")));
        Assert.Equal(1, (await Api().Cases.CaseAsync("finance", caseId)).GetProperty("definitionVersion").GetInt32());
    }

    /// <summary>Fresh API logins at the clock's time (a login of the day before has expired).</summary>
    private RectificationApi Api() => new(app);

    /// <summary>A finding due 2026-03-10 whose unit asked on 2 March for an extension to 20 March.</summary>
    private async Task<(Guid Id, Guid CaseId)> AskedAsync(string title)
    {
        app.Clock.Set(AppFactory.DefaultNow);
        var (id, caseId) = await Api().RegisterAsync(title, new DateOnly(2026, 3, 10));
        await Api().PutOkAsync("unit", $"/api/findings/{id}/requested-deadline", new { deadline = "2026-03-20", stamp = await Api().StampAsync("unit", id) });
        await Api().Cases.FireOkAsync("unit", caseId, "requestExtension", "需要与供应商核对。");
        return (id, caseId);
    }
}
