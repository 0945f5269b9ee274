using System.Net;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.FirmReview2;

/// <summary>
/// A firm's notices outlive its access to the evaluation (accepted, or given to another firm): the notice stays readable in
/// 通知, but instead of 查看事项 — whose case page now answers 404, by design — it says why it can no longer be opened.
/// </summary>
public sealed partial class FirmNoticeTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string FirmNote = BudgetEval.Web.Notifications.IndexModel.FirmGoneNote;

    private readonly EvaluationApi _api = new(app);

    [Fact]
    public async Task Given_an_accepted_and_a_running_evaluation_When_the_firm_reads_its_notices_Then_the_accepted_ones_say_why_without_a_link_and_the_running_ones_keep_theirs()
    {
        var done = await CaseOfAsync(await _api.CompletedAsync(2002));
        var running = await CaseOfAsync(await _api.CommissionedAsync(2003));
        var evaluator = await app.SignInAsync("evaluator");

        var page = WebUtility.HtmlDecode(await evaluator.GetStringAsync("/notifications"));

        var doneNotices = await NoticesAsync("evaluator", done);
        Assert.NotEmpty(doneNotices);
        foreach (var (title, body) in doneNotices)
        {
            var row = RowWith(page, title);
            Assert.Contains(body, row, StringComparison.Ordinal); // still readable
            Assert.Contains(FirmNote, row, StringComparison.Ordinal);
            Assert.DoesNotContain("查看事项", row, StringComparison.Ordinal);
        }

        var runningNotices = await NoticesAsync("evaluator", running);
        Assert.NotEmpty(runningNotices);
        foreach (var (title, _) in runningNotices)
        {
            var row = RowWith(page, title);
            Assert.Contains("查看事项", row, StringComparison.Ordinal);
            Assert.DoesNotContain(FirmNote, row, StringComparison.Ordinal);
        }

        // Access is not widened: the case and the evaluation still answer 404 to the firm.
        Assert.Equal(HttpStatusCode.NotFound, (await evaluator.GetAsync($"/cases/{done}")).StatusCode);

        // The API says the same: linkOpens false for the accepted evaluation's notices, true for the running one's.
        var api = await EvaluationApi.JsonAsync(await app.ApiAsync("evaluator"), "/api/notifications?pageSize=1000");
        var byLink = api.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("link").GetString() is { } l && (l == $"/cases/{done}" || l == $"/cases/{running}"))
            .GroupBy(i => i.GetProperty("link").GetString()!).ToDictionary(g => g.Key, g => g.Select(i => i.GetProperty("linkOpens").GetBoolean()).Distinct().ToList());
        Assert.Equal([false], byLink[$"/cases/{done}"]);
        Assert.Equal([true], byLink[$"/cases/{running}"]);
    }

    [Fact]
    public async Task Given_the_unit_of_the_accepted_evaluation_When_it_reads_its_notices_Then_they_still_link_to_the_case()
    {
        var done = await CaseOfAsync(await _api.CompletedAsync(2001));
        var unit = await app.SignInAsync("unit");

        var page = WebUtility.HtmlDecode(await unit.GetStringAsync("/notifications"));

        var notices = await NoticesAsync("unit", done);
        Assert.NotEmpty(notices);
        Assert.All(notices, n => Assert.Contains("查看事项", RowWith(page, n.Title), StringComparison.Ordinal));
        Assert.DoesNotContain("data-testid=\"notification-gone\"", page, StringComparison.Ordinal);
    }

    private Task<Guid> CaseOfAsync(Guid evaluation) =>
        app.DbAsync(db => db.Evaluations.IgnoreQueryFilters().Where(e => e.Id == evaluation).Select(e => e.CaseId!.Value).SingleAsync());

    /// <summary>The notices of <paramref name="caseId"/> sent to <paramref name="userName"/>: title and text.</summary>
    private Task<List<(string Title, string Body)>> NoticesAsync(string userName, Guid caseId) => app.DbAsync(async db =>
        (await db.Notifications.Where(n => n.Link == $"/cases/{caseId}" && db.Users.Any(u => u.Id == n.RecipientUserId && u.UserName == userName))
            .Select(n => new { n.Title, n.Body }).ToListAsync()).Select(n => (n.Title, n.Body)).ToList());

    /// <summary>The list's row (decoded) whose notice has this title; titles name the evaluation and its year, so one row each here.</summary>
    private static string RowWith(string page, string title)
    {
        var rows = Row().Matches(page).Select(m => m.Value).Where(r => r.Contains($"<strong>{title}</strong>", StringComparison.Ordinal)).ToList();
        Assert.True(rows.Count > 0, $"no row for 「{title}」");
        return string.Join('\n', rows);
    }

    [GeneratedRegex("<tr[ >].*?</tr>", RegexOptions.Singleline)]
    private static partial Regex Row();
}
