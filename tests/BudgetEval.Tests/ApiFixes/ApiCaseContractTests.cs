using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Rectifications;

namespace BudgetEval.Tests.ApiFixes;

/// <summary>What a client needs for its next call is in the answer: the case version, a finding's new stamp, the valid action ids.</summary>
public sealed class ApiCaseContractTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_an_evaluation_When_read_Then_it_carries_caseId_and_caseVersion_and_an_action_with_the_row_version_is_told_which_version()
    {
        var finance = await app.ApiAsync("finance");
        var selected = await EvaluationApi.SelectCentreAsync(finance, await app.SocialGovernanceCentreAsync(), 2019);
        await EvaluationApi.Ok(selected);
        var id = JsonDocument.Parse(await selected.Content.ReadAsStringAsync()).RootElement[0].GetProperty("id").GetGuid();

        var evaluation = JsonDocument.Parse(await finance.GetStringAsync($"/api/evaluations/{id}")).RootElement;
        var caseId = evaluation.GetProperty("caseId").GetGuid();
        var caseVersion = evaluation.GetProperty("caseVersion").GetInt32();
        var lead = await app.ApiAsync("financelead");
        Assert.Equal(caseVersion, JsonDocument.Parse(await lead.GetStringAsync($"/api/cases/{caseId}")).RootElement.GetProperty("version").GetInt32());

        var wrong = caseVersion + 1000;
        var stale = await lead.PostAsJsonAsync($"/api/evaluations/{id}/actions/approve", new { expectedVersion = wrong });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var detail = JsonDocument.Parse(await stale.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
        Assert.Contains("caseVersion", detail, StringComparison.Ordinal);
        Assert.Contains($"当前版本 {caseVersion}", detail, StringComparison.Ordinal);

        var approved = await lead.PostAsJsonAsync($"/api/evaluations/{id}/actions/approve", new { expectedVersion = caseVersion });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
    }

    [Fact]
    public async Task Given_a_finding_When_its_plan_is_saved_Then_200_with_the_new_stamp_which_the_next_save_can_use()
    {
        var api = new RectificationApi(app);
        var (id, _) = await api.RegisterAsync("印章管理不规范", new DateOnly(2026, 6, 30));
        var unit = await api.Cases.As("unit");

        var first = await unit.PutAsJsonAsync($"/api/findings/{id}/plan", new { measures = "建立用印登记。", responsible = "李主任", plannedDate = "2026-04-15", stamp = await api.StampAsync("unit", id) });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var stamp = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("stamp").GetString();
        Assert.Equal((await api.FindingAsync("unit", id)).GetProperty("stamp").GetString(), stamp);

        var second = await unit.PutAsJsonAsync($"/api/findings/{id}/plan", new { measures = "建立用印登记并每月核对。", responsible = "李主任", plannedDate = "2026-04-15", stamp });
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        var stale = await unit.PutAsJsonAsync($"/api/findings/{id}/plan", new { measures = "旧页面的保存。", responsible = "李主任", plannedDate = "2026-04-15", stamp });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
    }

    [Fact]
    public async Task Given_an_action_the_workflow_does_not_define_When_posted_Then_404_naming_it_and_listing_the_actions()
    {
        var api = new RectificationApi(app);
        var (_, caseId) = await api.RegisterAsync("未知操作测试", new DateOnly(2026, 6, 30));
        var version = await api.Cases.VersionAsync(caseId);

        var response = await (await api.Cases.As("unit")).PostAsJsonAsync($"/api/cases/{caseId}/actions/nosuch", new { expectedVersion = version });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
        Assert.Contains("「nosuch」", detail, StringComparison.Ordinal);
        Assert.Contains("submitPlan", detail, StringComparison.Ordinal);
        Assert.Equal(version, await api.Cases.VersionAsync(caseId));
    }

    [Fact]
    public async Task Given_a_defined_action_of_another_state_When_posted_Then_still_422_for_the_state()
    {
        var api = new RectificationApi(app);
        var (_, caseId) = await api.RegisterAsync("状态不符测试", new DateOnly(2026, 6, 30));

        var response = await api.Cases.FireAsync("finance", caseId, "verify", expectedVersion: await api.Cases.VersionAsync(caseId));

        Assert.Equal((HttpStatusCode)422, response.StatusCode);
    }
}
