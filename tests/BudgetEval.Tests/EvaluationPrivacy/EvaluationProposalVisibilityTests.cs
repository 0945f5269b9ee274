using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.EvaluationPrivacy;

/// <summary>
/// A 重点评价 is the bureau's internal proposal until the finance lead approves it: the evaluated unit does not
/// see it (nor its case, history or selection reason) while it waits for approval, nor ever once it is rejected
/// (不予评价). From 委托评价机构 on it sees it as before. The bureau sees all of them (docs/authorization.md).
/// </summary>
public sealed class EvaluationProposalVisibilityTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_selection_waiting_for_the_lead_When_the_unit_reads_Then_it_does_not_exist_for_it_until_approved()
    {
        var (id, caseId, title, reason) = await SelectAsync(2019);
        using var unit = await app.ApiAsync("unit");
        using var head = await app.ApiAsync("unithead");
        using var unitPages = await app.SignInAsync("unit");

        // 待审批: every read of the unit answers 404 and no list shows it.
        foreach (var client in new[] { unit, head })
        {
            await AssertHiddenFromApiAsync(client, id, caseId, 2019);
        }

        await AssertHiddenFromPagesAsync(unitPages, id, caseId, title, reason, 2019);

        // Nor can the unit act on it: it is refused exactly as an action on a record that does not exist (403
        // "记录不存在或您无权操作"), not with the workflow's "only the lead may approve", which would tell it exists.
        var missing = Guid.NewGuid();
        await AssertSameRefusalAsync(
            unit.PostAsJsonAsync($"/api/cases/{caseId}/actions/approve", new { expectedVersion = 1 }),
            unit.PostAsJsonAsync($"/api/cases/{missing}/actions/approve", new { expectedVersion = 1 }));
        await AssertSameRefusalAsync(
            unit.PostAsJsonAsync($"/api/evaluations/{id}/actions/approve", new { }),
            unit.PostAsJsonAsync($"/api/evaluations/{missing}/actions/approve", new { }));
        await AssertSameRefusalAsync(
            unit.PutAsJsonAsync($"/api/evaluations/{id}/comments", new { general = "？" }),
            unit.PutAsJsonAsync($"/api/evaluations/{missing}/comments", new { general = "？" }));

        // The bureau sees it as before.
        await AssertBureauSeesAsync(id, caseId, reason, 2019, "selected");

        // Approved (委托评价机构): now the unit's, in lists, detail, case and its history.
        using (var lead = await app.ApiAsync("financelead"))
        {
            await EvaluationApi.Ok(await EvaluationApi.ActAsync(lead, id, "approve"));
        }

        foreach (var client in new[] { unit, head })
        {
            Assert.Contains(id, await IdsAsync(client, "/api/evaluations?fiscalYear=2019"));
            var detail = await EvaluationApi.JsonAsync(client, $"/api/evaluations/{id}");
            Assert.Equal("commissioning", detail.GetProperty("status").GetString());
            var caseJson = await EvaluationApi.JsonAsync(client, $"/api/cases/{caseId}");
            Assert.Contains(caseJson.GetProperty("history").EnumerateArray(), h => h.GetProperty("action").GetString() == "approve");
        }

        Assert.Contains(title, await unitPages.GetStringAsync("/evaluations?FiscalYear=2019"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await unitPages.GetAsync($"/evaluations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await unitPages.GetAsync($"/cases/{caseId}")).StatusCode);

        // Its print view keeps its own rule: the unit reads the report from the comment window on.
        Assert.Equal(HttpStatusCode.NotFound, (await unitPages.GetAsync($"/evaluations/{id}/print")).StatusCode);
    }

    [Fact]
    public async Task Given_a_selection_the_lead_rejects_When_the_unit_reads_Then_it_never_sees_it_and_the_bureau_still_does()
    {
        var (id, caseId, title, reason) = await SelectAsync(2018);
        using (var lead = await app.ApiAsync("financelead"))
        {
            await EvaluationApi.Ok(await EvaluationApi.ActAsync(lead, id, "reject", "本年度不予评价。"));
        }

        using var unit = await app.ApiAsync("unit");
        using var head = await app.ApiAsync("unithead");
        await AssertHiddenFromApiAsync(unit, id, caseId, 2018);
        await AssertHiddenFromApiAsync(head, id, caseId, 2018);
        using var unitPages = await app.SignInAsync("unithead");
        await AssertHiddenFromPagesAsync(unitPages, id, caseId, title, reason, 2018);

        await AssertBureauSeesAsync(id, caseId, reason, 2018, "dropped");
    }

    [Fact]
    public async Task Given_selections_approved_and_rejected_When_the_unit_looks_at_its_notifications_Then_nothing_told_it_of_them()
    {
        var (approved, approvedCase, approvedTitle, _) = await SelectAsync(2017);
        var (rejected, rejectedCase, rejectedTitle, _) = await SelectAsync(2017, "社区服务项目");
        using (var lead = await app.ApiAsync("financelead"))
        {
            await EvaluationApi.Ok(await EvaluationApi.ActAsync(lead, approved, "approve"));
            await EvaluationApi.Ok(await EvaluationApi.ActAsync(lead, rejected, "reject", "不予评价。"));
        }

        var links = new[] { $"/cases/{approvedCase}", $"/cases/{rejectedCase}" };
        var told = await app.DbAsync(db => db.Notifications.Where(n => n.Link != null && links.Contains(n.Link))
            .Join(db.Users, n => n.RecipientUserId, u => u.Id, (n, u) => new { u.UserName, u.OrganisationId }).ToListAsync());
        var centre = await app.SocialGovernanceCentreAsync();

        // The bureau was told (the lead asked to approve, the officers of the outcome); the unit not at all.
        Assert.Contains(told, n => n.UserName == "financelead");
        Assert.DoesNotContain(told, n => n.OrganisationId == centre);
        var unitMail = await app.DbAsync(db => db.Outbox.Where(m => m.RecipientUserId != null
            && db.Users.Any(u => u.Id == m.RecipientUserId && u.OrganisationId == centre) && (m.Subject.Contains(approvedTitle) || m.Subject.Contains(rejectedTitle) || m.Text.Contains(approvedTitle) || m.Text.Contains(rejectedTitle))).CountAsync());
        Assert.Equal(0, unitMail);
    }

    /// <summary>The finance officer selects the centre (its whole spending, or a project) with an internal reason of its own.</summary>
    private async Task<(Guid Id, Guid CaseId, string Title, string Reason)> SelectAsync(int fiscalYear, string? project = null)
    {
        var reason = $"自评得分偏低（内部研判 {fiscalYear}{project}）";
        using var finance = await app.ApiAsync("finance");
        var response = await finance.PostAsJsonAsync("/api/evaluations", new
        {
            fiscalYear,
            targets = new[]
            {
                new { organisationId = await app.SocialGovernanceCentreAsync(), kind = project is null ? "DepartmentWide" : "Project", projectName = project, reason },
            },
        });
        await EvaluationApi.Ok(response);
        var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement[0];
        return (created.GetProperty("id").GetGuid(), created.GetProperty("caseId").GetGuid(), created.GetProperty("title").GetString()!, reason);
    }

    private static async Task AssertHiddenFromApiAsync(HttpClient client, Guid id, Guid caseId, int fiscalYear)
    {
        Assert.DoesNotContain(id, await IdsAsync(client, $"/api/evaluations?fiscalYear={fiscalYear}"));
        Assert.DoesNotContain(id, await IdsAsync(client, "/api/evaluations"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/evaluations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/evaluations/{id}/report")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/evaluations/{id}/scores/export.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/cases/{caseId}")).StatusCode);
    }

    private static async Task AssertHiddenFromPagesAsync(HttpClient pages, Guid id, Guid caseId, string title, string reason, int fiscalYear)
    {
        var list = await pages.GetStringAsync($"/evaluations?FiscalYear={fiscalYear}");
        Assert.DoesNotContain(title, list, StringComparison.Ordinal);
        Assert.DoesNotContain(reason, list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await pages.GetAsync($"/evaluations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await pages.GetAsync($"/evaluations/{id}/print")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await pages.GetAsync($"/cases/{caseId}")).StatusCode);
        foreach (var url in new[] { "/inbox", "/dashboards/unit", "/notifications" })
        {
            Assert.DoesNotContain(title, await pages.GetStringAsync(url), StringComparison.Ordinal);
        }
    }

    private async Task AssertBureauSeesAsync(Guid id, Guid caseId, string reason, int fiscalYear, string status)
    {
        foreach (var user in new[] { "finance", "financelead" })
        {
            using var bureau = await app.ApiAsync(user);
            Assert.Contains(id, await IdsAsync(bureau, $"/api/evaluations?fiscalYear={fiscalYear}"));
            var detail = await EvaluationApi.JsonAsync(bureau, $"/api/evaluations/{id}");
            Assert.Equal(status, detail.GetProperty("status").GetString());
            Assert.Equal(reason, detail.GetProperty("reason").GetString());
            Assert.Equal(caseId, (await EvaluationApi.JsonAsync(bureau, $"/api/cases/{caseId}")).GetProperty("id").GetGuid());
        }

        using var page = await app.SignInAsync("finance");
        Assert.Equal(HttpStatusCode.OK, (await page.GetAsync($"/evaluations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await page.GetAsync($"/cases/{caseId}")).StatusCode);
    }

    private static async Task AssertSameRefusalAsync(Task<HttpResponseMessage> hidden, Task<HttpResponseMessage> missing)
    {
        using var a = await hidden;
        using var b = await missing;
        Assert.Equal(HttpStatusCode.Forbidden, a.StatusCode);
        Assert.Equal(b.StatusCode, a.StatusCode);
        Assert.Equal(Detail(await b.Content.ReadAsStringAsync()), Detail(await a.Content.ReadAsStringAsync()));

        static string? Detail(string body) => JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString();
    }

    private static async Task<List<Guid>> IdsAsync(HttpClient client, string url) =>
        (await EvaluationApi.JsonAsync(client, url)).EnumerateArray().Select(e => e.GetProperty("id").GetGuid()).ToList();
}
