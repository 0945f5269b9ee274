using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Rectifications;
using BudgetEval.Tests.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.EngineRefusals;

/// <summary>
/// A refusal by the workflow engine names the request field it is about: the API answers it under
/// <c>errors[field]</c> (comment, toUserId, reason), while a guard about the subject's content stays under "".
/// </summary>
public sealed class EngineRefusalApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly CaseApi _cases = new(app);

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The fields named under <c>errors</c>, each with its messages.</summary>
    private static Dictionary<string, string[]> Errors(JsonElement problem) =>
        problem.GetProperty("errors").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(e => e.GetString()!).ToArray());

    private async Task<HttpResponseMessage> PostAsync(string user, string url, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        return await (await _cases.As(user)).SendAsync(request);
    }

    [Fact]
    public async Task Given_an_action_whose_definition_requires_a_comment_When_fired_without_one_Then_422_names_comment_in_Chinese_and_nothing_moves()
    {
        var caseId = await _cases.CaseInStateAsync("bureau_review");
        var version = await _cases.VersionAsync(caseId);

        var problem = await ProblemAsync(await _cases.FireAsync("finance", caseId, "return", comment: "  ", key: Guid.NewGuid().ToString("N")), HttpStatusCode.UnprocessableEntity);

        var errors = Errors(problem);
        Assert.Equal(["comment"], errors.Keys);
        Assert.Equal(["「退回修改」须填写意见。"], errors["comment"]);
        Assert.Equal("无法办理", problem.GetProperty("title").GetString());
        Assert.Equal("「退回修改」须填写意见。", problem.GetProperty("detail").GetString());
        Assert.Equal("bureau_review", await _cases.StateAsync(caseId));
        Assert.Equal(version, await _cases.VersionAsync(caseId));
    }

    [Fact]
    public async Task Given_an_over_long_comment_When_an_action_is_fired_Then_the_refusal_is_under_comment()
    {
        var caseId = await _cases.CaseInStateAsync("bureau_review");

        var problem = await ProblemAsync(await _cases.FireAsync("finance", caseId, "accept", comment: new string('意', 2001)), HttpStatusCode.UnprocessableEntity);

        var errors = Errors(problem);
        Assert.Equal(["comment"], errors.Keys);
        Assert.Equal(["意见不能超过 2000 字（现 2001 字）。"], errors["comment"]);
        Assert.Equal("bureau_review", await _cases.StateAsync(caseId));
    }

    [Fact]
    public async Task Given_an_incomplete_draft_When_submitted_Then_the_content_guard_refusals_stay_under_the_empty_key()
    {
        var (_, caseId) = await _cases.CreateAsync(complete: false);

        var problem = await ProblemAsync(await _cases.FireAsync("unit", caseId, "submit", comment: "请审核"), HttpStatusCode.UnprocessableEntity);

        var errors = Errors(problem);
        Assert.Equal([string.Empty], errors.Keys);
        Assert.Contains("请填写自评概述。", errors[string.Empty]);
        Assert.Contains("请填写全年预算数（万元）。", errors[string.Empty]);
        Assert.Equal("draft", await _cases.StateAsync(caseId));
    }

    [Fact]
    public async Task Given_an_action_that_needs_a_comment_and_a_saved_deadline_When_fired_with_neither_Then_each_refusal_is_under_its_own_key()
    {
        var rect = new RectificationApi(app);
        var (id, caseId) = await rect.RegisterAsync("银行账户未按规定清理", new DateOnly(2026, 5, 1));
        await rect.PlanAndReportAsync(id, caseId);

        // 部分整改: the comment is the request's (errors.comment); the new deadline is the finding's content, not this request's ("").
        var problem = await ProblemAsync(await rect.Cases.FireAsync("finance", caseId, "partial"), HttpStatusCode.UnprocessableEntity);

        var errors = Errors(problem);
        Assert.Equal(["「部分整改」须填写意见。"], errors["comment"]);
        Assert.StartsWith("部分整改须先在问题页面", Assert.Single(errors[string.Empty]), StringComparison.Ordinal);
        Assert.Equal(2, errors.Count);
        Assert.Equal("verifying", await rect.Cases.StateAsync(caseId));
    }

    [Fact]
    public async Task Given_a_task_When_delegated_without_a_user_or_to_someone_who_may_not_take_it_Then_toUserId_is_named()
    {
        var (_, caseId) = await _cases.CreateAsync();
        var task = (await _cases.CaseAsync("unit", caseId)).GetProperty("openWorkItems")[0].GetProperty("id").GetGuid();
        var version = await _cases.VersionAsync(caseId);
        var url = $"/api/cases/{caseId}/tasks/{task}/delegate";

        // No user at all: the body lacks the field (400, the endpoint's own check).
        var missing = Errors(await ProblemAsync(await PostAsync("unit", url, new { comment = "请代办", expectedVersion = version }), HttpStatusCode.BadRequest));
        Assert.Equal(["toUserId"], missing.Keys);
        Assert.Contains("toUserId", Assert.Single(missing["toUserId"]), StringComparison.Ordinal);

        // A user of another unit: the engine refuses the value, under the same key (no message prefix decides it now).
        var other = await app.DbAsync(db => db.Users.Where(u => u.UserName == "unit2").Select(u => u.Id).SingleAsync());
        var refused = Errors(await ProblemAsync(await PostAsync("unit", url, new { toUserId = other, expectedVersion = version }), HttpStatusCode.UnprocessableEntity));
        Assert.Equal(["toUserId"], refused.Keys);
        Assert.Equal(["被委托人须为同一单位、具有相应角色的用户。"], refused["toUserId"]);
        Assert.Equal(version, await _cases.VersionAsync(caseId));
    }

    [Fact]
    public async Task Given_the_administrator_When_altering_a_state_without_a_reason_or_to_a_state_the_flow_lacks_Then_reason_and_toState_are_named()
    {
        var (_, caseId) = await _cases.CreateAsync();
        var version = await _cases.VersionAsync(caseId);
        var url = $"/api/cases/{caseId}/alter";

        var noReason = Errors(await ProblemAsync(await PostAsync("admin", url, new { toState = "bureau_review", reason = " ", expectedVersion = version }), HttpStatusCode.UnprocessableEntity));
        Assert.Equal(["reason"], noReason.Keys);
        Assert.Equal(["调整状态须填写原因。"], noReason["reason"]);

        var tooLong = Errors(await ProblemAsync(await PostAsync("admin", url, new { toState = "bureau_review", reason = new string('因', 2001), expectedVersion = version }), HttpStatusCode.UnprocessableEntity));
        Assert.Equal(["reason"], tooLong.Keys);
        Assert.Equal(["原因不能超过 2000 字（现 2001 字）。"], tooLong["reason"]); // named as the box is labelled

        var nowhere = Errors(await ProblemAsync(await PostAsync("admin", url, new { toState = "nowhere", reason = "测试", expectedVersion = version }), HttpStatusCode.UnprocessableEntity));
        Assert.Equal(["toState"], nowhere.Keys);
        Assert.Equal("draft", await _cases.StateAsync(caseId));
    }

    [Fact]
    public async Task Given_a_task_When_released_by_someone_who_never_claimed_it_Then_the_refusal_is_about_the_task_and_stays_under_the_empty_key()
    {
        var (_, caseId) = await _cases.CreateAsync();
        var task = (await _cases.CaseAsync("unit", caseId)).GetProperty("openWorkItems")[0].GetProperty("id").GetGuid();

        var refused = Errors(await ProblemAsync(await PostAsync("unit", $"/api/cases/{caseId}/tasks/{task}/release", new { expectedVersion = await _cases.VersionAsync(caseId) }),
            HttpStatusCode.UnprocessableEntity));

        Assert.Equal(["只有认领人可以释放该待办。"], refused[string.Empty]);
        Assert.Single(refused);
    }

    [Fact]
    public async Task Given_a_stale_expectedVersion_When_an_action_is_fired_without_its_comment_Then_it_is_still_409()
    {
        var caseId = await _cases.CaseInStateAsync("bureau_review");

        var problem = await ProblemAsync(await _cases.FireAsync("finance", caseId, "return", expectedVersion: await _cases.VersionAsync(caseId) - 1), HttpStatusCode.Conflict);

        Assert.Equal("该事项已被他人处理，请刷新后重试。", problem.GetProperty("detail").GetString());
    }
}
