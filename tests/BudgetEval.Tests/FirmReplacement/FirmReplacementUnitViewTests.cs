using System.Net;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Workflows;
using BudgetEval.Web.Demo;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.FirmReplacement;

/// <summary>
/// 更换评价机构记录 on the evaluation page as each party reads it: the bureau and the evaluated unit (when, from which firm
/// and why, as the case's 流转记录 tells the unit too); the replaced firm not at all.
/// </summary>
public sealed class FirmReplacementUnitViewTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string OtherFirm = BudgetEval.Web.Demo.DemoSeeder.ZhengHeng;
    private const string Reason = "评价机构未按约定派出主评人，经约谈仍未改正。";

    private readonly EvaluationApi _flow = new(app);
    private readonly CaseApi _cases = new(app);

    [Fact]
    public async Task Given_a_replaced_firm_When_the_unit_opens_its_evaluation_Then_it_reads_the_date_the_old_firm_and_the_reason_as_its_history_does_and_the_old_firm_sees_nothing_of_the_new()
    {
        var id = await _flow.CommissionedAsync(2013);
        var caseId = (await EvaluationApi.JsonAsync(await app.ApiAsync("finance"), $"/api/evaluations/{id}")).GetProperty("caseId").GetGuid();
        await _cases.FireOkAsync("finance", caseId, "replaceFirm", Reason);
        var at = await app.DbAsync(db => db.WorkflowHistory.Where(h => h.InstanceId == caseId && h.Action == "replaceFirm").Select(h => h.At).SingleAsync());
        var when = Web.Shared.ChineseFormat.DateTime(app.Factory.Services.GetRequiredService<Web.Shared.ChinaClock>().ToLocal(at));
        await EvaluationApi.Ok(await (await app.ApiAsync("finance")).PostAsJsonAsync($"/api/evaluations/{id}/commission",
            new { firmId = await app.OrganisationIdAsync(OtherFirm), reportDueDate = "2026-07-31", templateKey = Web.Evaluations.EvaluationTemplates.DefaultKey }));

        using var unit = await app.SignInAsync("unit");
        var unitPage = WebUtility.HtmlDecode(await unit.GetStringAsync($"/evaluations/{id}"));
        Assert.Contains("data-testid=\"replacements\"", unitPage, StringComparison.Ordinal);
        Assert.Contains($"<li>{when} 李敏 更换评价机构：<span class=\"comment prewrap\">原评价机构：{DemoSeeder.XinCaiYuan}\n{Reason}</span></li>", unitPage, StringComparison.Ordinal);
        var unitHistory = WebUtility.HtmlDecode(await unit.GetStringAsync($"/cases/{caseId}"));
        Assert.Contains(Reason, unitHistory, StringComparison.Ordinal); // the page says what the history already says

        using var officer = await app.SignInAsync("finance");
        Assert.Contains($"原评价机构：{DemoSeeder.XinCaiYuan}\n{Reason}</span>", WebUtility.HtmlDecode(await officer.GetStringAsync($"/evaluations/{id}")), StringComparison.Ordinal);

        // The replaced firm: neither the page nor anything it is told names the firm that took over.
        using var oldFirm = await app.SignInAsync("evaluator");
        Assert.Equal(HttpStatusCode.NotFound, (await oldFirm.GetAsync($"/evaluations/{id}")).StatusCode);
        var evaluatorId = await app.DbAsync(db => db.Users.Where(u => u.UserName == "evaluator").Select(u => u.Id).SingleAsync());
        var told = await app.DbAsync(db => db.Notifications.Where(n => n.RecipientUserId == evaluatorId).Select(n => n.Title + n.Body).ToListAsync());
        Assert.DoesNotContain(told, t => t.Contains(OtherFirm, StringComparison.Ordinal));
        Assert.DoesNotContain(OtherFirm, await oldFirm.GetStringAsync("/"), StringComparison.Ordinal);
    }
}
