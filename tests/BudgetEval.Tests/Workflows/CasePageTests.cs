using System.Net;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Workflows;

/// <summary>The Razor pages over HTTP with cookies and antiforgery, as a browser would use them.</summary>
public sealed partial class CasePageTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly CaseApi _api = new(app);

    [Fact]
    public async Task Given_a_submitted_case_When_the_unit_head_opens_inbox_and_case_page_and_approves_Then_it_moves_to_bureau_review()
    {
        var caseId = await _api.CaseInStateAsync("unit_review");
        var browser = await app.SignInAsync("unithead");

        var inbox = await browser.GetStringAsync("/inbox");
        Assert.Contains($"/cases/{caseId}", inbox, StringComparison.Ordinal);
        var home = await browser.GetStringAsync("/");
        Assert.Contains("data-count=\"inbox-open\"", home, StringComparison.Ordinal);

        var page = await browser.GetStringAsync($"/cases/{caseId}");
        Assert.Contains("<svg class=\"wf-diagram\"", page, StringComparison.Ordinal);
        Assert.Contains("class=\"wf-state current\" data-state=\"unit_review\"", page, StringComparison.Ordinal);
        Assert.Contains("class=\"wf-state visited\" data-state=\"draft\"", page, StringComparison.Ordinal);
        Assert.Contains("同意上报", page, StringComparison.Ordinal);
        Assert.Contains("流转记录", page, StringComparison.Ordinal);

        var version = await _api.VersionAsync(caseId);
        var response = await PostAsync(browser, caseId, page, "Fire", new() { ["action"] = "approve", ["expectedVersion"] = $"{version}", ["comment"] = "同意。" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("bureau_review", await _api.StateAsync(caseId));

        // The same form again (a stale page): back to the case, reloaded, with the Chinese conflict message; nothing changes.
        var stale = await PostAsync(browser, caseId, page, "Fire", new() { ["action"] = "approve", ["expectedVersion"] = $"{version}" });
        Assert.Equal(HttpStatusCode.Redirect, stale.StatusCode);
        Assert.Contains("该事项已被他人处理，页面已刷新为最新状态，请查看后重试。", await browser.GetStringAsync($"/cases/{caseId}"), StringComparison.Ordinal);
        Assert.Equal("bureau_review", await _api.StateAsync(caseId));

        var done = await browser.GetStringAsync("/inbox/done");
        Assert.Contains($"/cases/{caseId}", done, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_resubmission_When_finance_reviews_Then_the_page_shows_what_changed()
    {
        var (id, caseId) = await _api.CreateAsync();
        await _api.FireOkAsync("unit", caseId, "submit");
        await _api.FireOkAsync("unithead", caseId, "approve");
        await _api.FireOkAsync("finance", caseId, "return", "预算数有误。");
        var unit = await _api.As("unit");
        var current = System.Text.Json.JsonDocument.Parse(await unit.GetStringAsync($"/api/self-evaluations/{id}")).RootElement;
        var put = await unit.PutAsync($"/api/self-evaluations/{id}", System.Net.Http.Json.JsonContent.Create(new
        {
            summary = "全年预算执行良好，绩效目标基本完成。", totalBudget = 1500m, expectedVersion = current.GetProperty("version").GetUInt32(),
        }));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        await _api.FireOkAsync("unit", caseId, "resubmit");
        await _api.FireOkAsync("unithead", caseId, "approve");

        var page = await (await app.SignInAsync("finance")).GetStringAsync($"/cases/{caseId}");
        Assert.Contains("版本差异（第 1 版 → 第 2 版）", page, StringComparison.Ordinal);
        Assert.Contains("<col class=\"diff-field\" /><col class=\"diff-value\" /><col class=\"diff-value\" />", page, StringComparison.Ordinal); // 原内容 keeps its width (site.css)
        // The three numbers are told apart: the flow's definition, the case's revision, the content's version.
        Assert.Contains("自评审核（流程定义 v1）", page, StringComparison.Ordinal);
        Assert.Matches("修订号 \\d+", page);
        Assert.Contains("<th>已提交版本</th><td>第 2 版</td>", page, StringComparison.Ordinal);
        Assert.Contains("1,412.74", page, StringComparison.Ordinal);
        Assert.Contains("1,500.00", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_role_task_When_claimed_reassigned_and_altered_Then_each_is_recorded_in_history()
    {
        var caseId = await _api.CaseInStateAsync("bureau_review");
        var finance = await app.SignInAsync("finance");
        var page = await finance.GetStringAsync($"/cases/{caseId}");
        var workItem = await app.DbAsync(db => db.WorkItems.Where(w => w.InstanceId == caseId && w.Status == BudgetEval.Web.Workflows.WorkItemStatus.Open).Select(w => w.Id).SingleAsync());

        var claim = await PostAsync(finance, caseId, page, "Claim", new() { ["workItemId"] = $"{workItem}", ["expectedVersion"] = $"{await _api.VersionAsync(caseId)}" });
        Assert.Equal(HttpStatusCode.Redirect, claim.StatusCode);
        Assert.Contains("本人已认领", await finance.GetStringAsync("/inbox"), StringComparison.Ordinal);

        var release = await PostAsync(finance, caseId, page, "Release", new() { ["workItemId"] = $"{workItem}", ["expectedVersion"] = $"{await _api.VersionAsync(caseId)}" });
        Assert.Equal(HttpStatusCode.Redirect, release.StatusCode);

        // Admin moves the case back to the unit with a reason; without one it is refused.
        var admin = await app.SignInAsync("admin");
        var adminPage = await admin.GetStringAsync($"/cases/{caseId}");
        var noReason = await PostAsync(admin, caseId, adminPage, "Alter", new() { ["toState"] = "returned", ["reason"] = "", ["expectedVersion"] = $"{await _api.VersionAsync(caseId)}" });
        Assert.Equal(HttpStatusCode.Redirect, noReason.StatusCode); // refused: back to the case with the message
        Assert.Contains("data-testid=\"case-errors\"", await admin.GetStringAsync($"/cases/{caseId}"), StringComparison.Ordinal);
        var alter = await PostAsync(admin, caseId, adminPage, "Alter", new() { ["toState"] = "returned", ["reason"] = "单位申请撤回修改", ["expectedVersion"] = $"{await _api.VersionAsync(caseId)}" });
        Assert.Equal(HttpStatusCode.Redirect, alter.StatusCode);

        var view = await _api.CaseAsync("finance", caseId);
        Assert.Equal("returned", view.GetProperty("state").GetString());
        var actions = view.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()).ToList();
        Assert.Equal(["start", "submit", "approve", "claim", "release", "alter"], actions);
        Assert.Null(await app.DbAsync(db => BudgetEval.Web.Workflows.HistoryChain.VerifyAsync(db, caseId)));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, Guid caseId, string page, string handler, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = Token().Match(page).Groups[1].Value;
        return await client.PostAsync($"/cases/{caseId}?handler={handler}", new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
