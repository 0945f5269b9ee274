using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.SelfEvaluationForm2;

/// <summary>提交 of a plan's self-evaluation needs the 自评报告's main sections, each missing one named, with the other errors at once.</summary>
public sealed class ReportRequiredTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_report_with_empty_main_sections_When_submitted_Then_422_naming_each_empty_required_section_and_not_the_optional_ones()
    {
        var id = await TextLimitTests.CentreDraftAsync(app);
        var caseId = await app.DbAsync(async db =>
        {
            var se = await db.SelfEvaluations.SingleAsync(s => s.Id == id);
            se.Report.Budget = null;
            se.Report.Problems = "  \n ";
            se.Report.NextSteps = null;
            se.Report.Other = null;
            se.Report.Rectification = null;
            se.GoalsAchieved = null;
            await db.SaveChangesAsync();
            return se.CaseId!.Value;
        });
        var unit = await app.ApiAsync("unit");

        var listed = JsonDocument.Parse(await unit.GetStringAsync($"/api/self-evaluations/{id}")).RootElement.GetProperty("submissionErrors")
            .EnumerateArray().Select(e => e.GetString()!).ToList();
        var version = JsonDocument.Parse(await unit.GetStringAsync($"/api/cases/{caseId}")).RootElement.GetProperty("version").GetInt32();
        var submit = await unit.PostAsJsonAsync($"/api/cases/{caseId}/actions/submit", new { expectedVersion = version });
        var refusal = await submit.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, submit.StatusCode);
        string[] expected = ["请填写年度总体目标（年初设定目标和全年完成情况）。", "请填写自评报告「预算支出情况」。", "请填写自评报告「存在的问题及原因」。", "请填写自评报告「下一步改进措施」。"];
        Assert.All(expected, e => Assert.Contains(e, listed));
        Assert.All(expected, e => Assert.Contains(e, refusal, StringComparison.Ordinal));
        Assert.DoesNotContain(listed, e => e.Contains("「部门基本情况」", StringComparison.Ordinal) || e.Contains("「绩效情况」", StringComparison.Ordinal)
            || e.Contains("「其他」", StringComparison.Ordinal) || e.Contains("自评报告「上年及以前", StringComparison.Ordinal));
        Assert.Equal("draft", await app.DbAsync(db => db.SelfEvaluations.Where(s => s.Id == id).Select(s => s.Status).SingleAsync()));
    }
}
