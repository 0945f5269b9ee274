using System.Net;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Audit;
using BudgetEval.Web.Rectifications;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Rectifications;

/// <summary>
/// 删除 of a 佐证材料 file: the unit's filler withdraws a file uploaded by mistake while the unit holds the case and the
/// bureau has not been sent it (报送整改结果); what went with a submission stays. The app's clock stands still in these
/// tests, so a file uploaded after a submission is uploaded a minute later.
/// </summary>
public sealed class EvidenceDeletionTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_second_version_uploaded_by_mistake_When_the_unit_deletes_it_Then_204_it_is_gone_from_the_finding_and_the_download_the_first_stays_and_the_audit_names_it()
    {
        var api = new RectificationApi(app);
        var (id, _) = await api.RegisterAsync("公务接待超标准", new DateOnly(2026, 5, 1));
        var first = await api.UploadOkAsync("unit", id, "整改报告.pdf", RectificationApi.Pdf("定稿"));
        var wrong = await api.UploadOkAsync("unit", id, "整改报告.pdf", RectificationApi.Pdf("含个人信息的草稿"));
        var listed = Evidence(await api.FindingAsync("unit", id));
        Assert.All(listed, e => Assert.False(e.GetProperty("submitted").GetBoolean()));

        var deleted = await api.DeleteEvidenceAsync("unit", id, wrong);
        var again = await api.DeleteEvidenceAsync("unit", id, wrong); // a second tab, or a resent request

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var left = Evidence(await api.FindingAsync("finance", id));
        Assert.Equal([(first, 1)], left.Select(e => (e.GetProperty("id").GetGuid(), e.GetProperty("version").GetInt32())));
        var unit = await api.Cases.As("unit");
        Assert.Equal(HttpStatusCode.NotFound, (await unit.GetAsync($"/api/findings/{id}/evidence/{wrong}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await unit.GetAsync($"/api/findings/{id}/evidence/{first}")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains(RectificationService.EvidenceGoneMessage, await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var size = RectificationApi.Pdf("含个人信息的草稿").Length;
        var audit = await app.DbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.Action == AuditActions.EvidenceDeleted && a.Target!.Contains("公务接待超标准")).ToListAsync());
        var line = Assert.Single(audit);
        Assert.Contains("「整改报告.pdf」第 2 版", line.Detail, StringComparison.Ordinal);
        Assert.Contains($"{size} 字节", line.Detail, StringComparison.Ordinal);
        Assert.Contains("unit", line.ActorName, StringComparison.Ordinal);
        Assert.Equal(await app.SocialGovernanceCentreAsync(), line.OrganisationId);

        // The next upload of that name is 第 2 版 again: the bureau never saw the deleted one.
        var replaced = await api.UploadAsync("unit", id, "整改报告.pdf", RectificationApi.Pdf("改正后的稿"));
        Assert.Equal(2, JsonDocument.Parse(await replaced.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Given_roles_that_see_the_finding_and_another_unit_When_they_delete_its_evidence_Then_they_are_refused_and_nothing_is_deleted()
    {
        var api = new RectificationApi(app);
        var (id, _) = await api.RegisterAsync("会议费列支不规范", new DateOnly(2026, 5, 1));
        var file = await api.UploadOkAsync("unit", id, "会议纪要.pdf", RectificationApi.Pdf("会议纪要"));

        var finance = await api.DeleteEvidenceAsync("finance", id, file);
        var head = await api.DeleteEvidenceAsync("unithead", id, file);
        var other = await api.DeleteEvidenceAsync("unit2", id, file);

        Assert.Equal(HttpStatusCode.Forbidden, finance.StatusCode);
        Assert.Contains("只有责任单位的填报人可以删除佐证材料。", await finance.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, head.StatusCode);
        // Another unit sees no finding at all; an action on it answers 403 like one on a record that does not exist (docs/authorization.md).
        Assert.Equal(HttpStatusCode.NotFound, (await (await api.Cases.As("unit2")).GetAsync($"/api/findings/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Single(Evidence(await api.FindingAsync("unit", id)));
        Assert.Equal(0, await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Action == AuditActions.EvidenceDeleted && a.Target!.Contains("会议费列支不规范"))));
    }

    [Fact]
    public async Task Given_evidence_submitted_with_the_result_When_the_unit_deletes_it_while_verified_and_after_the_case_came_back_Then_409_and_only_a_file_uploaded_since_may_go()
    {
        var api = new RectificationApi(app);
        var (id, caseId) = await api.RegisterAsync("政府采购程序不规范", new DateOnly(2026, 5, 1));
        await api.PlanAndReportAsync(id, caseId);
        var submitted = Evidence(await api.FindingAsync("unit", id)).Single().GetProperty("id").GetGuid();

        var whileVerified = await api.DeleteEvidenceAsync("unit", id, submitted);
        await api.PutOkAsync("finance", $"/api/findings/{id}/next-deadline", new { deadline = "2026-06-30", stamp = await api.StampAsync("finance", id) });
        await api.Cases.FireOkAsync("finance", caseId, "partial", "采购合同尚未补签。");
        var afterReturn = await api.DeleteEvidenceAsync("unit", id, submitted);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var since = await api.UploadOkAsync("unit", id, "补签合同.pdf", RectificationApi.Pdf("补签合同"));
        var flags = Evidence(await api.FindingAsync("unit", id)).ToDictionary(e => e.GetProperty("id").GetGuid(), e => e.GetProperty("submitted").GetBoolean());
        var sinceDeleted = await api.DeleteEvidenceAsync("unit", id, since);

        Assert.Equal(HttpStatusCode.Conflict, whileVerified.StatusCode);
        Assert.Contains(RectificationService.EvidenceNotWithUnitMessage, await whileVerified.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, afterReturn.StatusCode);
        Assert.Contains("已随整改结果报送财政局，不能删除", await afterReturn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(flags[submitted]);
        Assert.False(flags[since]);
        Assert.Equal(HttpStatusCode.NoContent, sinceDeleted.StatusCode);
        Assert.Equal([submitted], Evidence(await api.FindingAsync("finance", id)).Select(e => e.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task Given_the_case_locked_by_an_action_When_the_unit_deletes_its_only_file_and_submits_the_result_at_once_Then_the_delete_waits_and_exactly_one_of_them_happens()
    {
        var api = new RectificationApi(app);
        var (id, caseId) = await api.RegisterAsync("资产处置未报批", new DateOnly(2026, 5, 1));
        await api.PlanAsync(id, caseId);
        await api.PutOkAsync("unit", $"/api/findings/{id}/result", new { result = "已补办报批手续。", stamp = await api.StampAsync("unit", id) });
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var file = await api.UploadOkAsync("unit", id, "报批文件.pdf", RectificationApi.Pdf("报批文件"));
        var version = await api.Cases.VersionAsync(caseId);

        // Hold the case's row lock, as a case action does while it runs: the delete must queue behind it like the action does.
        var (deleted, fired) = await app.DbAsync(db => db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await CaseLock.StateAsync(db, caseId, CancellationToken.None);
            var delete = api.DeleteEvidenceAsync("unit", id, file);
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            Assert.False(delete.IsCompleted, "the delete did not wait for the case lock");
            var submit = api.Cases.FireAsync("unit", caseId, "submitResult", expectedVersion: version);
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            await tx.CommitAsync();
            return (await delete, await submit);
        }));

        var state = await api.Cases.StateAsync(caseId);
        var left = Evidence(await api.FindingAsync("finance", id));
        if (deleted.StatusCode == HttpStatusCode.NoContent)
        {
            // Deleted first: the result has no evidence left, so 报送整改结果 is refused.
            Assert.Equal(HttpStatusCode.UnprocessableEntity, fired.StatusCode);
            Assert.Equal("implementing", state);
            Assert.Empty(left);
        }
        else
        {
            // Submitted first: the file went to the bureau and stays.
            Assert.Equal(HttpStatusCode.Conflict, deleted.StatusCode);
            Assert.Equal(HttpStatusCode.OK, fired.StatusCode);
            Assert.Equal("verifying", state);
            Assert.Equal([file], left.Select(e => e.GetProperty("id").GetGuid()));
        }
    }

    [Fact]
    public async Task Given_the_finding_page_When_the_unit_opens_it_after_the_case_came_back_Then_only_files_not_yet_submitted_have_a_delete_button_and_the_rule_is_said()
    {
        var api = new RectificationApi(app);
        var (id, caseId) = await api.RegisterAsync("差旅住宿超标准", new DateOnly(2026, 5, 1));
        await api.PlanAndReportAsync(id, caseId);
        var submitted = Evidence(await api.FindingAsync("unit", id)).Single().GetProperty("id").GetGuid();
        await api.PutOkAsync("finance", $"/api/findings/{id}/next-deadline", new { deadline = "2026-06-30", stamp = await api.StampAsync("finance", id) });
        await api.Cases.FireOkAsync("finance", caseId, "partial", "尚有两笔未退回。");
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var since = await api.UploadOkAsync("unit", id, "退款凭证.pdf", RectificationApi.Pdf("退款凭证"));

        var page = WebUtility.HtmlDecode(await (await app.SignInAsync("unit")).GetStringAsync($"/findings/{id}"));
        var bureauPage = WebUtility.HtmlDecode(await (await app.SignInAsync("finance")).GetStringAsync($"/findings/{id}"));

        Assert.DoesNotContain("evidence-delete", Row(page, submitted), StringComparison.Ordinal);
        Assert.Contains("已报送", Row(page, submitted), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"evidence-delete\"", Row(page, since), StringComparison.Ordinal);
        Assert.Contains("data-confirm=\"确定删除佐证材料「退款凭证.pdf」（第 1 版）吗？删除后不能恢复。\"", Row(page, since), StringComparison.Ordinal);
        Assert.Contains(RectificationService.SubmittedEvidenceRule, page, StringComparison.Ordinal);
        Assert.Contains("/js/confirm.js", page, StringComparison.Ordinal);
        Assert.DoesNotContain("evidence-delete", bureauPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_two_tabs_of_the_finding_page_When_both_delete_the_file_or_the_case_moves_on_first_Then_the_first_deletes_and_the_stale_one_is_told_why()
    {
        var api = new RectificationApi(app);
        var (id, caseId) = await api.RegisterAsync("培训费超预算", new DateOnly(2026, 5, 1));
        await api.PlanAsync(id, caseId);
        await api.PutOkAsync("unit", $"/api/findings/{id}/result", new { result = "已退回超支部分。", stamp = await api.StampAsync("unit", id) });
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var kept = await api.UploadOkAsync("unit", id, "退款凭证.pdf", RectificationApi.Pdf("退款凭证"));
        var wrong = await api.UploadOkAsync("unit", id, "身份证复印件.pdf", RectificationApi.Pdf("身份证复印件"));
        var first = await app.SignInAsync("unit");
        var second = await app.SignInAsync("unit");
        var firstPage = await first.GetStringAsync($"/findings/{id}");
        var secondPage = await second.GetStringAsync($"/findings/{id}");

        var done = await DeleteOnPageAsync(first, firstPage, id, wrong);
        var shown = WebUtility.HtmlDecode(await first.GetStringAsync($"/findings/{id}"));
        var stale = await DeleteOnPageAsync(second, secondPage, id, wrong);

        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Contains("已删除佐证材料：身份证复印件.pdf（第 1 版）。", shown, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong.ToString(), shown, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains(RectificationService.EvidenceGoneMessage, WebUtility.HtmlDecode(await stale.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        // The case is submitted in another tab: the page shown before offers 删除, which now refuses and says why.
        var before = await second.GetStringAsync($"/findings/{id}");
        await api.Cases.FireOkAsync("unit", caseId, "submitResult");
        var moved = await DeleteOnPageAsync(second, before, id, kept);

        Assert.Equal(HttpStatusCode.Conflict, moved.StatusCode);
        var movedPage = WebUtility.HtmlDecode(await moved.Content.ReadAsStringAsync());
        Assert.Contains(RectificationService.EvidenceNotWithUnitMessage, movedPage, StringComparison.Ordinal);
        Assert.DoesNotContain("evidence-delete", movedPage, StringComparison.Ordinal); // the page as it is now
        Assert.Single(Evidence(await api.FindingAsync("finance", id)));
    }

    private static async Task<HttpResponseMessage> DeleteOnPageAsync(HttpClient client, string page, Guid id, Guid evidenceId) =>
        await client.PostAsync($"/findings/{id}?handler=DeleteEvidence&evidenceId={evidenceId}",
            new FormUrlEncodedContent([new("__RequestVerificationToken", AppFixture.AntiforgeryToken(page))]));

    private static List<JsonElement> Evidence(JsonElement finding) =>
        finding.GetProperty("rectification").GetProperty("evidence").EnumerateArray().ToList();

    /// <summary>The evidence table's row of one file.</summary>
    private static string Row(string html, Guid evidenceId)
    {
        var start = html.IndexOf($"data-evidence-id=\"{evidenceId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no row for {evidenceId}");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }
}
