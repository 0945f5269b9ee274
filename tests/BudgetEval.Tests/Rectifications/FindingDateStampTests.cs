using System.Net;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Rectifications;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.Rectifications;

/// <summary>
/// The finding page's 申请延期 and 部分整改的新整改期限 forms and the new deadline typed beside 部分整改 on the case page
/// carry the finding's stamp: a save made on a page opened before someone else's is refused (naming the date where
/// there is one), keeps what was typed, saves nothing; the page then carries the new stamp, so saving again overwrites knowingly.
/// </summary>
public sealed partial class FindingDateStampTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_unit_page_opened_before_a_colleague_saved_the_plan_When_it_asks_for_an_extension_Then_it_is_refused_keeping_date_and_reason_and_the_next_click_asks()
    {
        var api = new RectificationApi(app);
        var (id, caseId) = await api.RegisterAsync("专项资金拨付滞后", new DateOnly(2026, 5, 1));
        var first = await app.SignInAsync("unit");
        var second = await app.SignInAsync("unit");
        var firstPage = await first.GetStringAsync($"/findings/{id}");
        var secondPage = await second.GetStringAsync($"/findings/{id}");
        Assert.Equal(await api.StampAsync("unit", id), FormStamp(secondPage, "extension-form")); // the page's stamp is the API's

        Assert.Equal(HttpStatusCode.Redirect, (await RectificationWalk.RectificationPages.PlanAsync(first, id, "完善拨付制度。", "李会计", "2026-04-30")).StatusCode);

        var refused = await RectificationWalk.RectificationPages.ExtensionAsync(second, id, "2026-07-31", "资金到位需跨季度。", secondPage);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains(FindingModel.ExtensionConflictMessage, html, StringComparison.Ordinal);
        Assert.Matches("<form[^>]*data-testid=\"extension-form\"[^>]*data-unsaved=\"true\"", html);
        Assert.Contains("value=\"2026-07-31\"", RectificationWalk.RectificationPages.ExtensionForm(html), StringComparison.Ordinal); // typed date kept
        Assert.Contains("资金到位需跨季度。</textarea>", html, StringComparison.Ordinal); // typed reason kept
        Assert.Null(await RequestedAsync(id));
        Assert.Equal("planning", await api.Cases.StateAsync(caseId));

        // The refusal's page carries the finding and the case as they are now: asking from it again is deliberate.
        Assert.NotEqual(FormStamp(secondPage, "extension-form"), FormStamp(html, "extension-form"));
        var again = await RectificationWalk.RectificationPages.ExtensionAsync(second, id, "2026-07-31", "资金到位需跨季度。", html);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(new DateOnly(2026, 7, 31), await RequestedAsync(id));
        Assert.Equal("planning_extension", await api.Cases.StateAsync(caseId));
        Assert.Equal("完善拨付制度。", await app.DbAsync(db => db.Findings.Where(f => f.Id == id).Select(f => f.PlanMeasures).SingleAsync())); // the colleague's plan stays
    }

    [Fact]
    public async Task Given_two_officers_on_a_finding_awaiting_verification_When_both_save_the_next_deadline_Then_the_second_is_refused_and_a_current_stamp_saves()
    {
        var api = new RectificationApi(app);
        var (id, caseId) = await api.RegisterAsync("往来款长期挂账", new DateOnly(2026, 5, 1));
        await api.PlanAndReportAsync(id, caseId);
        var first = await app.SignInAsync("finance");
        var second = await app.SignInAsync("finance");
        var firstPage = await first.GetStringAsync($"/findings/{id}");
        var secondPage = await second.GetStringAsync($"/findings/{id}");

        var saved = await PostAsync(first, firstPage, id, "NextDeadline", "2026-08-31", FormStamp(firstPage, "next-deadline-form"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var refused = await PostAsync(second, secondPage, id, "NextDeadline", "2026-09-30", FormStamp(secondPage, "next-deadline-form"));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("该问题在您打开页面后已被他人修改（本次保存未生效）：「部分整改的新整改期限」现为2026年8月31日。", html, StringComparison.Ordinal);
        Assert.Contains("id=\"next\" name=\"deadline\" type=\"date\" value=\"2026-09-30\"", html, StringComparison.Ordinal);
        Assert.Equal(new DateOnly(2026, 8, 31), await NextAsync(id));

        var again = await PostAsync(second, html, id, "NextDeadline", "2026-09-30", FormStamp(html, "next-deadline-form"));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(new DateOnly(2026, 9, 30), await NextAsync(id));

        // A form without its stamp saves nothing either.
        var bare = await second.PostAsync($"/findings/{id}?handler=NextDeadline", new FormUrlEncodedContent(
            [new("deadline", "2026-10-31"), new("__RequestVerificationToken", AppFixture.AntiforgeryToken(html))]));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bare.StatusCode);
        Assert.Contains("页面缺少版本标记", WebUtility.HtmlDecode(await bare.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(new DateOnly(2026, 9, 30), await NextAsync(id));
    }

    [Fact]
    public async Task Given_a_case_page_opened_before_another_officer_saved_the_next_deadline_When_partial_is_pressed_Then_it_is_refused_keeping_the_date_and_pressing_again_acts()
    {
        var api = new RectificationApi(app);
        var (id, caseId) = await api.RegisterAsync("政府采购程序不规范", new DateOnly(2026, 5, 1));
        await api.PlanAndReportAsync(id, caseId);
        var officer = await app.SignInAsync("finance");
        var casePage = await officer.GetStringAsync($"/cases/{caseId}");
        var version = await api.Cases.VersionAsync(caseId);

        // Meanwhile a colleague saves another date on the finding page: the case's version does not move with it.
        var colleague = await app.SignInAsync("finance");
        var findingPage = await colleague.GetStringAsync($"/findings/{id}");
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(colleague, findingPage, id, "NextDeadline", "2026-08-31", FormStamp(findingPage, "next-deadline-form"))).StatusCode);
        Assert.Equal(version, await api.Cases.VersionAsync(caseId));

        var refused = await FirePartialAsync(officer, casePage, caseId, version, "2026-09-30", FormStamp(casePage, "wf-action\" data-action=\"partial"));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        var shown = WebUtility.HtmlDecode(await officer.GetStringAsync($"/cases/{caseId}"));
        Assert.Contains("该问题在您打开页面后已被他人修改（本次「部分整改」未生效）：「新整改期限」现为2026年8月31日。", shown, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"next-deadline-error\"", shown, StringComparison.Ordinal); // beside the box
        Assert.Matches("id=\"next-deadline\" name=\"nextDeadline\" type=\"date\" value=\"2026-09-30\"", shown); // typed date kept
        Assert.Equal(new DateOnly(2026, 8, 31), await NextAsync(id));
        Assert.Equal("verifying", await api.Cases.StateAsync(caseId));

        var again = await FirePartialAsync(officer, shown, caseId, version, "2026-09-30", FormStamp(shown, "wf-action\" data-action=\"partial"));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal("implementing", await api.Cases.StateAsync(caseId));
        var deadline = await app.DbAsync(db => db.Findings.Where(f => f.Id == id).Select(f => f.Deadline).SingleAsync());
        Assert.Equal(new DateOnly(2026, 9, 30), deadline);
    }

    [Fact]
    public async Task Given_two_case_pages_When_one_officer_acts_with_partial_Then_the_others_partial_is_refused_by_the_case_version_and_the_first_deadline_stays()
    {
        var api = new RectificationApi(app);
        var (id, caseId) = await api.RegisterAsync("公务用车管理不严", new DateOnly(2026, 5, 1));
        await api.PlanAndReportAsync(id, caseId);
        var first = await app.SignInAsync("finance");
        var second = await app.SignInAsync("finance");
        var firstPage = await first.GetStringAsync($"/cases/{caseId}");
        var secondPage = await second.GetStringAsync($"/cases/{caseId}");
        var version = await api.Cases.VersionAsync(caseId);

        Assert.Equal(HttpStatusCode.Redirect, (await FirePartialAsync(first, firstPage, caseId, version, "2026-08-31", FormStamp(firstPage, "wf-action\" data-action=\"partial"))).StatusCode);
        Assert.Equal("implementing", await api.Cases.StateAsync(caseId));

        await FirePartialAsync(second, secondPage, caseId, version, "2026-12-31", FormStamp(secondPage, "wf-action\" data-action=\"partial"));
        Assert.Contains(CaseModel.StaleReloaded, WebUtility.HtmlDecode(await second.GetStringAsync($"/cases/{caseId}")), StringComparison.Ordinal);
        var finding = await app.DbAsync(db => db.Findings.AsNoTracking().SingleAsync(f => f.Id == id));
        Assert.Equal(new DateOnly(2026, 8, 31), finding.Deadline);
        Assert.Null(finding.NextDeadline);
    }

    [Fact]
    public async Task Given_partial_fired_with_its_new_deadline_When_the_action_is_refused_after_the_date_was_written_Then_nothing_of_it_is_saved()
    {
        var api = new RectificationApi(app);
        var (id, caseId) = await api.RegisterAsync("资产处置未报批", new DateOnly(2026, 5, 1));
        await api.PlanAndReportAsync(id, caseId);
        var version = await api.Cases.VersionAsync(caseId);

        var principal = await app.PrincipalAsync("finance");
        using var scope = app.SignedInScope(principal);
        var engine = scope.ServiceProvider.GetRequiredService<WorkflowEngine>();

        // The prepare step writes a date the guard NewDeadlineSet then refuses (one in the past): the action is
        // refused, and the date written in its transaction goes with it.
        var refused = await engine.FireAsync(caseId, "partial", WorkflowActor.From(principal), "尚有一项未整改完毕。", version, null, CancellationToken.None,
            async (context, ct) =>
            {
                (await context.Db.Findings.SingleAsync(f => f.Id == id, ct)).NextDeadline = new DateOnly(2020, 1, 1);
                return null;
            });

        Assert.Equal(FireStatus.Invalid, refused.Status);
        Assert.Null(await NextAsync(id));
        Assert.Equal(version, await api.Cases.VersionAsync(caseId));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string page, Guid id, string handler, string deadline, string stamp) =>
        await client.PostAsync($"/findings/{id}?handler={handler}", new FormUrlEncodedContent(
            [new("deadline", deadline), new("stamp", stamp), new("__RequestVerificationToken", AppFixture.AntiforgeryToken(page))]));

    private static async Task<HttpResponseMessage> FirePartialAsync(HttpClient client, string page, Guid caseId, int version, string nextDeadline, string stamp) =>
        await client.PostAsync($"/cases/{caseId}?handler=Fire", new FormUrlEncodedContent(
            [new("action", "partial"), new("expectedVersion", $"{version}"), new("comment", "尚有一项未整改完毕。"), new("nextDeadline", nextDeadline),
             new("stamp", stamp), new("__RequestVerificationToken", AppFixture.AntiforgeryToken(page))]));

    private Task<DateOnly?> RequestedAsync(Guid id) => app.DbAsync(db => db.Findings.Where(f => f.Id == id).Select(f => f.RequestedDeadline).SingleAsync());

    private Task<DateOnly?> NextAsync(Guid id) => app.DbAsync(db => db.Findings.Where(f => f.Id == id).Select(f => f.NextDeadline).SingleAsync());

    /// <summary>The stamp inside the form whose opening tag contains <paramref name="marker"/>.</summary>
    private static string FormStamp(string html, string marker)
    {
        var start = html.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no form {marker} on the page");
        var form = html[start..html.IndexOf("</form>", start, StringComparison.Ordinal)];
        return StampField().Match(form) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"no stamp in the form {marker}");
    }

    [GeneratedRegex("name=\"stamp\" value=\"([0-9a-f]{16})\"")]
    private static partial Regex StampField();
}
