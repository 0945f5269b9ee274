using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Workflows;

namespace BudgetEval.Tests.ReviewWeek2;

/// <summary>
/// 版本差异's base: the bureau compares with the version it last decided on in 财政审核 — never with one the unit head
/// returned before the bureau saw it — and the unit head with the version it last decided on in 单位审核.
/// </summary>
public sealed class ReviewDiffBaseTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly CaseApi _api = new(app);

    [Fact]
    public async Task Given_version_1_returned_by_the_unit_head_When_version_2_reaches_the_bureau_Then_the_bureau_sees_no_diff_and_the_unit_head_sees_1_to_2()
    {
        var (id, caseId) = await _api.CreateAsync();
        await SubmitAsync(id, caseId, "第一稿：全年预算执行良好。", "submit");
        await _api.FireOkAsync("unithead", caseId, "return", "请补充绩效目标完成情况。");
        await SubmitAsync(id, caseId, "第二稿：全年预算执行良好，绩效目标基本完成。", "submit");

        // In 单位审核 the unit head sees what changed since the version it returned.
        var head = await app.SignInAsync("unithead");
        var headPage = WebUtility.HtmlDecode(await head.GetStringAsync($"/cases/{caseId}"));
        Assert.Contains("版本差异（第 1 版 → 第 2 版）", headPage, StringComparison.Ordinal);
        Assert.Contains(">第一稿：全年预算执行良好。</td>", headPage, StringComparison.Ordinal);
        await _api.FireOkAsync("unithead", caseId, "approve");

        // The bureau never saw version 1: the whole submission, no diff.
        var finance = await app.SignInAsync("finance");
        var page = WebUtility.HtmlDecode(await finance.GetStringAsync($"/cases/{caseId}"));
        Assert.Contains("首次提交财政审核，无对比版本。", page, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/self-evaluations/{id}/print\">查看全文（打印视图）</a>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("版本差异", page, StringComparison.Ordinal);
        Assert.DoesNotContain("第一稿", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_the_bureau_returned_version_2_and_the_unit_head_returned_version_3_When_version_4_reaches_the_bureau_Then_each_reviewer_diffs_against_its_own_last_decision()
    {
        var (id, caseId) = await _api.CreateAsync();
        await SubmitAsync(id, caseId, "第一稿。", "submit");
        await _api.FireOkAsync("unithead", caseId, "return", "请补充绩效目标完成情况。");
        await SubmitAsync(id, caseId, "第二稿。", "submit");
        await _api.FireOkAsync("unithead", caseId, "approve");
        await _api.FireOkAsync("finance", caseId, "return", "预算数有误。");
        await SubmitAsync(id, caseId, "第三稿。", "resubmit");
        await _api.FireOkAsync("unithead", caseId, "return", "概述仍不完整。");
        await SubmitAsync(id, caseId, "第四稿。", "submit");

        var head = WebUtility.HtmlDecode(await (await app.SignInAsync("unithead")).GetStringAsync($"/cases/{caseId}"));
        Assert.Contains("版本差异（第 3 版 → 第 4 版）", head, StringComparison.Ordinal);
        Assert.Contains(">第三稿。</td>", head, StringComparison.Ordinal);
        await _api.FireOkAsync("unithead", caseId, "approve");

        var finance = await app.SignInAsync("finance");
        var page = WebUtility.HtmlDecode(await finance.GetStringAsync($"/cases/{caseId}"));
        Assert.Contains("版本差异（第 2 版 → 第 4 版）", page, StringComparison.Ordinal);
        Assert.Contains(">第二稿。</td>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("第三稿", page, StringComparison.Ordinal);

        // Once decided, the page keeps showing what the bureau decided on: the change since its decision before.
        await _api.FireOkAsync("finance", caseId, "accept");
        Assert.Contains("版本差异（第 2 版 → 第 4 版）", WebUtility.HtmlDecode(await finance.GetStringAsync($"/cases/{caseId}")), StringComparison.Ordinal);
    }

    /// <summary>The unit rewrites the 自评概述 and sends the record on (提交 from 草稿, 重新提交 from 退回修改).</summary>
    private async Task SubmitAsync(Guid id, Guid caseId, string summary, string action)
    {
        var unit = await _api.As("unit");
        var current = JsonDocument.Parse(await unit.GetStringAsync($"/api/self-evaluations/{id}")).RootElement;
        var put = await unit.PutAsync($"/api/self-evaluations/{id}", JsonContent.Create(new
        {
            summary, totalBudget = 1412.74m, expectedVersion = current.GetProperty("version").GetUInt32(),
        }));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        await _api.FireOkAsync("unit", caseId, action);
    }
}
