using System.Net;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.Workflows;

/// <summary>Every action of 自评审核 in every state, by every kind of user, including a unit head of another unit.</summary>
public sealed class ReviewFlowTransitionTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly string[] States = ["draft", "unit_review", "bureau_review", "returned", "accepted"];
    private static readonly string[] Actions = ["submit", "approve", "return", "accept", "resubmit"];
    private static readonly string[] Users = ["unit", "unithead", "unithead2", "unit2", "finance", "financelead", "evaluator", "admin"];

    // The only legal moves: (state, action) -> (user, target).
    private static readonly Dictionary<(string State, string Action), (string User, string Target)> Legal = new()
    {
        [("draft", "submit")] = ("unit", "unit_review"),
        [("unit_review", "approve")] = ("unithead", "bureau_review"),
        [("unit_review", "return")] = ("unithead", "draft"),
        [("bureau_review", "accept")] = ("finance", "accepted"),
        [("bureau_review", "return")] = ("finance", "returned"),
        [("returned", "resubmit")] = ("unit", "unit_review"),
    };

    private readonly CaseApi _api = new(app);

    public static TheoryData<string, string> StatesAndUsers()
    {
        var data = new TheoryData<string, string>();
        foreach (var state in States)
        {
            foreach (var user in Users)
            {
                data.Add(state, user);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(StatesAndUsers))]
    public async Task Given_a_case_in_a_state_When_a_user_fires_each_action_Then_only_the_legal_one_moves_it(string state, string user)
    {
        await EnsureSecondUnitHeadAsync();
        foreach (var action in Actions)
        {
            var caseId = await _api.CaseInStateAsync(state);
            var before = await _api.CaseAsync("finance", caseId);
            var response = await _api.FireAsync(user, caseId, action, comment: "意见", expectedVersion: before.GetProperty("version").GetInt32());
            var body = await response.Content.ReadAsStringAsync();
            var outsider = user is "unit2" or "unithead2" or "evaluator";

            if (Legal.TryGetValue((state, action), out var legal) && legal.User == user)
            {
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{state}/{action}/{user}: {body}");
                Assert.Equal(legal.Target, await _api.StateAsync(caseId));
                continue;
            }

            // Out-of-scope users do not even learn that the case exists: their action is refused like a missing case's.
            var expected = outsider ? HttpStatusCode.Forbidden
                : !Legal.ContainsKey((state, action)) ? HttpStatusCode.UnprocessableEntity
                : HttpStatusCode.Forbidden;
            Assert.True(expected == response.StatusCode, $"{state}/{action}/{user}: expected {expected}, got {(int)response.StatusCode} {body}");
            var after = await _api.CaseAsync("finance", caseId);
            Assert.Equal(state, after.GetProperty("state").GetString());
            Assert.Equal(before.GetProperty("version").GetInt32(), after.GetProperty("version").GetInt32());
        }
    }

    [Fact]
    public async Task Given_unit_review_When_the_head_of_another_unit_approves_Then_403_and_nothing_changes()
    {
        await EnsureSecondUnitHeadAsync();
        var caseId = await _api.CaseInStateAsync("unit_review");
        var response = await _api.FireAsync("unithead2", caseId, "approve", expectedVersion: await _api.VersionAsync(caseId));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("unit_review", await _api.StateAsync(caseId));
    }

    [Fact]
    public async Task Given_an_incomplete_draft_When_submitted_Then_all_guard_failures_come_back_together_in_Chinese()
    {
        var (_, caseId) = await _api.CreateAsync(complete: false);
        var response = await _api.FireAsync("unit", caseId, "submit");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("请填写自评概述。", body, StringComparison.Ordinal);
        Assert.Contains("请填写全年预算数（万元）。", body, StringComparison.Ordinal);
        Assert.Equal("draft", await _api.StateAsync(caseId));
    }

    [Theory]
    [InlineData("unit_review", "unithead", "return")]
    [InlineData("bureau_review", "finance", "return")]
    public async Task Given_a_return_When_no_comment_is_given_Then_422_asks_for_one(string state, string user, string action)
    {
        var caseId = await _api.CaseInStateAsync(state);
        var response = await _api.FireAsync(user, caseId, action, comment: "  ");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("须填写意见", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(state, await _api.StateAsync(caseId));
    }

    [Fact]
    public async Task Given_the_full_cycle_When_returned_and_resubmitted_Then_versions_history_work_items_and_notifications_follow()
    {
        var (id, caseId) = await _api.CreateAsync();
        var unitInbox = await InboxCountAsync("unit");
        await _api.FireOkAsync("unit", caseId, "submit");
        Assert.Equal(unitInbox - 1, await InboxCountAsync("unit"));
        var headItem = JsonDocument.Parse(await (await _api.As("unithead")).GetStringAsync("/api/inbox")).RootElement.GetProperty("items").EnumerateArray()
            .Single(w => w.GetProperty("caseId").GetGuid() == caseId);
        Assert.Equal("长沙市望城区社会治理服务中心", headItem.GetProperty("unit").GetString()); // whose record it is, as the 待办 page shows
        await _api.FireOkAsync("unithead", caseId, "approve");
        await _api.FireOkAsync("finance", caseId, "return", "请补充绩效目标完成情况。");

        // The unit sees the task again, and the comment in the history.
        Assert.Contains(caseId.ToString(), await (await _api.As("unit")).GetStringAsync("/api/inbox"), StringComparison.Ordinal);
        var view = await _api.CaseAsync("unit", caseId);
        Assert.Contains(view.GetProperty("history").EnumerateArray(), h => h.GetProperty("comment").GetString() == "请补充绩效目标完成情况。");
        Assert.Contains(view.GetProperty("allowedActions").EnumerateArray(), a => a.GetProperty("id").GetString() == "resubmit");

        await _api.FireOkAsync("unit", caseId, "resubmit");
        await _api.FireOkAsync("unithead", caseId, "approve");
        await _api.FireOkAsync("finance", caseId, "accept");

        var final = await _api.CaseAsync("unit", caseId);
        Assert.Equal("accepted", final.GetProperty("state").GetString());
        Assert.Empty(final.GetProperty("openWorkItems").EnumerateArray());
        Assert.Equal(7, final.GetProperty("history").GetArrayLength()); // start + 6 actions

        var (versions, notifications, openItems, reviewed) = await app.DbAsync(async db => (
            await db.SelfEvaluationVersions.CountAsync(v => v.SelfEvaluationId == id),
            await db.Notifications.CountAsync(n => n.Link == $"/cases/{caseId}"),
            await db.WorkItems.CountAsync(w => w.InstanceId == caseId && w.Status == BudgetEval.Web.Workflows.WorkItemStatus.Open),
            (await db.SelfEvaluations.SingleAsync(s => s.Id == id)).LastReviewedVersion));
        Assert.Equal(2, versions);
        Assert.True(notifications >= 6, $"notifications: {notifications}");
        Assert.Equal(0, openItems);
        Assert.Equal(2, reviewed);
    }

    [Fact]
    public async Task Given_a_deadline_in_the_past_When_submitted_Then_accepted_and_marked_late()
    {
        var (id, caseId) = await _api.CreateAsync(deadline: new DateOnly(2026, 2, 27));
        await _api.FireOkAsync("unit", caseId, "submit");
        var view = await _api.CaseAsync("unit", caseId);
        Assert.True(view.GetProperty("isLate").GetBoolean());
        Assert.True(await app.DbAsync(db => db.SelfEvaluationVersions.AnyAsync(v => v.SelfEvaluationId == id && v.IsLate)));
    }

    [Fact]
    public async Task Given_a_late_submission_returned_When_resubmitted_on_time_Then_the_record_is_no_longer_late_and_each_version_keeps_its_mark()
    {
        var (id, caseId) = await _api.CreateAsync(deadline: new DateOnly(2026, 2, 27));
        await _api.FireOkAsync("unit", caseId, "submit"); // 2026-03-02: late
        await _api.FireOkAsync("unithead", caseId, "return", "请补充说明。");
        // The deadline moves past today, as a 计划变更 moves an open case's.
        await app.DbAsync(db => db.WorkflowInstances.Where(i => i.Id == caseId).ExecuteUpdateAsync(u => u.SetProperty(i => i.PlanDeadline, new DateOnly(2026, 3, 31))));
        await _api.FireOkAsync("unit", caseId, "submit");

        Assert.False((await _api.CaseAsync("unit", caseId)).GetProperty("isLate").GetBoolean());
        Assert.False(await app.DbAsync(db => db.SelfEvaluations.Where(s => s.Id == id).Select(s => s.IsLate).SingleAsync()));
        Assert.Equal([true, false], await app.DbAsync(db => db.SelfEvaluationVersions.Where(v => v.SelfEvaluationId == id).OrderBy(v => v.VersionNo).Select(v => v.IsLate).ToListAsync()));
    }

    [Fact]
    public async Task Given_a_submitted_self_evaluation_When_the_unit_edits_it_Then_409_but_in_draft_it_saves()
    {
        var (id, caseId) = await _api.CreateAsync();
        var client = await _api.As("unit");
        var current = JsonDocument.Parse(await client.GetStringAsync($"/api/self-evaluations/{id}")).RootElement;
        var ok = await client.PutAsync($"/api/self-evaluations/{id}", System.Net.Http.Json.JsonContent.Create(new
        {
            summary = "修改后的概述", totalBudget = 979.565m, expectedVersion = current.GetProperty("version").GetUInt32(),
        }));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var saved = JsonDocument.Parse(await ok.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(979.57m, saved.GetProperty("totalBudget").GetDecimal());

        var stale = await client.PutAsync($"/api/self-evaluations/{id}", System.Net.Http.Json.JsonContent.Create(new
        {
            summary = "再改", expectedVersion = current.GetProperty("version").GetUInt32(),
        }));
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);

        await _api.FireOkAsync("unit", caseId, "submit");
        var afterSubmit = JsonDocument.Parse(await client.GetStringAsync($"/api/self-evaluations/{id}")).RootElement;
        var refused = await client.PutAsync($"/api/self-evaluations/{id}", System.Net.Http.Json.JsonContent.Create(new
        {
            summary = "提交后修改", expectedVersion = afterSubmit.GetProperty("version").GetUInt32(),
        }));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);

        var other = await (await _api.As("unit2")).GetAsync($"/api/self-evaluations/{id}");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    private async Task<int> InboxCountAsync(string user) =>
        JsonDocument.Parse(await (await _api.As(user)).GetStringAsync("/api/inbox")).RootElement.GetProperty("count").GetInt32();

    private static readonly SemaphoreSlim Once = new(1, 1);

    /// <summary>The demo has one unit head; a second one, of 教育局, shows that scope and not only role decides.</summary>
    private async Task EnsureSecondUnitHeadAsync()
    {
        await Once.WaitAsync();
        try
        {
            using var scope = app.Factory.Services.CreateScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            if (await users.FindByNameAsync("unithead2") is not null)
            {
                return;
            }

            var education = await app.OrganisationIdAsync(DemoSeeder.EducationBureau);
            var user = new AppUser { UserName = "unithead2", DisplayName = "周明", OrganisationId = education, CreatedAt = AppFactory.DefaultNow };
            Assert.True((await users.CreateAsync(user, AppFixture.DemoPassword)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, Roles.UnitHead)).Succeeded);
        }
        finally
        {
            Once.Release();
        }
    }
}
