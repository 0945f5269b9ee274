using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.SelfEvaluations;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Rectifications;

/// <summary>
/// 上年及以前发现问题的整改情况 is frozen with each submitted version: once the self-evaluation has left the unit,
/// the print view, the follow-up page and the API show the findings, statuses and statements as submitted.
/// </summary>
public sealed partial class FollowUpFrozenTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_an_accepted_2022_self_evaluation_When_a_listed_finding_is_rectified_and_another_registered_later_Then_print_page_and_api_show_the_submitted_list()
    {
        var api = new RectificationApi(app);
        var unit = await api.Cases.As("unit");
        var id = await SelfEvaluationApiTests.CentreIdAsync(unit);
        var caseId = (await SelfEvaluationApiTests.DetailAsync(unit, id)).GetProperty("caseId").GetGuid();
        var listed = await EvaluationApi.JsonAsync(unit, $"/api/self-evaluations/{id}/follow-up");
        var open = listed.EnumerateArray().Where(i => i.GetProperty("needsStatement").GetBoolean()).ToList();
        var statements = open.ToDictionary(i => i.GetProperty("findingId").GetGuid().ToString(), i => $"正在补录（{i.GetProperty("number").GetString()}）");
        await api.PutOkAsync("unit", $"/api/self-evaluations/{id}/follow-up", new { statements, stamps = await RectificationApi.FollowUpStampsAsync(await api.Cases.As("unit"), id) });
        await api.Cases.FireOkAsync("unit", caseId, "submit");
        await api.Cases.FireOkAsync("unithead", caseId, "approve");
        await api.Cases.FireOkAsync("finance", caseId, "accept");

        // After acceptance: one listed finding is rectified and verified, and a further 2021 finding is registered.
        var rectified = open[0];
        var rectifiedId = rectified.GetProperty("findingId").GetGuid();
        var rectifiedNumber = rectified.GetProperty("number").GetString()!;
        var findingCase = (await api.FindingAsync("finance", rectifiedId)).GetProperty("case").GetProperty("id").GetGuid();
        await api.PlanAndReportAsync(rectifiedId, findingCase);
        await api.Cases.FireOkAsync("finance", findingCase, "verify", "已补录完毕。");
        await RegisterAsync(api, 2021, "验收后登记的资产台账问题", new DateOnly(2026, 11, 20));

        var apiItems = (await EvaluationApi.JsonAsync(unit, $"/api/self-evaluations/{id}/follow-up")).EnumerateArray().ToList();
        using var finance = await app.SignInAsync("finance");
        var page = await finance.GetStringAsync($"/self-evaluations/{id}/follow-up");
        var print = await finance.GetStringAsync($"/self-evaluations/{id}/print");

        // The API: the same findings as submitted, each with its status then and now.
        Assert.Equal(listed.GetArrayLength(), apiItems.Count);
        Assert.Equal(listed.EnumerateArray().Select(i => i.GetProperty("findingId").GetGuid()), apiItems.Select(i => i.GetProperty("findingId").GetGuid()));
        Assert.All(apiItems, i => Assert.Equal(1, i.GetProperty("submittedVersion").GetInt32()));
        var rectifiedItem = apiItems.Single(i => i.GetProperty("findingId").GetGuid() == rectifiedId);
        Assert.Equal("Open", rectifiedItem.GetProperty("status").GetString());
        Assert.Equal("未整改", rectifiedItem.GetProperty("statusLabel").GetString());
        Assert.Equal("Rectified", rectifiedItem.GetProperty("currentStatus").GetString());
        Assert.Equal($"正在补录（{rectifiedNumber}）", rectifiedItem.GetProperty("statement").GetString());
        Assert.DoesNotContain(apiItems, i => i.GetProperty("title").GetString() == "验收后登记的资产台账问题");

        // The follow-up page: the submitted list, the change of status labelled, nothing registered later.
        Assert.DoesNotContain("没有需要跟踪的问题", page, StringComparison.Ordinal);
        Assert.Contains("第 1 版", page, StringComparison.Ordinal);
        Assert.Contains($"正在补录（{rectifiedNumber}）", page, StringComparison.Ordinal);
        Assert.Contains("提交时：未整改；现：已整改", Row(page, rectifiedId), StringComparison.Ordinal);
        Assert.DoesNotContain("验收后登记的资产台账问题", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<textarea", page, StringComparison.Ordinal);

        // The print view: the table as submitted, statuses at submission, no empty statement.
        Assert.Contains("data-testid=\"follow-up\"", print, StringComparison.Ordinal);
        Assert.Equal(listed.GetArrayLength(), FollowUpRows(print).Count);
        Assert.Contains($"<td>未整改</td><td class=\"text\">正在补录（{rectifiedNumber}）</td>", print, StringComparison.Ordinal);
        Assert.DoesNotContain(FollowUpRows(print), r => r.Contains("（未填写）", StringComparison.Ordinal));
        Assert.DoesNotContain("验收后登记的资产台账问题", print, StringComparison.Ordinal);
        Assert.DoesNotContain("已整改 | 正在补录", print, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_submitted_self_evaluation_When_a_finding_is_registered_during_review_and_it_is_returned_Then_the_list_is_frozen_in_review_and_live_again_once_returned()
    {
        var api = new RectificationApi(app);
        var (id, caseId) = await api.Cases.CreateAsync(); // 2025: follows up the centre's findings of 2022–2024
        var first = await RegisterAsync(api, 2024, "专项资金未按期拨付", new DateOnly(2026, 9, 30));
        var others = (await EvaluationApi.JsonAsync(await api.Cases.As("unit"), $"/api/self-evaluations/{id}/follow-up")).EnumerateArray()
            .Select(i => i.GetProperty("findingId").GetGuid()).Where(f => f != first); // the other tests' findings of those years, if any
        var statements = others.ToDictionary(f => f.ToString(), _ => "正在整改。");
        statements[first.ToString()] = "已拨付大部分资金。";
        await api.PutOkAsync("unit", $"/api/self-evaluations/{id}/follow-up", new { statements, stamps = await RectificationApi.FollowUpStampsAsync(await api.Cases.As("unit"), id) });
        await api.Cases.FireOkAsync("unit", caseId, "submit");
        var later = await RegisterAsync(api, 2024, "政府采购未履行验收程序", new DateOnly(2026, 10, 31));

        using var unit = await app.SignInAsync("unit");
        var inReview = await unit.GetStringAsync($"/self-evaluations/{id}/follow-up");
        var inReviewApi = (await EvaluationApi.JsonAsync(await api.Cases.As("unit"), $"/api/self-evaluations/{id}/follow-up")).EnumerateArray().ToList();
        await api.Cases.FireOkAsync("unithead", caseId, "approve");
        await api.Cases.FireOkAsync("finance", caseId, "return", "请补充说明。");
        var returned = await unit.GetStringAsync($"/self-evaluations/{id}/follow-up");
        var returnedApi = (await EvaluationApi.JsonAsync(await api.Cases.As("unit"), $"/api/self-evaluations/{id}/follow-up")).EnumerateArray().ToList();

        Assert.Contains("已拨付大部分资金。", inReview, StringComparison.Ordinal);
        Assert.DoesNotContain("政府采购未履行验收程序", inReview, StringComparison.Ordinal);
        Assert.Contains(first, inReviewApi.Select(i => i.GetProperty("findingId").GetGuid()));
        Assert.DoesNotContain(later, inReviewApi.Select(i => i.GetProperty("findingId").GetGuid()));

        Assert.Contains("政府采购未履行验收程序", returned, StringComparison.Ordinal);
        Assert.Contains($"name=\"statements[{later}]\"", returned, StringComparison.Ordinal);
        Assert.Equal(inReviewApi.Select(i => i.GetProperty("findingId").GetGuid()).Append(later).Order(), returnedApi.Select(i => i.GetProperty("findingId").GetGuid()).Order());
        Assert.All(returnedApi, i => Assert.Equal(JsonValueKind.Null, i.GetProperty("submittedVersion").ValueKind));
    }

    [Fact]
    public async Task Given_earlier_findings_past_and_before_their_deadline_When_the_follow_up_is_read_Then_the_overdue_one_is_marked_as_on_the_unit_dashboard()
    {
        var api = new RectificationApi(app);
        var (id, _) = await api.Cases.CreateAsync(); // 2025: follows up the centre's findings of 2022–2024
        var overdue = await RegisterAsync(api, 2024, "公务卡结算不规范", new DateOnly(2026, 1, 31)); // today is 2026-03-02 in the tests
        var notYet = await RegisterAsync(api, 2024, "差旅费报销超标准", new DateOnly(2026, 11, 20));

        using var unit = await app.SignInAsync("unit");
        var page = await unit.GetStringAsync($"/self-evaluations/{id}/follow-up");
        var items = (await EvaluationApi.JsonAsync(await api.Cases.As("unit"), $"/api/self-evaluations/{id}/follow-up")).EnumerateArray().ToList();
        var dashboard = Regex.Match(await unit.GetStringAsync("/dashboards/unit"), "data-testid=\"unit-findings\".*?</section>", RegexOptions.Singleline).Value;

        const string Mark = "<span class=\"badge late\">逾期</span>";
        Assert.Contains(Mark, Row(page, overdue), StringComparison.Ordinal);
        Assert.DoesNotContain(Mark, Row(page, notYet), StringComparison.Ordinal);
        Assert.True(items.Single(i => i.GetProperty("findingId").GetGuid() == overdue).GetProperty("overdue").GetBoolean());
        Assert.False(items.Single(i => i.GetProperty("findingId").GetGuid() == notYet).GetProperty("overdue").GetBoolean());

        // One rule with the dashboards: every row the unit's dashboard lists carries the same mark here.
        foreach (var item in items)
        {
            var row = Regex.Match(dashboard, $"<tr><td>{Regex.Escape(item.GetProperty("number").GetString()!)}</td>.*?</tr>", RegexOptions.Singleline).Value;
            Assert.Equal(row.Contains(Mark, StringComparison.Ordinal), Row(page, item.GetProperty("findingId").GetGuid()).Contains(Mark, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Given_a_version_frozen_before_the_list_was_kept_When_a_stated_finding_is_rectified_and_another_registered_Then_the_list_is_rebuilt_from_the_statements_with_todays_status_labelled()
    {
        var api = new RectificationApi(app);
        var (id, caseId) = await api.Cases.CreateAsync();
        var stated = await RegisterAsync(api, 2023, "办公用房超标准配置", new DateOnly(2026, 8, 31));
        var statements = (await EvaluationApi.JsonAsync(await api.Cases.As("unit"), $"/api/self-evaluations/{id}/follow-up")).EnumerateArray()
            .Where(i => i.GetProperty("needsStatement").GetBoolean()).ToDictionary(i => i.GetProperty("findingId").GetGuid().ToString(), _ => "正在调整用房。");
        await api.PutOkAsync("unit", $"/api/self-evaluations/{id}/follow-up", new { statements, stamps = await RectificationApi.FollowUpStampsAsync(await api.Cases.As("unit"), id) });
        await api.Cases.FireOkAsync("unit", caseId, "submit");
        await api.Cases.FireOkAsync("unithead", caseId, "approve");
        await api.Cases.FireOkAsync("finance", caseId, "accept");
        await app.DbAsync(async db =>
        {
            // As versions were frozen before the list was kept: the statements by finding, nothing more.
            var version = await db.SelfEvaluationVersions.SingleAsync(v => v.SelfEvaluationId == id);
            var content = (JsonObject)JsonNode.Parse(version.ContentJson)!;
            content.Remove("followUpItems");
            version.ContentJson = content.ToJsonString();
            return await db.SaveChangesAsync();
        });
        var findingCase = (await api.FindingAsync("finance", stated)).GetProperty("case").GetProperty("id").GetGuid();
        await api.PlanAndReportAsync(stated, findingCase);
        await api.Cases.FireOkAsync("finance", findingCase, "verify", "已调整到位。");
        var later = await RegisterAsync(api, 2023, "会议费超标准列支", new DateOnly(2026, 8, 31));

        using var finance = await app.SignInAsync("finance");
        var page = await finance.GetStringAsync($"/self-evaluations/{id}/follow-up");
        var items = (await EvaluationApi.JsonAsync(await api.Cases.As("finance"), $"/api/self-evaluations/{id}/follow-up")).EnumerateArray().ToList();

        Assert.Contains("未保存问题当时的状态", page, StringComparison.Ordinal);
        Assert.Contains("现：已整改", Row(page, stated), StringComparison.Ordinal);
        Assert.Contains("正在调整用房。", Row(page, stated), StringComparison.Ordinal);
        Assert.DoesNotContain("会议费超标准列支", page, StringComparison.Ordinal);
        Assert.All(items, i => Assert.True(i.GetProperty("reconstructed").GetBoolean()));
        Assert.Contains(stated, items.Select(i => i.GetProperty("findingId").GetGuid()));
        Assert.DoesNotContain(later, items.Select(i => i.GetProperty("findingId").GetGuid()));
    }

    /// <summary>A 巡察 finding of the centre registered by <c>finance</c> for the given year; returns its id.</summary>
    private static async Task<Guid> RegisterAsync(RectificationApi api, int fiscalYear, string title, DateOnly deadline) =>
        (await api.RegisterInspectionAsync(fiscalYear, title, deadline)).Id;

    internal static string Row(string html, Guid findingId) =>
        Regex.Match(html, $"<tr data-finding=\"{findingId}\">.*?</tr>", RegexOptions.Singleline) is { Success: true } m ? m.Value : throw new InvalidOperationException($"no row for {findingId}");

    private static IReadOnlyList<string> FollowUpRows(string print)
    {
        var table = FollowUpTable().Match(print).Value;
        return [.. Regex.Matches(table, "<tr>.*?</tr>", RegexOptions.Singleline).Select(m => m.Value).Skip(1)]; // the header row first
    }

    [GeneratedRegex("<table class=\"grid\" data-testid=\"follow-up\">.*?</table>", RegexOptions.Singleline)]
    private static partial Regex FollowUpTable();
}
