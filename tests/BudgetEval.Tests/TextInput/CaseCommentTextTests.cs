using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.TextInput;

/// <summary>A case action's comment (意见) or reason is multi-line text: its lines are kept as LF, other control characters dropped.</summary>
public sealed class CaseCommentTextTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_comment_with_crlf_and_nul_When_the_administrator_moves_the_case_with_it_as_reason_Then_history_keeps_its_lines_without_the_nul()
    {
        using var unit = await app.ApiAsync("unit");
        var created = await unit.PostAsJsonAsync("/api/self-evaluations", new { title = "意见文本测试", fiscalYear = 2024, deadline = "2026-12-31", summary = "概述", totalBudget = 10m });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var caseId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("caseId").GetGuid();
        // The administrator's 调整状态 runs no guards: the reason is stored like any action's comment.
        using var admin = await app.ApiAsync("admin");
        var altered = await admin.PostAsJsonAsync($"/api/cases/{caseId}/alter", new { toState = "unit_review", reason = "  第一条\r\n第二条\u0000补充  ", expectedVersion = 1 });
        Assert.True(altered.IsSuccessStatusCode, await altered.Content.ReadAsStringAsync());

        var comment = await app.DbAsync(db => db.WorkflowHistory.Where(h => h.InstanceId == caseId && h.Action == "alter").Select(h => h.Comment).SingleAsync());
        Assert.Equal("第一条\n第二条补充", comment);
        var detail = await EvaluationApi.JsonAsync(admin, $"/api/cases/{caseId}");
        Assert.Contains(detail.GetProperty("history").EnumerateArray(), h => h.GetProperty("comment").GetString() == "第一条\n第二条补充");
    }
}
