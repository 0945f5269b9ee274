using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.SelfEvaluations;

namespace BudgetEval.Tests.Rectifications;

/// <summary>上年及以前发现问题的整改情况: next year's self-evaluation lists the earlier findings and needs a statement for each open one.</summary>
public sealed class FollowUpTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_the_centres_2022_draft_When_submitted_without_statements_Then_refused_naming_each_open_2021_finding_and_accepted_once_stated()
    {
        var api = new RectificationApi(app);
        var unit = await api.Cases.As("unit");
        var id = await SelfEvaluationApiTests.CentreIdAsync(unit);
        var caseId = (await SelfEvaluationApiTests.DetailAsync(unit, id)).GetProperty("caseId").GetGuid();

        var listed = await EvaluationApi.JsonAsync(unit, $"/api/self-evaluations/{id}/follow-up");
        var refused = await api.Cases.FireAsync("unit", caseId, "submit");
        var refusedText = await refused.Content.ReadAsStringAsync();
        var open = listed.EnumerateArray().Where(i => i.GetProperty("needsStatement").GetBoolean()).ToList();
        var otherUnit = await (await api.Cases.As("unit2")).GetAsync($"/api/self-evaluations/{id}/follow-up");
        var statements = open.ToDictionary(i => i.GetProperty("findingId").GetGuid().ToString(), _ => "已制定整改方案，正在落实。");
        var stamps = RectificationApi.FollowUpStamps(listed);
        var saved = await unit.PutAsJsonAsync($"/api/self-evaluations/{id}/follow-up", new { statements, stamps });
        await api.Cases.FireOkAsync("unit", caseId, "submit");
        var lockedAfterSubmit = await unit.PutAsJsonAsync($"/api/self-evaluations/{id}/follow-up", new { statements, stamps });

        Assert.Equal(7, open.Count);
        Assert.All(listed.EnumerateArray(), i => Assert.Equal(2021, i.GetProperty("fiscalYear").GetInt32()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.All(open, i => Assert.Contains(i.GetProperty("number").GetString()!, refusedText, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, otherUnit.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, saved.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, lockedAfterSubmit.StatusCode);
    }
}
