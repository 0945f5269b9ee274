using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Workflows;

namespace BudgetEval.Tests.ReviewWeek;

/// <summary>
/// Finding what waits in a review week: 待办 marks late submissions (逾期提交) as the list and the case page do, and
/// the 绩效自评 list filters by 类型 and 逾期, counts what it matches and puts the longest waiting submission first.
/// </summary>
public sealed partial class ReviewListTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly CaseApi _api = new(app);

    [Fact]
    public async Task Given_a_late_and_an_on_time_submission_waiting_When_the_officer_opens_待办_Then_only_the_late_one_is_marked_逾期提交()
    {
        var tag = $"逾期标记{Guid.NewGuid():N}"[..12];
        var late = await SubmittedAsync($"{tag}迟交", "2026-01-31"); // the fixture's today is 2026-03-02
        var onTime = await SubmittedAsync($"{tag}按时", "2026-12-31");
        await _api.FireOkAsync("unithead", late, "approve");
        await _api.FireOkAsync("unithead", onTime, "approve");
        var finance = await app.SignInAsync("finance");

        var html = await finance.GetStringAsync("/inbox?q=" + Uri.EscapeDataString(tag));

        Assert.Contains("data-testid=\"late-submission\"", Row(html, late), StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"late-submission\"", Row(html, onTime), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_submission_whose_title_does_not_name_its_unit_When_待办_is_searched_by_the_unit_Then_it_is_found_and_its_page_names_the_unit()
    {
        var caseId = await SubmittedAsync($"按单位查找{Guid.NewGuid():N}"[..12], "2026-12-31");
        await _api.FireOkAsync("unithead", caseId, "approve");
        var finance = await app.SignInAsync("finance");

        var byShortName = await finance.GetStringAsync("/inbox?state=bureau_review&q=" + Uri.EscapeDataString("社会治理服务"));
        var byOther = await finance.GetStringAsync("/inbox?state=bureau_review&q=" + Uri.EscapeDataString("教育局"));

        Assert.Contains($"/cases/{caseId}?list=", byShortName, StringComparison.Ordinal);
        Assert.DoesNotContain($"/cases/{caseId}", byOther, StringComparison.Ordinal);

        // The case page names the unit under a title that does not; a title that names it is not repeated.
        Assert.Contains($"<p class=\"muted\" data-testid=\"case-unit-name\">单位：{BudgetEval.Web.Demo.DemoSeeder.SocialGovernanceCentre}</p>",
            WebUtility.HtmlDecode(await finance.GetStringAsync($"/cases/{caseId}")), StringComparison.Ordinal);
        var planned = await app.DbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(
            db.SelfEvaluations.Where(s => s.PlanId != null && s.Kind == BudgetEval.Web.Plans.EvaluationKind.DepartmentWide && s.CaseId != null).Select(s => s.CaseId!.Value)));
        Assert.DoesNotContain("case-unit-name", await finance.GetStringAsync($"/cases/{planned}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_submissions_When_the_list_is_sorted_by_submission_Then_the_earliest_comes_first_and_the_count_matches_the_rows()
    {
        // Created 甲 乙 丙, submitted 乙 甲 丙 (a minute apart), 丁 never: the longest waiting is 乙.
        var tag = $"排序{Guid.NewGuid():N}"[..8];
        var a = await CreateAsync($"{tag}甲", "2026-12-31");
        var b = await CreateAsync($"{tag}乙", "2026-12-31");
        var c = await CreateAsync($"{tag}丙", "2026-12-31");
        await CreateAsync($"{tag}丁", "2026-12-31");
        foreach (var caseId in new[] { b, a, c })
        {
            app.Clock.Advance(TimeSpan.FromMinutes(1));
            await _api.FireOkAsync("unit", caseId, "submit");
        }

        var finance = await app.SignInAsync("finance");
        var sorted = WebUtility.HtmlDecode(await finance.GetStringAsync("/self-evaluations?year=2025&sort=submitted"));
        var newest = WebUtility.HtmlDecode(await finance.GetStringAsync("/self-evaluations?year=2025"));

        Assert.Equal([$"{tag}乙", $"{tag}甲", $"{tag}丙", $"{tag}丁"], Titles(sorted).Where(t => t.StartsWith(tag, StringComparison.Ordinal)));
        Assert.Equal([$"{tag}丁", $"{tag}丙", $"{tag}乙", $"{tag}甲"], Titles(newest).Where(t => t.StartsWith(tag, StringComparison.Ordinal)));
        Assert.Contains($"共 {Titles(sorted).Count} 份", sorted, StringComparison.Ordinal);
        Assert.Contains("<option value=\"submitted\" selected=\"selected\">", sorted, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_late_on_time_and_project_records_When_filtered_by_逾期_and_类型_Then_each_filter_keeps_only_its_own_and_a_wrong_value_is_named()
    {
        var tag = $"筛选{Guid.NewGuid():N}"[..8];
        var late = await SubmittedAsync($"{tag}迟交", "2026-01-31");
        var onTime = await SubmittedAsync($"{tag}按时", "2026-12-31");
        var finance = await app.SignInAsync("finance");

        var lateOnly = WebUtility.HtmlDecode(await finance.GetStringAsync("/self-evaluations?year=2025&late=late"));
        Assert.Contains($"/cases/{late}", lateOnly, StringComparison.Ordinal);
        Assert.DoesNotContain($"/cases/{onTime}", lateOnly, StringComparison.Ordinal);
        Assert.Equal(Titles(lateOnly).Count, Regex.Count(lateOnly, "data-testid=\"late-submission\""));
        Assert.Contains($"共 {Titles(lateOnly).Count} 份", lateOnly, StringComparison.Ordinal);

        // The demo's 2022 records: one project (热线+网格、吹哨+报到) among the department-wide ones.
        var projects = WebUtility.HtmlDecode(await finance.GetStringAsync("/self-evaluations?year=2022&kind=Project"));
        var departments = WebUtility.HtmlDecode(await finance.GetStringAsync("/self-evaluations?year=2022&kind=DepartmentWide"));
        var all = WebUtility.HtmlDecode(await finance.GetStringAsync("/self-evaluations?year=2022"));
        Assert.NotEmpty(Titles(projects));
        Assert.All(Titles(projects), t => Assert.Contains("项目", t, StringComparison.Ordinal));
        Assert.All(Titles(departments), t => Assert.Contains("部门整体", t, StringComparison.Ordinal));
        Assert.Equal(Titles(all).Count, Titles(projects).Count + Titles(departments).Count);

        // 已逾期: the demo's 2022 drafts are past their deadline with the unit's task open.
        var overdue = WebUtility.HtmlDecode(await finance.GetStringAsync("/self-evaluations?late=overdue"));
        Assert.NotEmpty(Titles(overdue));
        Assert.Equal(Titles(overdue).Count, Regex.Count(overdue, "data-testid=\"overdue\""));

        Assert.Contains("类型应为 DepartmentWide（部门整体）、Project（项目）。", WebUtility.HtmlDecode(await finance.GetStringAsync("/self-evaluations?kind=1")), StringComparison.Ordinal);
        Assert.Contains("逾期应为 late（逾期提交）", WebUtility.HtmlDecode(await finance.GetStringAsync("/self-evaluations?late=yes")), StringComparison.Ordinal);
    }

    private async Task<Guid> CreateAsync(string title, string deadline)
    {
        app.Clock.Advance(TimeSpan.FromMinutes(1)); // the fixture's clock stands still: created a minute apart, in order
        return (await _api.CreateAsync(deadline: DateOnly.Parse(deadline, System.Globalization.CultureInfo.InvariantCulture), title: title)).CaseId;
    }

    private async Task<Guid> SubmittedAsync(string title, string deadline)
    {
        var caseId = await CreateAsync(title, deadline);
        await _api.FireOkAsync("unit", caseId, "submit");
        return caseId;
    }

    /// <summary>The table row of 待办 that links to the case.</summary>
    private static string Row(string html, Guid caseId) =>
        Regex.Matches(html, "<tr>.*?</tr>", RegexOptions.Singleline).Select(m => m.Value).Single(r => r.Contains($"/cases/{caseId}", StringComparison.Ordinal));

    /// <summary>The titles of the list's rows, in order.</summary>
    private static List<string> Titles(string html) =>
        [.. ListTitle().Matches(html).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("<td><a href=\"/cases/[0-9a-f-]{36}\">([^<]+)</a>")]
    private static partial Regex ListTitle();
}
