using System.Net;
using System.Net.Http.Json;
using BudgetEval.Tests.Admin;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Audit;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Rectifications;

/// <summary>
/// 更正: the bureau corrects a registered finding with a reason; the case and 待办 follow, the audit log keeps
/// before and after, the unit is told; a save over someone else's change is refused, never overwrites.
/// </summary>
public sealed class FindingCorrectionTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_typo_in_a_registered_finding_When_the_officer_corrects_it_Then_case_inbox_audit_and_unit_follow()
    {
        var api = new RectificationApi(app);
        var (id, caseId) = await api.RegisterAsync("差旅费报消审核不严", new DateOnly(2026, 5, 1));
        var stamp = (await api.FindingAsync("finance", id)).GetProperty("stamp").GetString();

        await api.PutOkAsync("finance", $"/api/findings/{id}", Correction("差旅费报销审核不严", "录入错字", stamp));

        var finding = await api.FindingAsync("unit", id);
        Assert.Equal("差旅费报销审核不严", finding.GetProperty("finding").GetProperty("title").GetString());
        Assert.NotEqual(stamp, finding.GetProperty("stamp").GetString());
        var (caseTitle, itemTitles) = await app.DbAsync(async db => (
            await db.WorkflowInstances.Where(i => i.Id == caseId).Select(i => i.Title).SingleAsync(),
            await db.WorkItems.Where(w => w.InstanceId == caseId).Select(w => w.Title).ToListAsync()));
        Assert.EndsWith(" 差旅费报销审核不严", caseTitle, StringComparison.Ordinal);
        Assert.All(itemTitles, t => Assert.Equal(caseTitle, t));

        var audit = await app.DbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == AuditActions.FindingCorrected && a.Target!.Contains("差旅费报销审核不严")));
        Assert.Contains("更正原因：录入错字", audit.Detail, StringComparison.Ordinal);
        Assert.Contains("问题：「差旅费报消审核不严」→「差旅费报销审核不严」", audit.Detail, StringComparison.Ordinal);
        Assert.StartsWith("李敏", audit.ActorName, StringComparison.Ordinal);

        var told = await app.DbAsync(db => db.Notifications.Where(n => n.Event == "FindingCorrected" && n.Link == $"/cases/{caseId}")
            .Select(n => new { n.Title, n.Body, User = db.Users.Single(u => u.Id == n.RecipientUserId).UserName }).ToListAsync());
        Assert.Contains(told, n => n.User == "unit" && n.Body.Contains("（问题：「差旅费报消审核不严」→「差旅费报销审核不严」）", StringComparison.Ordinal) && n.Body.Contains("录入错字", StringComparison.Ordinal));
        Assert.DoesNotContain(told, n => n.User == "unit2");
    }

    [Fact]
    public async Task Given_a_stale_stamp_a_missing_reason_or_a_unit_caller_When_correcting_Then_it_is_refused_and_nothing_changes()
    {
        var api = new RectificationApi(app);
        var (id, _) = await api.RegisterAsync("固定资产未及时入账", new DateOnly(2026, 5, 1));
        var stamp = (await api.FindingAsync("finance", id)).GetProperty("stamp").GetString();
        var finance = await api.Cases.As("finance");

        // Someone else saves the plan first: the officer's correction, made on what was loaded before, is a conflict.
        await api.PutOkAsync("unit", $"/api/findings/{id}/plan", new { measures = "补记资产卡片。", responsible = "王会计", plannedDate = "2026-04-15", stamp = await api.StampAsync("unit", id) });
        var stale = await finance.PutAsJsonAsync($"/api/findings/{id}", Correction("固定资产入账不及时", "表述调整", stamp));
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("已被他人修改", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var fresh = (await api.FindingAsync("finance", id)).GetProperty("stamp").GetString();
        var noReason = await finance.PutAsJsonAsync($"/api/findings/{id}", Correction("固定资产入账不及时", "  ", fresh));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);
        Assert.Contains("更正原因", await noReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var same = await finance.PutAsJsonAsync($"/api/findings/{id}", Correction("固定资产未及时入账", "无变化", fresh));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, same.StatusCode);
        Assert.Contains("没有需要更正的内容", await same.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var byUnit = await (await api.Cases.As("unit")).PutAsJsonAsync($"/api/findings/{id}", Correction("固定资产入账不及时", "单位自改", fresh));
        Assert.Equal(HttpStatusCode.Forbidden, byUnit.StatusCode);

        Assert.Equal("固定资产未及时入账", (await api.FindingAsync("finance", id)).GetProperty("finding").GetProperty("title").GetString());
        Assert.Equal(0, await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Action == AuditActions.FindingCorrected && a.Target!.Contains("固定资产"))));
    }

    [Fact]
    public async Task Given_two_copies_of_the_plan_form_When_both_are_saved_Then_the_second_gets_a_conflict_and_a_past_planned_date_is_refused()
    {
        var api = new RectificationApi(app);
        var (id, _) = await api.RegisterAsync("合同管理不规范", new DateOnly(2026, 5, 1));
        var first = await app.SignInAsync("unit");
        var second = await app.SignInAsync("unit");
        var secondPage = await second.GetStringAsync($"/findings/{id}");

        var saved = await first.PostFormAsync($"/findings/{id}",
            [new("measures", "建立合同台账。"), new("responsible", "李主任"), new("plannedDate", "2026-04-20"), new("stamp", Stamp(secondPage))], $"/findings/{id}?handler=Plan");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        // The second tab was opened before the first saved: its stamp is stale.
        var overwritten = await second.PostAsync($"/findings/{id}?handler=Plan", new FormUrlEncodedContent(
            [new("measures", "另一份措施。"), new("responsible", "张三"), new("plannedDate", "2026-04-25"), new("stamp", Stamp(secondPage)),
             new("__RequestVerificationToken", AppFixture.AntiforgeryToken(secondPage))]));
        Assert.Equal(HttpStatusCode.Conflict, overwritten.StatusCode);
        Assert.Contains("已被他人修改", System.Net.WebUtility.HtmlDecode(await overwritten.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        var past = await first.PostFormAsync($"/findings/{id}",
            [new("measures", "建立合同台账。"), new("responsible", "李主任"), new("plannedDate", "2026-01-05"), new("stamp", Stamp(await first.GetStringAsync($"/findings/{id}")))],
            $"/findings/{id}?handler=Plan");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, past.StatusCode);
        Assert.Contains("「计划完成日期」不能早于今天", System.Net.WebUtility.HtmlDecode(await past.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        var plan = (await api.FindingAsync("unit", id)).GetProperty("rectification").GetProperty("plan");
        Assert.Equal(("建立合同台账。", "2026-04-20"), (plan.GetProperty("measures").GetString(), plan.GetProperty("plannedDate").GetString()));
    }

    [Fact]
    public async Task Given_the_finding_page_When_the_officer_corrects_with_an_error_Then_what_was_typed_stays_and_a_valid_correction_saves()
    {
        var api = new RectificationApi(app);
        var (id, _) = await api.RegisterAsync("公务接待超标准", new DateOnly(2026, 5, 1));
        var finance = await app.SignInAsync("finance");
        var page = await finance.GetStringAsync($"/findings/{id}");
        Assert.Contains("更正登记内容", page, StringComparison.Ordinal);
        Assert.DoesNotContain("更正登记内容", await (await app.SignInAsync("unit")).GetStringAsync($"/findings/{id}"), StringComparison.Ordinal);

        var fields = new List<KeyValuePair<string, string>>
        {
            new("correction.Stamp", Stamp(page, "correction.Stamp")), new("correction.Category", "财务管理"), new("correction.Title", "公务接待超出标准"),
            new("correction.Detail", "区审计局审计发现。"), new("correction.SourceDocument", "望审〔2026〕3号"), new("correction.Reason", ""),
        };
        var refused = await finance.PostFormAsync($"/findings/{id}", fields, $"/findings/{id}?handler=Correct");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var html = System.Net.WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("请填写「更正原因」", html, StringComparison.Ordinal);
        Assert.Contains("value=\"公务接待超出标准\"", html, StringComparison.Ordinal); // kept as typed

        fields[^1] = new("correction.Reason", "按审计报告原文表述");
        var saved = await finance.PostFormAsync($"/findings/{id}", fields, $"/findings/{id}?handler=Correct");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("公务接待超出标准", (await api.FindingAsync("finance", id)).GetProperty("finding").GetProperty("title").GetString());
    }

    private static object Correction(string title, string reason, string? stamp) => new
    {
        category = "财务管理",
        title,
        detail = "区审计局审计发现。",
        sourceDocument = "望审〔2026〕3号",
        reason,
        stamp,
    };

    private static string Stamp(string html, string name = "stamp") =>
        System.Text.RegularExpressions.Regex.Match(html, $"name=\"{System.Text.RegularExpressions.Regex.Escape(name)}\" value=\"([0-9a-f]+)\"").Groups[1].Value is { Length: 16 } s
            ? s : throw new InvalidOperationException("no " + name + " in the page");
}
