using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Rectifications;
using BudgetEval.Web.Plans;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.ReviewWeek;

/// <summary>
/// The demo's real 2022 form, returned by the bureau and resubmitted with a 资金明细 row added at the top and a report
/// section rewritten: the officer's 版本差异 on the case page lists exactly those two changes.
/// </summary>
public sealed class ResubmissionDiffPageTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_returned_form_resubmitted_with_a_funds_row_added_on_top_When_the_officer_opens_it_Then_the_diff_lists_that_row_and_the_section_only()
    {
        var centre = await app.SocialGovernanceCentreAsync();
        var se = await app.DbAsync(db => db.SelfEvaluations.AsNoTracking()
            .SingleAsync(s => s.OrganisationId == centre && s.FiscalYear == 2022 && s.PlanId != null && s.Kind == EvaluationKind.DepartmentWide));
        var caseId = se.CaseId!.Value;
        var api = new RectificationApi(app);
        var unit = await api.Cases.As("unit");

        // Whatever rows the draft holds, the first submission has at least two (so the insertion has rows below it).
        var detail = await EvaluationApi.JsonAsync(unit, $"/api/self-evaluations/{se.Id}");
        var funds = detail.GetProperty("funds");
        var rows = new List<object>
        {
            new { name = "基本支出-人员经费", budget = 600.00m, executed = 590.00m, upperTransfer = (decimal?)null },
            new { name = "项目支出", budget = 400.00m, executed = 380.00m, upperTransfer = (decimal?)null },
        };
        await PutFundsAsync(unit, se.Id, funds, rows, detail.GetProperty("version").GetUInt32());

        var items = await EvaluationApi.JsonAsync(unit, $"/api/self-evaluations/{se.Id}/follow-up");
        var statements = items.EnumerateArray().Where(i => i.GetProperty("needsStatement").GetBoolean())
            .ToDictionary(i => i.GetProperty("findingId").GetGuid().ToString(), _ => "已建立台账，计划6月底前完成。");
        var put = await unit.PutAsJsonAsync($"/api/self-evaluations/{se.Id}/follow-up", new { statements, stamps = RectificationApi.FollowUpStamps(items) });
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        await api.Cases.FireOkAsync("unit", caseId, "submit");
        await api.Cases.FireOkAsync("unithead", caseId, "approve");
        await api.Cases.FireOkAsync("finance", caseId, "return", "请补充公用经费明细并说明绩效情况。");

        // The unit adds 公用经费 above the others and rewrites 绩效情况, then resubmits.
        detail = await EvaluationApi.JsonAsync(unit, $"/api/self-evaluations/{se.Id}");
        rows.Insert(0, new { name = "基本支出-公用经费", budget = 50.00m, executed = 45.00m, upperTransfer = (decimal?)null });
        var version = await PutFundsAsync(unit, se.Id, detail.GetProperty("funds"), rows, detail.GetProperty("version").GetUInt32());
        var text = await unit.PutAsJsonAsync($"/api/self-evaluations/{se.Id}/text",
            new { report = new Dictionary<string, string> { ["performance"] = "全年完成网格员培训520人次，巡查覆盖率100%。" }, expectedVersion = version });
        Assert.True(text.IsSuccessStatusCode, await text.Content.ReadAsStringAsync());
        await api.Cases.FireOkAsync("unit", caseId, "resubmit");
        await api.Cases.FireOkAsync("unithead", caseId, "approve");

        var finance = await app.SignInAsync("finance");
        var page = WebUtility.HtmlDecode(await finance.GetStringAsync($"/cases/{caseId}"));

        Assert.Contains("版本差异（第 1 版 → 第 2 版）", page, StringComparison.Ordinal);
        var fields = Regex.Matches(page, "<tr><td>([^<]+)</td><td class=\"diff-old\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["自评报告·绩效情况", "资金明细第1行（新增）"], fields);
        Assert.Contains("基本支出-公用经费：预算 50.00，执行 45.00", page, StringComparison.Ordinal);
    }

    private static async Task<uint> PutFundsAsync(HttpClient unit, Guid id, JsonElement funds, List<object> rows, uint version)
    {
        var response = await unit.PutAsJsonAsync($"/api/self-evaluations/{id}/funds", new
        {
            budget = funds.GetProperty("budget").GetDecimal(),
            executed = funds.GetProperty("executed").GetDecimal(),
            upperTransfer = funds.GetProperty("upperTransfer").GetDecimal(),
            rows,
            expectedVersion = version,
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("version").GetUInt32();
    }
}
