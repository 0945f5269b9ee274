using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Workflows;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.ApiTasks;

/// <summary>
/// The case page's task operations through the JSON API (认领, 释放, 委托, 改派, 调整状态 and the list of whom a task
/// may go to), against real PostgreSQL: what each answers, what it records, and who is refused.
/// </summary>
public sealed class CaseTaskApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly CaseApi _cases = new(app);

    // A fresh self-evaluation of the 社会治理服务中心 in 草稿: its task waits for the centre's 单位填报人 (a role task).
    private async Task<(Guid CaseId, Guid TaskId)> DraftAsync()
    {
        var (_, caseId) = await _cases.CreateAsync();
        var task = (await _cases.CaseAsync("unit", caseId)).GetProperty("openWorkItems")[0];
        return (caseId, task.GetProperty("id").GetGuid());
    }

    private async Task<HttpResponseMessage> PostAsync(string user, string url, object body, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await (await _cases.As(user)).SendAsync(request);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private static async Task<JsonElement> Expect(HttpStatusCode status, HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement.Clone();
    }

    private static string[] Errors(JsonElement problem, string field) =>
        problem.GetProperty("errors").TryGetProperty(field, out var list) ? [.. list.EnumerateArray().Select(e => e.GetString()!)] : [];

    private static string[] TaskActions(JsonElement task) => [.. task.GetProperty("allowedTaskActions").EnumerateArray().Select(a => a.GetProperty("id").GetString()!)];

    private async Task<JsonElement> TaskAsync(string user, Guid caseId) => (await _cases.CaseAsync(user, caseId)).GetProperty("openWorkItems")[0];

    private async Task<JsonElement> LastHistoryAsync(Guid caseId)
    {
        var history = (await _cases.CaseAsync("finance", caseId)).GetProperty("history");
        return history[history.GetArrayLength() - 1];
    }

    private Task<Guid> UserIdAsync(string userName) => app.DbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync());

    /// <summary>A second 单位填报人 of the centre (with a mail address, so 委托/改派 can mail them).</summary>
    private async Task<(Guid Id, string Name)> ColleagueAsync(string login, string name, bool locked = false) =>
        (await CentreColleagues.AddFillerAsync(app, login, name, locked), name);

    [Fact]
    public async Task Given_a_role_task_When_a_member_claims_and_then_releases_it_Then_the_case_shows_who_holds_it_and_the_history_records_both()
    {
        var (caseId, taskId) = await DraftAsync();
        var unitId = await UserIdAsync("unit");
        var task = await TaskAsync("unit", caseId);
        Assert.Equal(taskId, task.GetProperty("id").GetGuid());
        Assert.Equal("UnitFiller", task.GetProperty("assigneeRole").GetString());
        Assert.Equal("单位填报人", task.GetProperty("assigneeRoleLabel").GetString());
        Assert.Equal(await app.SocialGovernanceCentreAsync(), task.GetProperty("assigneeOrganisationId").GetGuid());
        Assert.Equal(Web.Demo.DemoSeeder.SocialGovernanceCentre, task.GetProperty("assigneeOrganisationName").GetString());
        Assert.Equal(JsonValueKind.Null, task.GetProperty("claimedBy").ValueKind);
        Assert.Equal(JsonValueKind.String, task.GetProperty("dueAt").ValueKind);
        Assert.Contains("claim", TaskActions(task));
        Assert.DoesNotContain("release", TaskActions(task));
        var version = await _cases.VersionAsync(caseId);

        var claimed = await Expect(HttpStatusCode.OK, await PostAsync("unit", $"/api/cases/{caseId}/tasks/{taskId}/claim", new { expectedVersion = version }));
        Assert.Equal("draft", claimed.GetProperty("state").GetString());
        Assert.Equal("草稿", claimed.GetProperty("stateLabel").GetString());
        Assert.Equal(version + 1, claimed.GetProperty("version").GetInt32());
        task = await TaskAsync("unit", caseId);
        Assert.Equal(unitId, task.GetProperty("claimedBy").GetGuid());
        Assert.Equal("张晓燕", task.GetProperty("claimedByName").GetString());
        Assert.Contains("release", TaskActions(task));
        Assert.DoesNotContain("claim", TaskActions(task));
        Assert.Equal("认领", (await LastHistoryAsync(caseId)).GetProperty("actionLabel").GetString());

        var released = await Expect(HttpStatusCode.OK, await PostAsync("unit", $"/api/cases/{caseId}/tasks/{taskId}/release", new { expectedVersion = version + 1 }));
        Assert.Equal(version + 2, released.GetProperty("version").GetInt32());
        task = await TaskAsync("unit", caseId);
        Assert.Equal(JsonValueKind.Null, task.GetProperty("claimedBy").ValueKind);
        Assert.Contains("claim", TaskActions(task));
        var last = await LastHistoryAsync(caseId);
        Assert.Equal("释放", last.GetProperty("actionLabel").GetString());
        Assert.Equal("张晓燕", last.GetProperty("actor").GetString());
    }

    [Fact]
    public async Task Given_a_role_task_When_someone_outside_its_role_or_organisation_claims_it_Then_403_and_nothing_changes()
    {
        var (caseId, taskId) = await DraftAsync();
        var version = await _cases.VersionAsync(caseId);
        Assert.Empty(TaskActions(await TaskAsync("unithead", caseId)));

        foreach (var user in new[] { "unithead", "finance", "admin" })
        {
            var refused = await Expect(HttpStatusCode.Forbidden, await PostAsync(user, $"/api/cases/{caseId}/tasks/{taskId}/claim", new { expectedVersion = version }));
            Assert.Equal("您不在该待办的办理范围内。", refused.GetProperty("detail").GetString());
        }

        // Releasing what someone else claimed: the unit head is outside the role (403); nobody claimed it, so the filler is told 422.
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync("unithead", $"/api/cases/{caseId}/tasks/{taskId}/release", new { expectedVersion = version })).StatusCode);
        var notClaimed = await Expect(HttpStatusCode.UnprocessableEntity, await PostAsync("unit", $"/api/cases/{caseId}/tasks/{taskId}/release", new { expectedVersion = version }));
        Assert.Contains("只有认领人可以释放该待办。", notClaimed.GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.Equal(version, await _cases.VersionAsync(caseId));
        Assert.Equal(JsonValueKind.Null, (await TaskAsync("unit", caseId)).GetProperty("claimedBy").ValueKind);
    }

    [Fact]
    public async Task Given_the_candidates_of_a_task_Then_they_are_the_tasks_organisation_users_with_its_role_who_can_sign_in()
    {
        var (caseId, taskId) = await DraftAsync();
        var colleague = await ColleagueAsync("tasks.cand", "候选填报人");
        var locked = await ColleagueAsync("tasks.locked", "停用填报人", locked: true);
        var unitId = await UserIdAsync("unit");

        foreach (var reader in new[] { "unit", "finance", "unithead" })
        {
            var list = await Expect(HttpStatusCode.OK, await (await _cases.As(reader)).GetAsync($"/api/cases/{caseId}/tasks/{taskId}/candidates"));
            var candidates = list.EnumerateArray().ToDictionary(c => c.GetProperty("id").GetGuid(), c => c.GetProperty("displayName").GetString());
            Assert.Equal("张晓燕", candidates[unitId]);
            Assert.Equal("候选填报人", candidates[colleague.Id]);
            Assert.DoesNotContain(locked.Id, candidates.Keys);
            Assert.DoesNotContain(await UserIdAsync("unithead"), candidates.Keys);
            Assert.DoesNotContain(await UserIdAsync("unit2"), candidates.Keys);
        }

        // What the page offers: the holder may delegate (a colleague other than themself), the bureau's officer reassign.
        Assert.Contains("delegate", TaskActions(await TaskAsync("unit", caseId)));
        Assert.Contains("reassign", TaskActions(await TaskAsync("finance", caseId)));
        Assert.Contains("reassign", TaskActions(await TaskAsync("admin", caseId)));
        Assert.DoesNotContain("reassign", TaskActions(await TaskAsync("financelead", caseId)));

        var unknown = await Expect(HttpStatusCode.NotFound, await (await _cases.As("unit")).GetAsync($"/api/cases/{caseId}/tasks/{Guid.NewGuid()}/candidates"));
        Assert.Equal("待办不存在", unknown.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Given_a_colleague_with_the_role_When_the_holder_delegates_Then_the_colleague_holds_it_is_told_and_the_history_says_委托()
    {
        var (caseId, taskId) = await DraftAsync();
        var colleague = await ColleagueAsync("tasks.deleg", "委托接手人");
        var version = await _cases.VersionAsync(caseId);

        var done = await Expect(HttpStatusCode.OK, await PostAsync("unit", $"/api/cases/{caseId}/tasks/{taskId}/delegate",
            new { toUserId = colleague.Id, comment = "请代为填报资金情况", expectedVersion = version }));
        Assert.Equal(version + 1, done.GetProperty("version").GetInt32());

        var task = await TaskAsync("finance", caseId);
        Assert.Equal(colleague.Id, task.GetProperty("assigneeUserId").GetGuid());
        Assert.Equal("委托接手人", task.GetProperty("assigneeUserName").GetString());
        var last = await LastHistoryAsync(caseId);
        Assert.Equal("delegate", last.GetProperty("action").GetString());
        Assert.Equal("委托", last.GetProperty("actionLabel").GetString());
        Assert.Equal("委托给 委托接手人：请代为填报资金情况", last.GetProperty("comment").GetString());

        // As from the page: the colleague is told in the app and by mail, in the same transaction.
        var notice = await app.DbAsync(db => db.Notifications.SingleAsync(n => n.RecipientUserId == colleague.Id && n.Event == "TaskAssigned"));
        Assert.Contains("请代为填报资金情况", notice.Body, StringComparison.Ordinal);
        Assert.Equal(1, await app.DbAsync(db => db.Outbox.CountAsync(m => m.RecipientUserId == colleague.Id && m.Event == "TaskAssigned")));

        // Now theirs: the former holder may do nothing with it, the colleague may hand it on.
        Assert.Empty(TaskActions(await TaskAsync("unit", caseId)));
        var refused = await Expect(HttpStatusCode.Forbidden, await PostAsync("unit", $"/api/cases/{caseId}/tasks/{taskId}/delegate",
            new { toUserId = await UserIdAsync("unit"), expectedVersion = version + 1 }));
        Assert.Equal("只有该待办的经办人可以委托。", refused.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Given_a_delegation_to_someone_who_may_not_take_the_task_or_without_a_target_Then_the_field_is_named_and_nothing_changes()
    {
        var (caseId, taskId) = await DraftAsync();
        var version = await _cases.VersionAsync(caseId);
        var url = $"/api/cases/{caseId}/tasks/{taskId}/delegate";

        foreach (var other in new[] { "unithead", "unit2" })
        {
            var refused = await Expect(HttpStatusCode.UnprocessableEntity, await PostAsync("unit", url, new { toUserId = await UserIdAsync(other), expectedVersion = version }));
            Assert.Equal(["被委托人须为同一单位、具有相应角色的用户。"], Errors(refused, "toUserId"));
        }

        var missing = await Expect(HttpStatusCode.BadRequest, await PostAsync("unit", url, new { comment = "请代办", expectedVersion = version }));
        Assert.Contains("toUserId", Errors(missing, "toUserId").Single(), StringComparison.Ordinal);
        var noVersion = await Expect(HttpStatusCode.BadRequest, await PostAsync("unit", url, new { toUserId = await UserIdAsync("unit") }));
        Assert.NotEmpty(Errors(noVersion, "expectedVersion"));

        var tooLong = await Expect(HttpStatusCode.UnprocessableEntity, await PostAsync("unit", url,
            new { toUserId = (await ColleagueAsync("tasks.long", "长意见接手人")).Id, comment = new string('长', 2001), expectedVersion = version }));
        Assert.StartsWith("意见不能超过 2000 字", Errors(tooLong, "comment").Single(), StringComparison.Ordinal);

        Assert.Equal(version, await _cases.VersionAsync(caseId));
        Assert.Equal(JsonValueKind.Null, (await TaskAsync("unit", caseId)).GetProperty("assigneeUserId").ValueKind);
    }

    [Fact]
    public async Task Given_a_task_When_the_finance_officer_reassigns_it_Then_200_and_改派_but_a_unit_user_or_the_lead_get_403()
    {
        var (caseId, taskId) = await DraftAsync();
        var colleague = await ColleagueAsync("tasks.reass", "改派接手人");
        var version = await _cases.VersionAsync(caseId);
        var url = $"/api/cases/{caseId}/tasks/{taskId}/reassign";

        foreach (var user in new[] { "unit", "unithead", "financelead" })
        {
            var refused = await Expect(HttpStatusCode.Forbidden, await PostAsync(user, url, new { toUserId = colleague.Id, expectedVersion = version }));
            Assert.Equal("只有财政局绩效管理员或系统管理员可以改派。", refused.GetProperty("detail").GetString());
        }

        var wrong = await Expect(HttpStatusCode.UnprocessableEntity, await PostAsync("finance", url, new { toUserId = await UserIdAsync("unit2"), expectedVersion = version }));
        Assert.Equal(["改派对象须为该待办所属单位、具有相应角色的用户。"], Errors(wrong, "toUserId"));

        await Expect(HttpStatusCode.OK, await PostAsync("finance", url, new { toUserId = colleague.Id, comment = "原经办人休假", expectedVersion = version }));
        Assert.Equal(colleague.Id, (await TaskAsync("unit", caseId)).GetProperty("assigneeUserId").GetGuid());
        var last = await LastHistoryAsync(caseId);
        Assert.Equal("改派", last.GetProperty("actionLabel").GetString());
        Assert.Equal("改派给 改派接手人：原经办人休假", last.GetProperty("comment").GetString());
        Assert.Equal(1, await app.DbAsync(db => db.Notifications.CountAsync(n => n.RecipientUserId == colleague.Id && n.Event == "TaskAssigned")));
    }

    [Fact]
    public async Task Given_the_administrator_When_altering_the_state_Then_a_reason_is_required_by_name_and_the_history_says_调整状态()
    {
        var (caseId, _) = await DraftAsync();
        var version = await _cases.VersionAsync(caseId);
        var url = $"/api/cases/{caseId}/alter";

        // The states offered: every other state of the flow, to the administrator only.
        var states = (await _cases.CaseAsync("admin", caseId)).GetProperty("alterStates").EnumerateArray()
            .ToDictionary(s => s.GetProperty("id").GetString()!, s => s.GetProperty("label").GetString());
        Assert.Equal("财政审核", states["bureau_review"]);
        Assert.DoesNotContain("draft", states.Keys);
        Assert.Equal(0, (await _cases.CaseAsync("finance", caseId)).GetProperty("alterStates").GetArrayLength());

        var noReason = await Expect(HttpStatusCode.UnprocessableEntity, await PostAsync("admin", url, new { toState = "bureau_review", reason = "  ", expectedVersion = version }));
        Assert.Equal(["调整状态须填写原因。"], Errors(noReason, "reason"));
        var noState = await Expect(HttpStatusCode.UnprocessableEntity, await PostAsync("admin", url, new { toState = "nowhere", reason = "测试", expectedVersion = version }));
        Assert.Equal(["流程中没有状态「nowhere」。"], Errors(noState, "toState"));
        var missing = await Expect(HttpStatusCode.BadRequest, await PostAsync("admin", url, new { reason = "测试", expectedVersion = version }));
        Assert.NotEmpty(Errors(missing, "toState"));
        foreach (var user in new[] { "finance", "unit" })
        {
            var refused = await Expect(HttpStatusCode.Forbidden, await PostAsync(user, url, new { toState = "bureau_review", reason = "测试", expectedVersion = version }));
            Assert.Equal("只有系统管理员可以调整事项状态。", refused.GetProperty("detail").GetString());
        }

        Assert.Equal(version, await _cases.VersionAsync(caseId));

        var altered = await Expect(HttpStatusCode.OK, await PostAsync("admin", url, new { toState = "bureau_review", reason = "单位已线下报送，补录流程", expectedVersion = version }));
        Assert.Equal("bureau_review", altered.GetProperty("state").GetString());
        Assert.Equal("财政审核", altered.GetProperty("stateLabel").GetString());
        var last = await LastHistoryAsync(caseId);
        Assert.Equal("调整状态", last.GetProperty("actionLabel").GetString());
        Assert.Equal("draft", last.GetProperty("from").GetString());
        Assert.Equal("bureau_review", last.GetProperty("to").GetString());
        Assert.Equal("单位已线下报送，补录流程", last.GetProperty("comment").GetString());
        Assert.Equal("FinanceOfficer", (await TaskAsync("finance", caseId)).GetProperty("assigneeRole").GetString());
    }

    [Fact]
    public async Task Given_a_stale_expectedVersion_When_any_task_operation_is_sent_Then_409_with_the_engines_message_and_nothing_changes()
    {
        var (caseId, taskId) = await DraftAsync();
        var colleague = await ColleagueAsync("tasks.stale", "过期接手人");
        var stale = await _cases.VersionAsync(caseId) - 1;
        var task = $"/api/cases/{caseId}/tasks/{taskId}";

        var answers = new[]
        {
            await PostAsync("unit", task + "/claim", new { expectedVersion = stale }),
            await PostAsync("unit", task + "/delegate", new { toUserId = colleague.Id, expectedVersion = stale }),
            await PostAsync("finance", task + "/reassign", new { toUserId = colleague.Id, expectedVersion = stale }),
            await PostAsync("admin", $"/api/cases/{caseId}/alter", new { toState = "bureau_review", reason = "测试", expectedVersion = stale }),
        };
        foreach (var answer in answers)
        {
            var problem = await Expect(HttpStatusCode.Conflict, answer);
            Assert.Equal(FireResult.StaleMessage, problem.GetProperty("detail").GetString());
        }

        Assert.Equal(stale + 1, await _cases.VersionAsync(caseId));
        Assert.Equal("draft", await _cases.StateAsync(caseId));
    }

    [Fact]
    public async Task Given_the_same_Idempotency_Key_When_a_claim_is_sent_twice_Then_the_first_answer_comes_back_and_it_is_claimed_once()
    {
        var (caseId, taskId) = await DraftAsync();
        var version = await _cases.VersionAsync(caseId);
        var key = Guid.NewGuid().ToString("N");
        var url = $"/api/cases/{caseId}/tasks/{taskId}/claim";

        var first = await Expect(HttpStatusCode.OK, await PostAsync("unit", url, new { expectedVersion = version }, key));
        var again = await Expect(HttpStatusCode.OK, await PostAsync("unit", url, new { expectedVersion = version }, key));
        Assert.Equal(first.GetProperty("version").GetInt32(), again.GetProperty("version").GetInt32());
        Assert.Equal(version + 1, await _cases.VersionAsync(caseId));
        var history = (await _cases.CaseAsync("unit", caseId)).GetProperty("history").EnumerateArray();
        Assert.Single(history, h => h.GetProperty("action").GetString() == "claim");

        // Without the key the repeat is stale, as for the actions endpoint.
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync("unit", url, new { expectedVersion = version })).StatusCode);
        var tooLong = await Expect(HttpStatusCode.BadRequest, await PostAsync("unit", url, new { expectedVersion = version + 1 }, new string('k', 201)));
        Assert.NotEmpty(Errors(tooLong, "Idempotency-Key"));
    }

    [Fact]
    public async Task Given_a_user_of_another_unit_Then_the_case_and_its_candidates_are_not_found_and_every_task_operation_is_refused()
    {
        var (caseId, taskId) = await DraftAsync();
        var version = await _cases.VersionAsync(caseId);
        var unit2 = await _cases.As("unit2");
        var task = $"/api/cases/{caseId}/tasks/{taskId}";

        Assert.Equal(HttpStatusCode.NotFound, (await unit2.GetAsync($"/api/cases/{caseId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await unit2.GetAsync(task + "/candidates")).StatusCode);

        // Actions on a record outside the caller's scope answer 403 like one that does not exist (docs/authorization.md).
        var unit2Id = await UserIdAsync("unit2");
        foreach (var (url, body) in new (string, object)[]
        {
            (task + "/claim", new { expectedVersion = version }),
            (task + "/release", new { expectedVersion = version }),
            (task + "/delegate", new { toUserId = unit2Id, expectedVersion = version }),
            (task + "/reassign", new { toUserId = unit2Id, expectedVersion = version }),
        })
        {
            var refused = await Expect(HttpStatusCode.Forbidden, await PostAsync("unit2", url, body));
            Assert.Equal("记录不存在或您无权操作。", refused.GetProperty("detail").GetString());
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync("unit2", $"/api/cases/{caseId}/alter", new { toState = "accepted", reason = "越权", expectedVersion = version })).StatusCode);
        Assert.Equal(version, await _cases.VersionAsync(caseId));
    }

    [Fact]
    public async Task Given_the_OpenAPI_document_Then_the_task_operations_have_a_summary_their_body_the_answer_and_the_Idempotency_Key()
    {
        using var anonymous = app.Anonymous();
        var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = document.GetProperty("paths");
        var posts = new Dictionary<string, string[]>
        {
            ["/api/cases/{id}/tasks/{workItemId}/claim"] = ["expectedVersion"],
            ["/api/cases/{id}/tasks/{workItemId}/release"] = ["expectedVersion"],
            ["/api/cases/{id}/tasks/{workItemId}/delegate"] = ["toUserId", "comment", "expectedVersion"],
            ["/api/cases/{id}/tasks/{workItemId}/reassign"] = ["toUserId", "comment", "expectedVersion"],
            ["/api/cases/{id}/alter"] = ["toState", "reason", "expectedVersion"],
        };
        foreach (var (path, fields) in posts)
        {
            var operation = paths.GetProperty(path).GetProperty("post");
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), path);
            var body = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;
            var schema = document.GetProperty("components").GetProperty("schemas").GetProperty(body[(body.LastIndexOf('/') + 1)..]);
            Assert.All(fields, f => Assert.True(schema.GetProperty("properties").TryGetProperty(f, out _), $"{path}: {f}"));
            Assert.Contains(operation.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "Idempotency-Key");
            var responses = operation.GetProperty("responses");
            Assert.EndsWith("/FireResponse", responses.GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString(), StringComparison.Ordinal);
            foreach (var status in new[] { "400", "403", "409", "422" })
            {
                Assert.True(responses.TryGetProperty(status, out _), $"{path}: {status}");
            }
        }

        var candidates = paths.GetProperty("/api/cases/{id}/tasks/{workItemId}/candidates").GetProperty("get");
        Assert.False(string.IsNullOrWhiteSpace(candidates.GetProperty("summary").GetString()));
        Assert.True(candidates.GetProperty("responses").TryGetProperty("404", out _));
        Assert.Equal("array", candidates.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("type").GetString());
    }
}
