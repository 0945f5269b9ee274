using System.Net;
using System.Text.Json;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Security;

/// <summary>
/// A firm sees an evaluation only while it is assigned: once the bureau accepts the final report the
/// evaluation, its case and the firm's tasks on it disappear for the firm (docs/authorization.md).
/// </summary>
public sealed class FirmAssignmentEndTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_an_evaluation_in_the_firms_hands_When_the_bureau_accepts_the_report_Then_the_firm_no_longer_sees_it_anywhere()
    {
        var flow = new EvaluationApi(app);
        var id = await flow.InFinalReportAsync(2023);
        var caseId = await app.DbAsync(db => db.Evaluations.Where(e => e.Id == id).Select(e => e.CaseId!.Value).SingleAsync());
        using var evaluator = await app.ApiAsync("evaluator");
        using var page = await app.SignInAsync("evaluator");

        // While assigned: in the list, readable, its case and the firm's done tasks visible.
        Assert.Contains(id, await IdsAsync(evaluator, "/api/evaluations", "id"));
        Assert.Equal(HttpStatusCode.OK, (await evaluator.GetAsync($"/api/evaluations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await evaluator.GetAsync($"/api/cases/{caseId}")).StatusCode);
        Assert.Contains(caseId, await IdsAsync(evaluator, "/api/inbox/done", "caseId"));

        await EvaluationApi.Ok(await EvaluationApi.ActAsync(evaluator, id, "submitFinal"));
        var evaluatorId = await app.DbAsync(db => db.Users.Where(u => u.UserName == "evaluator").Select(u => u.Id).SingleAsync());
        var earlier = await app.DbAsync(db => db.Notifications.Where(n => n.RecipientUserId == evaluatorId).Select(n => n.Id).ToListAsync());
        using (var finance = await app.ApiAsync("finance"))
        {
            await EvaluationApi.Ok(await EvaluationApi.ActAsync(finance, id, "accept"));
        }

        // The firm is told of the acceptance, without a link to a case it can no longer open.
        var told = await app.DbAsync(db => db.Notifications.Where(n => n.RecipientUserId == evaluatorId && !earlier.Contains(n.Id)).ToListAsync());
        Assert.NotEmpty(told);
        Assert.All(told, n => Assert.Null(n.Link));

        // Ended: gone from lists, and every read answers 404, every action 403.
        Assert.DoesNotContain(id, await IdsAsync(evaluator, "/api/evaluations", "id"));
        Assert.DoesNotContain(caseId, await IdsAsync(evaluator, "/api/inbox/done", "caseId"));
        Assert.Equal(HttpStatusCode.NotFound, (await evaluator.GetAsync($"/api/evaluations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await evaluator.GetAsync($"/api/evaluations/{id}/report")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await evaluator.GetAsync($"/api/cases/{caseId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await page.GetAsync($"/evaluations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await page.GetAsync($"/evaluations/{id}/print")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await evaluator.PutAsync($"/api/evaluations/{id}/report", JsonContent())).StatusCode);

        // The bureau and the unit still have it.
        using var unit = await app.ApiAsync("unit");
        Assert.Equal(HttpStatusCode.OK, (await unit.GetAsync($"/api/evaluations/{id}/report")).StatusCode);
    }

    private static StringContent JsonContent() => new("{}", System.Text.Encoding.UTF8, "application/json");

    private static async Task<List<Guid>> IdsAsync(HttpClient client, string url, string property)
    {
        using var json = JsonDocument.Parse(await client.GetStringAsync(url));
        var items = json.RootElement.ValueKind == JsonValueKind.Array ? json.RootElement : json.RootElement.GetProperty("items");
        return [.. items.EnumerateArray().Select(i => i.GetProperty(property).GetGuid())];
    }
}
