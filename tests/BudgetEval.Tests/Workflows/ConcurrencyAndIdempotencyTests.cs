using System.Net;
using BudgetEval.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Workflows;

public sealed class ConcurrencyAndIdempotencyTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly CaseApi _api = new(app);

    [Fact]
    public async Task Given_bureau_review_When_two_officers_decide_at_once_Then_exactly_one_wins_and_the_other_gets_409()
    {
        // Two separate clients (two tokens, two connections): accept and return race on the same version.
        var other = new CaseApi(app);
        for (var round = 0; round < 5; round++)
        {
            var caseId = await _api.CaseInStateAsync("bureau_review");
            var version = await _api.VersionAsync(caseId);
            var responses = await Task.WhenAll(
                _api.FireAsync("finance", caseId, "accept", expectedVersion: version),
                other.FireAsync("finance", caseId, "return", "请修改。", expectedVersion: version));

            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
            var loser = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Conflict);
            Assert.Contains("该事项已被他人处理，请刷新后重试。", await loser.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var decisions = await app.DbAsync(db => db.WorkflowHistory.CountAsync(h => h.InstanceId == caseId && h.FromState == "bureau_review"));
            Assert.Equal(1, decisions);
            Assert.Equal(version + 1, await _api.VersionAsync(caseId));
        }
    }

    [Fact]
    public async Task Given_a_stale_version_When_firing_Then_409_with_the_Chinese_message()
    {
        var caseId = await _api.CaseInStateAsync("unit_review");
        var response = await _api.FireAsync("unithead", caseId, "approve", expectedVersion: await _api.VersionAsync(caseId) - 1);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("该事项已被他人处理，请刷新后重试。", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("unit_review", await _api.StateAsync(caseId));
    }

    [Fact]
    public async Task Given_the_same_idempotency_key_When_the_request_is_sent_twice_Then_one_transition_and_the_same_answer()
    {
        var (id, caseId) = await _api.CreateAsync();
        var version = await _api.VersionAsync(caseId);
        var first = await _api.FireAsync("unit", caseId, "submit", expectedVersion: version, key: "submit-once-1");
        var second = await _api.FireAsync("unit", caseId, "submit", expectedVersion: version, key: "submit-once-1");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(version + 1, await _api.VersionAsync(caseId));
        var (submissions, snapshots) = await app.DbAsync(async db => (
            await db.WorkflowHistory.CountAsync(h => h.InstanceId == caseId && h.Action == "submit"),
            await db.SelfEvaluationVersions.CountAsync(v => v.SelfEvaluationId == id)));
        Assert.Equal(1, submissions);
        Assert.Equal(1, snapshots);
    }

    [Fact]
    public async Task Given_a_double_click_When_both_requests_race_with_one_key_Then_one_transition_and_both_succeed()
    {
        var (_, caseId) = await _api.CreateAsync();
        var version = await _api.VersionAsync(caseId);
        var other = new CaseApi(app);
        var responses = await Task.WhenAll(
            _api.FireAsync("unit", caseId, "submit", expectedVersion: version, key: "double-click"),
            other.FireAsync("unit", caseId, "submit", expectedVersion: version, key: "double-click"));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, await app.DbAsync(db => db.WorkflowHistory.CountAsync(h => h.InstanceId == caseId && h.Action == "submit")));
    }

    [Fact]
    public async Task Given_a_used_key_When_it_comes_again_with_the_current_version_or_on_another_case_Then_no_second_effect()
    {
        // The engine reads stored answers only after a version mismatch; these repeats match the version,
        // so the key's unique index is what must stop them.
        var (_, caseId) = await _api.CreateAsync();
        var first = await _api.FireAsync("unit", caseId, "submit", expectedVersion: await _api.VersionAsync(caseId), key: "reused-key");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        // Repeated with the version the case has now: submit is no longer allowed, yet the answer is the first one's.
        var again = await _api.FireAsync("unit", caseId, "submit", expectedVersion: await _api.VersionAsync(caseId), key: "reused-key");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal("unit_review", await _api.StateAsync(caseId));

        var (_, otherCase) = await _api.CreateAsync();
        var elsewhere = await _api.FireAsync("unit", otherCase, "submit", expectedVersion: await _api.VersionAsync(otherCase), key: "reused-key");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, elsewhere.StatusCode);
        Assert.Contains("该幂等键已用于其他事项。", await elsewhere.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("draft", await _api.StateAsync(otherCase));
        Assert.Equal(1, await app.DbAsync(db => db.WorkflowHistory.CountAsync(h => (h.InstanceId == caseId || h.InstanceId == otherCase) && h.Action == "submit")));
    }
}
