using System.Net;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Admin;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Workflows;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.EngineRefusals;

/// <summary>
/// The case page's 委托, 改派 and 调整状态 forms: a refusal about one of their inputs is shown beside it, marks it invalid
/// and describes it, and the form comes back as it was sent (the note, the reason, the chosen person or state).
/// </summary>
public sealed class HandOverPageTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly CaseApi _cases = new(app);

    private Task<HttpResponseMessage> PostAsync(HttpClient client, Guid caseId, string handler, params (string Name, string Value)[] fields) =>
        client.PostFormAsync($"/cases/{caseId}", fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)), $"/cases/{caseId}?handler={handler}");

    private Task<Guid> OpenTaskAsync(Guid caseId) =>
        app.DbAsync(db => db.WorkItems.Where(w => w.InstanceId == caseId && w.Status == WorkItemStatus.Open).Select(w => w.Id).SingleAsync());

    /// <summary>Two more 单位填报人 of the centre, so whom the task went to is a choice.</summary>
    private async Task<(Guid First, Guid Second)> ColleaguesAsync()
    {
        var centre = await app.SocialGovernanceCentreAsync();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        return (await app.CreateUnitUserAsync($"handover.a.{suffix}", centre), await app.CreateUnitUserAsync($"handover.b.{suffix}", centre));
    }

    /// <summary>The opening tag of the element with that id (its attributes).</summary>
    private static string Tag(string page, string element, string id)
    {
        var m = Regex.Match(page, $"<{element}(?=[^>]*\\bid=\"{Regex.Escape(id)}\")([^>]*)>");
        Assert.True(m.Success, $"no <{element} id=\"{id}\">");
        return m.Groups[1].Value;
    }

    private static string Attribute(string tag, string name) =>
        Regex.Match(tag, $"\\b{name}=\"([^\"]*)\"") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException($"no {name} in {tag}");

    /// <summary>The values of the options marked selected in the select with that id.</summary>
    private static string[] Selected(string page, string id)
    {
        var m = Regex.Match(page, $"<select[^>]*\\bid=\"{Regex.Escape(id)}\"[^>]*>([\\s\\S]*?)</select>");
        Assert.True(m.Success, $"no select {id}");
        return [.. Regex.Matches(m.Groups[1].Value, "<option value=\"([^\"]*)\" selected=\"selected\"").Select(o => o.Groups[1].Value)];
    }

    [Fact]
    public async Task Given_an_alteration_without_a_reason_When_refused_Then_the_message_is_beside_the_reason_box_and_the_chosen_state_is_still_selected()
    {
        var caseId = await _cases.CaseInStateAsync("bureau_review");
        var admin = await app.SignInAsync("admin");
        var blank = await admin.GetStringAsync($"/cases/{caseId}");
        Assert.Contains("<label for=\"toState\">目标状态（必填）</label>", blank, StringComparison.Ordinal);
        Assert.Contains("<label for=\"reason\">原因（必填）</label>", blank, StringComparison.Ordinal);
        // Not the first state offered: "still selected" could not be the browser's default.
        Assert.DoesNotMatch("<select id=\"toState\"[^>]*><option value=\"returned\"", blank);

        var refused = await PostAsync(admin, caseId, "Alter", ("toState", "returned"), ("reason", ""), ("expectedVersion", $"{await _cases.VersionAsync(caseId)}"));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        var page = await admin.GetStringAsync($"/cases/{caseId}");

        var reason = Tag(page, "textarea", "reason");
        Assert.Equal("true", Attribute(reason, "aria-invalid"));
        Assert.Equal("reason-error reason-count", Attribute(reason, "aria-describedby"));
        Assert.Matches("<p class=\"field-error\" id=\"reason-error\"[^>]*>调整状态须填写原因。</p>", page);
        Assert.Equal(["returned"], Selected(page, "toState"));
        Assert.DoesNotContain("aria-invalid", Tag(page, "select", "toState"), StringComparison.Ordinal);
        // The summary still says it and takes the reader to the box.
        Assert.Matches("data-testid=\"case-errors\"[\\s\\S]*?<a href=\"#reason\">调整状态须填写原因。</a>", page);
        Assert.Equal("bureau_review", await _cases.StateAsync(caseId));

        // Shown once: a reload offers the form afresh.
        var reloaded = await admin.GetStringAsync($"/cases/{caseId}");
        Assert.DoesNotContain("aria-invalid", Tag(reloaded, "textarea", "reason"), StringComparison.Ordinal);
        Assert.Empty(Selected(reloaded, "toState"));
    }

    [Fact]
    public async Task Given_an_alteration_to_no_state_of_the_flow_When_refused_Then_the_message_is_beside_the_state_select_and_the_reason_is_kept()
    {
        var caseId = await _cases.CaseInStateAsync("bureau_review");
        var admin = await app.SignInAsync("admin");
        const string typed = "单位申请撤回修改「2027-03-01」";

        var refused = await PostAsync(admin, caseId, "Alter", ("toState", "nowhere"), ("reason", typed), ("expectedVersion", $"{await _cases.VersionAsync(caseId)}"));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        var page = await admin.GetStringAsync($"/cases/{caseId}");

        var select = Tag(page, "select", "toState");
        Assert.Equal("true", Attribute(select, "aria-invalid"));
        Assert.Equal("toState-error", Attribute(select, "aria-describedby"));
        Assert.Matches("<p class=\"field-error\" id=\"toState-error\"[^>]*>流程中没有状态「nowhere」。</p>", page);
        var box = Regex.Match(page, "<textarea id=\"reason\"([^>]*)>([^<]*)</textarea>");
        Assert.Equal(typed, WebUtility.HtmlDecode(box.Groups[2].Value));
        Assert.DoesNotContain("aria-invalid", box.Groups[1].Value, StringComparison.Ordinal);
        Assert.Equal("bureau_review", await _cases.StateAsync(caseId));
    }

    [Fact]
    public async Task Given_an_over_long_alteration_reason_When_refused_Then_the_reason_message_is_shown_once_beside_its_box_and_the_text_is_kept()
    {
        var caseId = await _cases.CaseInStateAsync("bureau_review");
        var admin = await app.SignInAsync("admin");
        var typed = "单位申请撤回。" + new string('补', WorkflowEngine.MaxCommentLength);
        var expected = $"原因不能超过 {WorkflowEngine.MaxCommentLength} 字（现 {typed.Length} 字）。";

        var refused = await PostAsync(admin, caseId, "Alter", ("toState", "returned"), ("reason", typed), ("expectedVersion", $"{await _cases.VersionAsync(caseId)}"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();

        var reason = Tag(page, "textarea", "reason");
        Assert.Equal("true", Attribute(reason, "aria-invalid"));
        Assert.Matches($"<p class=\"field-error\" id=\"reason-error\"[^>]*>{Regex.Escape(expected)}</p>", page);
        // Once beside the box and once in the summary: the page's own length check and the engine's must not both speak.
        Assert.Equal(2, Regex.Count(page, Regex.Escape(expected)));
        Assert.DoesNotContain("意见不能超过", page, StringComparison.Ordinal);
        var box = Regex.Match(page, "<textarea id=\"reason\"[^>]*>([^<]*)</textarea>");
        Assert.Equal(typed, WebUtility.HtmlDecode(box.Groups[1].Value));
        Assert.Equal("bureau_review", await _cases.StateAsync(caseId));
    }

    [Fact]
    public async Task Given_an_over_long_delegate_note_When_refused_Then_it_is_kept_in_its_box_marked_invalid_with_the_message_beside_it()
    {
        var (_, caseId) = await _cases.CreateAsync();
        var (_, second) = await ColleaguesAsync();
        var task = await OpenTaskAsync(caseId);
        var unit = await app.SignInAsync("unit");
        var noteId = $"delegate-{task:N}-comment";
        var toId = $"delegate-{task:N}-toUserId";
        var blank = await unit.GetStringAsync($"/cases/{caseId}");
        Assert.Contains($"<label for=\"{toId}\">委托给（必填）</label>", blank, StringComparison.Ordinal);
        Assert.DoesNotContain("aria-invalid", Tag(blank, "input", noteId), StringComparison.Ordinal);
        var typed = "请代为填报资金情况。" + new string('补', WorkflowEngine.MaxCommentLength);

        var refused = await PostAsync(unit, caseId, "Delegate",
            ("workItemId", $"{task}"), ("toUserId", $"{second}"), ("comment", typed), ("expectedVersion", $"{await _cases.VersionAsync(caseId)}"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();

        var note = Tag(page, "input", noteId);
        Assert.Equal(typed, Attribute(note, "value"));
        Assert.Equal("true", Attribute(note, "aria-invalid"));
        Assert.Equal($"{noteId}-error", Attribute(note, "aria-describedby"));
        Assert.Matches($"<span class=\"field-error\" id=\"{noteId}-error\"[^>]*>意见不能超过 {WorkflowEngine.MaxCommentLength} 字（现 {typed.Length} 字）。</span>", page);
        // The person chosen is still chosen; the select itself is not at fault.
        Assert.Equal([$"{second}"], Selected(page, toId));
        Assert.DoesNotContain("aria-invalid", Tag(page, "select", toId), StringComparison.Ordinal);
        Assert.Matches($"data-testid=\"case-errors\"[\\s\\S]*?<a href=\"#{noteId}\">意见不能超过", page);
        Assert.Null(await app.DbAsync(db => db.WorkItems.Where(w => w.Id == task).Select(w => w.AssigneeUserId).SingleAsync()));
    }

    [Fact]
    public async Task Given_a_reassignment_to_someone_who_may_not_take_the_task_When_refused_Then_the_message_is_beside_the_user_select_and_the_note_is_kept()
    {
        var (_, caseId) = await _cases.CreateAsync();
        await ColleaguesAsync();
        var task = await OpenTaskAsync(caseId);
        var finance = await app.SignInAsync("finance");
        var toId = $"reassign-{task:N}-toUserId";
        var noteId = $"reassign-{task:N}-comment";

        var refused = await PostAsync(finance, caseId, "Reassign",
            ("workItemId", $"{task}"), ("toUserId", $"{Guid.NewGuid()}"), ("comment", "原经办人休假"), ("expectedVersion", $"{await _cases.VersionAsync(caseId)}"));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        var page = await finance.GetStringAsync($"/cases/{caseId}");

        Assert.Contains($"<label for=\"{toId}\">改派给（必填）</label>", page, StringComparison.Ordinal);
        var select = Tag(page, "select", toId);
        Assert.Equal("true", Attribute(select, "aria-invalid"));
        Assert.Equal($"{toId}-error", Attribute(select, "aria-describedby"));
        Assert.Matches($"<span class=\"field-error\" id=\"{toId}-error\"[^>]*>改派对象须为该待办所属单位、具有相应角色的用户。</span>", page);
        var note = Tag(page, "input", noteId);
        Assert.Equal("原经办人休假", Attribute(note, "value"));
        Assert.DoesNotContain("aria-invalid", note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_colleague_chosen_and_a_note_When_the_holder_delegates_from_the_page_Then_the_task_is_theirs_and_nothing_is_marked()
    {
        var (_, caseId) = await _cases.CreateAsync();
        var (first, _) = await ColleaguesAsync();
        var task = await OpenTaskAsync(caseId);
        var unit = await app.SignInAsync("unit");

        var done = await PostAsync(unit, caseId, "Delegate",
            ("workItemId", $"{task}"), ("toUserId", $"{first}"), ("comment", "请代为填报资金情况"), ("expectedVersion", $"{await _cases.VersionAsync(caseId)}"));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var page = await unit.GetStringAsync($"/cases/{caseId}");

        Assert.Contains("已委托。", page, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"field-error\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"case-errors\"", page, StringComparison.Ordinal);
        Assert.Equal(first, await app.DbAsync(db => db.WorkItems.Where(w => w.Id == task).Select(w => w.AssigneeUserId).SingleAsync()));
        var last = await app.DbAsync(db => db.WorkflowHistory.Where(h => h.InstanceId == caseId).OrderByDescending(h => h.Seq).Select(h => h.Comment).FirstAsync());
        Assert.Equal("委托给 测试用户：请代为填报资金情况", last);
    }
}
