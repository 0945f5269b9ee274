using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.RectificationWalk;
using BudgetEval.Tests.Rectifications;
using BudgetEval.Web.Rectifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.ExtensionRequests;

/// <summary>
/// 申请延期 as the unit and the bureau meet it on the finding page: asked in one step (date and reason together, or
/// nothing), every request and its answer kept in the 延期记录, and the unit working on while the bureau decides.
/// </summary>
public sealed class ExtensionRequestTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly RectificationApi _api = new(app);

    [Fact]
    public async Task Given_a_finding_in_planning_When_the_unit_asks_on_the_finding_page_with_a_date_and_a_reason_Then_the_date_is_saved_and_the_request_fired_in_one_step()
    {
        var (id, caseId) = await _api.RegisterAsync("项目支出进度滞后", new DateOnly(2026, 5, 1));
        var unit = await app.SignInAsync("unit");

        var asked = await RectificationPages.ExtensionAsync(unit, id, "2026-07-31", "项目招标流标，需重新招标。");

        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        Assert.Equal("planning_extension", await _api.Cases.StateAsync(caseId));
        Assert.Equal(new DateOnly(2026, 7, 31), await RequestedAsync(id));
        var history = (await _api.Cases.CaseAsync("finance", caseId)).GetProperty("history").EnumerateArray().Last();
        Assert.Equal("requestExtension", history.GetProperty("action").GetString());
        Assert.Equal("项目招标流标，需重新招标。", history.GetProperty("comment").GetString());

        // The officer reads the request in the 延期记录, pending; the unit is told what it may still do.
        var officerPage = RectificationPages.Text(await (await app.SignInAsync("finance")).GetStringAsync($"/findings/{id}"));
        Assert.Contains("延期记录", officerPage, StringComparison.Ordinal);
        Assert.Contains("张晓燕 2026年7月31日 （原期限 2026年5月1日） 项目招标流标，需重新招标。 待财政局审核", officerPage, StringComparison.Ordinal);
        var unitPage = await unit.GetStringAsync($"/findings/{id}");
        Assert.Contains("data-testid=\"extension-review-note\"", unitPage, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"extension-form\"", unitPage, StringComparison.Ordinal); // the date is frozen while decided
    }

    [Fact]
    public async Task Given_a_refused_then_a_granted_request_When_the_finding_is_read_Then_the_log_shows_both_newest_first_with_dates_reasons_and_decisions()
    {
        var (id, caseId) = await _api.RegisterAsync("公用经费超预算列支", new DateOnly(2026, 5, 1));
        var unit = await app.SignInAsync("unit");
        Assert.Equal(HttpStatusCode.Redirect, (await RectificationPages.ExtensionAsync(unit, id, "2026-09-30", "需待年中预算调整。")).StatusCode);
        await _api.Cases.FireOkAsync("finance", caseId, "refuseExtension", "可先压减其他支出，不予延期。");

        // Refused: the request is cleared on the finding, but the page still says what was asked and why it was refused.
        Assert.Null(await RequestedAsync(id));
        var refused = RectificationPages.Text(await unit.GetStringAsync($"/findings/{id}"));
        Assert.Contains("2026年9月30日 （原期限 2026年5月1日） 需待年中预算调整。 不同意 （李敏，", refused, StringComparison.Ordinal);
        Assert.Contains("财政局意见：可先压减其他支出，不予延期。", refused, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await RectificationPages.ExtensionAsync(unit, id, "2026-06-30", "已压减支出，尚需一个月完成账务调整。")).StatusCode);

        // The officer decides the second request on the case page, with the first one and its refusal in front of them.
        var officer = await app.SignInAsync("finance");
        var casePage = RectificationPages.Text(await officer.GetStringAsync($"/cases/{caseId}"));
        Assert.Contains("2026年6月30日 （原期限 2026年5月1日） 已压减支出，尚需一个月完成账务调整。 待财政局审核", casePage, StringComparison.Ordinal);
        Assert.Contains("需待年中预算调整。 不同意 （李敏，", casePage, StringComparison.Ordinal);
        Assert.Contains("财政局意见：可先压减其他支出，不予延期。", casePage, StringComparison.Ordinal);
        await _api.Cases.FireOkAsync("finance", caseId, "grantExtension", "同意延至6月底。");

        var granted = RectificationPages.Text(await unit.GetStringAsync($"/findings/{id}"));
        Assert.Contains("整改期限：2026年6月30日", granted, StringComparison.Ordinal);
        Assert.Contains("2026年6月30日 （原期限 2026年5月1日） 已压减支出，尚需一个月完成账务调整。 同意 （李敏，", granted, StringComparison.Ordinal);
        Assert.True(granted.IndexOf("同意延至6月底。", StringComparison.Ordinal) < granted.IndexOf("可先压减其他支出", StringComparison.Ordinal), "newest first");

        // The API's finding view has the same records.
        var records = (await _api.FindingAsync("unit", id)).GetProperty("rectification").GetProperty("extensionRequests").EnumerateArray().ToList();
        Assert.Equal(2, records.Count);
        Assert.Equal(("2026-06-30", "Granted", "同意", "同意延至6月底。"), Summary(records[0]));
        Assert.Equal(("2026-09-30", "Refused", "不同意", "可先压减其他支出，不予延期。"), Summary(records[1]));
        Assert.Equal("需待年中预算调整。", records[1].GetProperty("reason").GetString());
        Assert.Equal("李敏", records[1].GetProperty("decidedBy").GetString());
        Assert.False(records[1].GetProperty("pending").GetBoolean());
    }

    [Fact]
    public async Task Given_a_one_step_request_without_a_reason_or_with_an_early_date_When_sent_Then_each_field_is_named_beside_it_and_nothing_is_saved()
    {
        var (id, caseId) = await _api.RegisterAsync("资产账实不符", new DateOnly(2026, 5, 1));
        var unit = await app.SignInAsync("unit");
        var before = await FindingRowAsync(id);

        var noReason = await RectificationPages.ExtensionAsync(unit, id, "2026-08-31", "  ");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);
        var page = WebUtility.HtmlDecode(await noReason.Content.ReadAsStringAsync());
        Assert.Contains("data-testid=\"reason-error\">请填写「申请理由」。</p>", page, StringComparison.Ordinal);
        Assert.Contains("value=\"2026-08-31\"", RectificationPages.ExtensionForm(page), StringComparison.Ordinal);

        var early = await RectificationPages.ExtensionAsync(unit, id, "2026-05-01", "盘点需要时间。");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, early.StatusCode);
        page = WebUtility.HtmlDecode(await early.Content.ReadAsStringAsync());
        Assert.Contains("data-testid=\"requested-error\">「申请延至」须晚于现整改期限 2026年5月1日。</p>", page, StringComparison.Ordinal);
        Assert.Contains("盘点需要时间。</textarea>", page, StringComparison.Ordinal);

        // A page from before the case moved on: refused by the case's version inside the action's transaction, after
        // the form's checks passed; the date must not stay saved (a save before the action would leave it).
        var stale = await RectificationPages.ExtensionAsync(unit, id, "2026-08-31", "盘点需要时间。",
            Regex.Replace(await unit.GetStringAsync($"/findings/{id}"), "name=\"expectedVersion\" value=\"\\d+\"", "name=\"expectedVersion\" value=\"999\""));
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains(FindingModel.ExtensionConflictMessage, WebUtility.HtmlDecode(await stale.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        Assert.Equal(before, await FindingRowAsync(id));
        Assert.Equal("planning", await _api.Cases.StateAsync(caseId));
        Assert.Equal(0, await app.DbAsync(db => db.FindingExtensionRequests.CountAsync(r => r.FindingId == id)));
    }

    [Fact]
    public async Task Given_an_overdue_finding_When_asked_for_a_date_after_the_deadline_but_not_after_today_Then_the_form_says_so_beside_the_date_and_nothing_is_saved()
    {
        // Past the deadline already: a date after it but not after today would be refused by the flow's guard with a
        // message pointing to this very form; the form names the date and today instead.
        var (id, caseId) = await _api.RegisterAsync("绩效目标未细化", new DateOnly(2026, 5, 1));
        await app.DbAsync(db => db.Findings.Where(f => f.Id == id).ExecuteUpdateAsync(s => s.SetProperty(f => f.Deadline, new DateOnly(2026, 2, 1))));
        var unit = await app.SignInAsync("unit");

        var refused = await RectificationPages.ExtensionAsync(unit, id, "2026-02-20", "目标需重新测算。");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("data-testid=\"requested-error\">「申请延至」须晚于今天（2026年3月2日）。</p>", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Null(await RequestedAsync(id));
        Assert.Equal("planning", await _api.Cases.StateAsync(caseId));
        Assert.Equal(HttpStatusCode.Redirect, (await RectificationPages.ExtensionAsync(unit, id, "2026-03-31", "目标需重新测算。")).StatusCode);
    }

    [Fact]
    public async Task Given_a_centre_finding_with_a_refused_request_When_a_unit_of_another_organisation_opens_or_asks_Then_it_is_not_found_and_refused()
    {
        var (id, caseId) = await _api.RegisterAsync("往来款清理不及时", new DateOnly(2026, 5, 1));
        var centre = await app.SignInAsync("unit");
        var page = await centre.GetStringAsync($"/findings/{id}");
        Assert.Equal(HttpStatusCode.Redirect, (await RectificationPages.ExtensionAsync(centre, id, "2026-07-31", "需与对方单位逐笔对账。", page)).StatusCode);
        await _api.Cases.FireOkAsync("finance", caseId, "refuseExtension", "不予延期。");
        var other = await app.SignInAsync("unit2");

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/findings/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await _api.Cases.As("unit2")).GetAsync($"/api/findings/{id}")).StatusCode);
        var otherPage = await other.GetStringAsync("/");
        var posted = await other.PostAsync($"/findings/{id}?handler=Extension", new FormUrlEncodedContent(
            [new("deadline", "2026-08-31"), new("reason", "冒名申请。"), new("stamp", "0000000000000000"), new("expectedVersion", "3"),
             new("__RequestVerificationToken", AppFixture.AntiforgeryToken(otherPage))]));
        Assert.Equal(HttpStatusCode.Forbidden, posted.StatusCode); // a form posted to what is not one's own: 403, as every action (AccessDenied)
        Assert.Equal(1, await app.DbAsync(db => db.FindingExtensionRequests.CountAsync(r => r.FindingId == id)));

        // The kept records are the centre's own: the data scope hides them from another unit, not from the centre.
        Assert.Equal(0, await ScopedCountAsync("unit2", id));
        Assert.Equal(1, await ScopedCountAsync("unit", id));
    }

    [Fact]
    public async Task Given_an_extension_under_review_When_the_unit_edits_the_plan_uploads_evidence_and_then_the_result_Then_it_is_saved_but_the_date_stays_frozen()
    {
        var (id, caseId) = await _api.RegisterAsync("政府购买服务未评估", new DateOnly(2026, 5, 1));
        var unit = await app.SignInAsync("unit");
        Assert.Equal(HttpStatusCode.Redirect, (await RectificationPages.ExtensionAsync(unit, id, "2026-07-31", "评估机构尚未确定。")).StatusCode);
        Assert.Equal("planning_extension", await _api.Cases.StateAsync(caseId));

        // The page offers the plan and evidence forms while the bureau decides, and saves them.
        var page = await unit.GetStringAsync($"/findings/{id}");
        Assert.Contains("data-testid=\"plan-form\"", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"evidence-form\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await RectificationPages.PlanAsync(unit, id, "委托第三方开展评估。", "王科长", "2026-06-30")).StatusCode);
        Assert.Equal("委托第三方开展评估。", await app.DbAsync(db => db.Findings.Where(f => f.Id == id).Select(f => f.PlanMeasures).SingleAsync()));
        Assert.Equal(HttpStatusCode.Created, (await _api.UploadAsync("unit", id, "评估委托书.pdf", RectificationApi.Pdf("评估委托书"))).StatusCode);
        // A file uploaded by mistake may be withdrawn during the review as well: the bureau has not been sent it.
        var mistake = await _api.UploadOkAsync("unit", id, "草稿.pdf", RectificationApi.Pdf("草稿"));
        Assert.Contains("data-testid=\"evidence-delete\"", await unit.GetStringAsync($"/findings/{id}"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await _api.DeleteEvidenceAsync("unit", id, mistake)).StatusCode);

        // The date asked for is what the bureau decides on: frozen, by the API too; submitting waits for the decision (the flow's rule).
        var client = await _api.Cases.As("unit");
        var frozen = await client.PutAsJsonAsync($"/api/findings/{id}/requested-deadline", new { deadline = "2026-12-31", stamp = await _api.StampAsync("unit", id) });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, frozen.StatusCode);
        Assert.Contains(RectificationService.FrozenMessage, await frozen.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await _api.Cases.FireAsync("unit", caseId, "submitPlan")).StatusCode);
        Assert.Equal(new DateOnly(2026, 7, 31), await RequestedAsync(id));

        // The same while 整改落实 waits for a decision: the result is saved by the API and offered on the page.
        await _api.Cases.FireOkAsync("finance", caseId, "grantExtension", "");
        await _api.Cases.FireOkAsync("unit", caseId, "submitPlan");
        Assert.Equal(HttpStatusCode.Redirect, (await RectificationPages.ExtensionAsync(unit, id, "2026-09-30", "评估报告需延后出具。")).StatusCode);
        Assert.Equal("implementing_extension", await _api.Cases.StateAsync(caseId));
        await _api.PutOkAsync("unit", $"/api/findings/{id}/result", new { result = "已完成评估委托。", stamp = await _api.StampAsync("unit", id) });
        Assert.Contains("data-testid=\"result-form\"", await unit.GetStringAsync($"/findings/{id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_requests_made_before_the_log_existed_When_the_finding_is_read_Then_they_come_from_the_history_with_the_date_unrecorded_once_decided()
    {
        var (id, caseId) = await _api.RegisterAsync("固定资产未入账", new DateOnly(2026, 5, 1));
        var unit = await app.SignInAsync("unit");

        // A request decided with no line of its own (as before the 延期记录): the answer writes its line, with the date still held.
        await _api.PutOkAsync("unit", $"/api/findings/{id}/requested-deadline", new { deadline = "2026-08-31", stamp = await _api.StampAsync("unit", id) });
        await _api.Cases.FireOkAsync("unit", caseId, "requestExtension", "资产清查未完成。");
        await ForgetRecordsAsync(id);
        await _api.Cases.FireOkAsync("finance", caseId, "refuseExtension", "清查可在期限内完成。");
        Assert.Contains("2026年8月31日 （原期限 2026年5月1日） 资产清查未完成。 不同意",
            RectificationPages.Text(await unit.GetStringAsync($"/findings/{id}")), StringComparison.Ordinal);

        // One decided entirely before: who, when, why and the answer from the history; the date is not known.
        await ForgetRecordsAsync(id);
        var page = RectificationPages.Text(await unit.GetStringAsync($"/findings/{id}"));
        Assert.Contains("张晓燕 （未记录） 资产清查未完成。 不同意 （李敏，", page, StringComparison.Ordinal);
        Assert.Contains("财政局意见：清查可在期限内完成。", page, StringComparison.Ordinal);
    }

    private static (string?, string?, string?, string?) Summary(JsonElement r) =>
        (r.GetProperty("requestedDeadline").GetString(), r.GetProperty("decision").GetString(), r.GetProperty("decisionLabel").GetString(),
            r.GetProperty("decisionComment").GetString());

    private async Task<int> ScopedCountAsync(string user, Guid id)
    {
        using var scope = app.SignedInScope(await app.PrincipalAsync(user));
        return await scope.ServiceProvider.GetRequiredService<Web.Infrastructure.Data.AppDbContext>().FindingExtensionRequests.CountAsync(r => r.FindingId == id);
    }

    private Task<int> ForgetRecordsAsync(Guid id) => app.DbAsync(db => db.FindingExtensionRequests.Where(r => r.FindingId == id).ExecuteDeleteAsync());

    private Task<DateOnly?> RequestedAsync(Guid id) => app.DbAsync(db => db.Findings.Where(f => f.Id == id).Select(f => f.RequestedDeadline).SingleAsync());

    /// <summary>What 申请延期 would change on the finding, as stored.</summary>
    private Task<string> FindingRowAsync(Guid id) => app.DbAsync(async db =>
    {
        var f = await db.Findings.AsNoTracking().SingleAsync(x => x.Id == id);
        return $"{f.Deadline}|{f.RequestedDeadline}|{f.Extensions}|{f.Status}|{Web.Findings.FindingStamp.Of(f)}";
    });
}
