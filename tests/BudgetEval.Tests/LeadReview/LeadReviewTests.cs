using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Plans;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.LeadReview;

/// <summary>
/// The 财政局领导's home page leads to what waits for their decision, and the turn of the year: the next plan starts
/// from the last one, and the next self-evaluation's follow-up list marks recurring findings.
/// </summary>
public sealed partial class LeadReviewTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_completed_evaluation_and_a_new_selection_When_the_lead_opens_the_home_page_Then_both_decisions_have_a_tile_until_taken()
    {
        // Another test of this class approves 2021 (and leaves it approved): start from the year not approved.
        var reopened = await (await app.ApiAsync("financelead")).PostAsJsonAsync("/api/results/2021/approval/reopen", new { reason = "重新核对" });
        Assert.True(reopened.IsSuccessStatusCode || reopened.StatusCode == HttpStatusCode.Conflict, reopened.StatusCode.ToString());
        var lead = await app.SignInAsync("financelead");
        var home = await lead.GetStringAsync("/");

        // The demo's 2021 evaluation is completed and nobody has approved 2021's results yet.
        Assert.Equal((1, "/results?year=2021"), Tiles.Read(home, "lead-results-2021"));
        Assert.Contains("2021年度评价结果待审定", home, StringComparison.Ordinal);
        Assert.Equal((0, "/evaluations#pending-approval"), Tiles.Read(home, "lead-selections"));
        Assert.Contains("id=\"pending-approval\"", await lead.GetStringAsync("/evaluations"), StringComparison.Ordinal);

        var finance = await app.ApiAsync("finance");
        var selected = await finance.PostAsJsonAsync("/api/evaluations", new
        {
            fiscalYear = 2024,
            targets = new[] { new { organisationId = await app.SocialGovernanceCentreAsync(), kind = "DepartmentWide", reason = "预算规模大" } },
        });
        Assert.True(selected.IsSuccessStatusCode, await selected.Content.ReadAsStringAsync());
        Assert.Equal((1, "/evaluations#pending-approval"), Tiles.Read(await lead.GetStringAsync("/"), "lead-selections"));

        Assert.Equal(HttpStatusCode.NoContent, (await (await app.ApiAsync("financelead")).PostAsync("/api/results/2021/approval", null)).StatusCode);
        Assert.DoesNotContain("lead-results-2021", await lead.GetStringAsync("/"), StringComparison.Ordinal);

        // The officer does not approve: no such section on their home page.
        Assert.DoesNotContain("待我审定", await (await app.SignInAsync("finance")).GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_last_years_plan_When_the_officer_starts_the_next_from_it_Then_units_projects_and_rules_are_copied_but_not_the_notice_or_deadline()
    {
        var previous = await app.DbAsync(db => db.Plans.AsNoTracking().Include(p => p.Targets).SingleAsync(p => p.NoticeNumber == DemoSeeder.DemoNotice));
        var finance = await app.SignInAsync("finance");

        Assert.Contains($"href=\"/plans/new?from={previous.Id}\"", await finance.GetStringAsync("/plans"), StringComparison.Ordinal);
        Assert.Contains($"href=\"/plans/new?from={previous.Id}\"", await finance.GetStringAsync("/plans/new"), StringComparison.Ordinal);

        var form = await finance.GetStringAsync($"/plans/new?from={previous.Id}");
        Assert.Contains("data-testid=\"copied-from\"", form, StringComparison.Ordinal);
        Assert.Equal((previous.FiscalYear + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Value(form, "Input.FiscalYear"));
        Assert.Equal(previous.Title.Replace("2022年", "2023年", StringComparison.Ordinal), Value(form, "Input.Title"));
        Assert.Equal("", Value(form, "Input.NoticeNumber"));
        Assert.Equal("", Value(form, "Input.Deadline"));
        Assert.Equal(previous.Rules.Grades.Excellent.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture), Value(form, "Input.Excellent"));
        Assert.Equal(previous.Rules.IndicatorTotal.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture), Value(form, "Input.IndicatorTotal"));

        var units = previous.Targets.Where(t => t.Kind == EvaluationKind.DepartmentWide).Select(t => t.OrganisationId.ToString()).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(units);
        var ticked = CheckedUnit().Matches(form).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(units, ticked);
        foreach (var project in previous.Targets.Where(t => t.Kind == EvaluationKind.Project))
        {
            Assert.Contains($"value=\"{project.ProjectName}\"", WebUtility.HtmlDecode(form), StringComparison.Ordinal);
        }

        // The lead reads plans but does not create them; an unknown plan to copy is not found.
        var lead = await app.SignInAsync("financelead");
        Assert.DoesNotContain("/plans/new?from=", await lead.GetStringAsync("/plans"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await lead.GetAsync($"/plans/new?from={previous.Id}")).StatusCode); // a refused page read is 404, as /plans/new itself
        Assert.Equal(HttpStatusCode.NotFound, (await finance.GetAsync($"/plans/new?from={Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task Given_a_category_the_centre_already_had_the_year_before_When_its_next_follow_up_list_is_opened_Then_those_findings_are_marked_recurring()
    {
        var centre = await app.SocialGovernanceCentreAsync();
        var (selfEvaluation, repeated, other) = await app.DbAsync(async db => (
            await db.SelfEvaluations.Where(s => s.OrganisationId == centre && s.FiscalYear == 2022 && s.Kind == EvaluationKind.DepartmentWide).Select(s => s.Id).SingleAsync(),
            await db.Findings.Where(f => f.OrganisationId == centre && f.FiscalYear == 2021 && f.Category == "财务管理").Select(f => f.Id).ToListAsync(),
            await db.Findings.Where(f => f.OrganisationId == centre && f.FiscalYear == 2021 && f.Category == "项目管理").Select(f => f.Id).ToListAsync()));
        Assert.NotEmpty(repeated);
        Assert.NotEmpty(other);

        var page = await (await app.SignInAsync("finance")).GetStringAsync($"/self-evaluations/{selfEvaluation}/follow-up");
        Assert.DoesNotContain("data-testid=\"recurring\"", page, StringComparison.Ordinal);

        var registered = await (await app.ApiAsync("finance")).PostAsJsonAsync("/api/findings", new
        {
            organisationId = centre, fiscalYear = 2020, category = "财务管理", title = "往来款项长期挂账", detail = "审计发现。",
            source = "Audit", sourceDocument = "望审〔2020〕7号", sourceDate = "2020-10-01",
        });
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
        var earlier = JsonDocument.Parse(await registered.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

        foreach (var user in new[] { "finance", "unit" })
        {
            page = await (await app.SignInAsync(user)).GetStringAsync($"/self-evaluations/{selfEvaluation}/follow-up");
            foreach (var id in repeated)
            {
                Assert.Matches(RowWithMark(id), page);
            }

            Assert.DoesNotMatch(RowWithMark(other[0]), page);
            Assert.DoesNotMatch(RowWithMark(earlier), page); // listed (open, 2020), but nothing of 2019 before it
            Assert.Contains($"data-finding=\"{earlier}\"", page, StringComparison.Ordinal);
        }

        // The print view and the Word download of the self-evaluation mark the same lines, and only those.
        var titles = await app.DbAsync(db => db.Findings.Where(f => repeated.Contains(f.Id)).Select(f => f.Title).ToListAsync());
        var otherTitle = await app.DbAsync(db => db.Findings.Where(f => f.Id == other[0]).Select(f => f.Title).SingleAsync());
        var unit = await app.SignInAsync("unit");
        var print = WebUtility.HtmlDecode(await unit.GetStringAsync($"/self-evaluations/{selfEvaluation}/print"));
        using var docx = new MemoryStream(await unit.GetByteArrayAsync($"/self-evaluations/{selfEvaluation}/print?handler=docx"));
        using var word = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(docx, false);
        var text = word.MainDocumentPart!.Document.Body!.InnerText;
        foreach (var shown in new[] { print, text })
        {
            Assert.All(titles, t => Assert.Contains(t + "（重复发生）", shown, StringComparison.Ordinal));
            Assert.Contains(otherTitle, shown, StringComparison.Ordinal);
            Assert.DoesNotContain(otherTitle + "（重复发生）", shown, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Given_a_year_whose_self_evaluations_are_all_drafts_When_the_lead_opens_it_Then_the_approval_says_how_many_lines_have_no_result_and_the_list_names_who_publishes()
    {
        var lines = await app.DbAsync(db => db.SelfEvaluations.CountAsync(s => s.FiscalYear == 2022));
        Assert.True(lines > 0 && await app.DbAsync(db => db.SelfEvaluations.AllAsync(s => s.FiscalYear != 2022 || s.Status != "accepted")));
        var lead = await app.SignInAsync("financelead");

        var page = await lead.GetStringAsync("/results?year=2022");
        Assert.Contains($"本年度 {lines} 项中有 {lines} 项尚无结果", page, StringComparison.Ordinal);
        Assert.Matches($"data-confirm=\"本年度 {lines} 项中有 {lines} 项尚无结果[^\"]*确定审定2022年度评价结果吗", page);

        // 2021: its one line is the completed evaluation, nothing undecided to warn about.
        Assert.DoesNotContain("data-testid=\"without-result\"", await lead.GetStringAsync("/results?year=2021"), StringComparison.Ordinal);

        // The empty publication list tells the officer what to click, and the lead (who has no such button) who does it.
        var forLead = await lead.GetStringAsync("/results/2022/publication");
        Assert.DoesNotContain("点击“列入公开”", forLead, StringComparison.Ordinal);
        Assert.Contains("由绩效管理员在", forLead, StringComparison.Ordinal);
        Assert.Contains("点击“列入公开”", await (await app.SignInAsync("finance")).GetStringAsync("/results/2022/publication"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_the_lead_reopened_an_approved_year_When_the_officer_opens_its_results_Then_the_reason_is_shown_until_approved_again()
    {
        var leadApi = await app.ApiAsync("financelead");
        var approved = await leadApi.PostAsync("/api/results/2021/approval", null); // another test of this class may have approved it already
        Assert.True(approved.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.Conflict, approved.StatusCode.ToString());
        var finance = await app.SignInAsync("finance");
        Assert.DoesNotContain("data-testid=\"reopened\"", await finance.GetStringAsync("/results?year=2021"), StringComparison.Ordinal);

        var reopened = await leadApi.PostAsJsonAsync("/api/results/2021/approval/reopen", new { reason = "社会治理服务中心整改率需核实后再审定" });
        Assert.True(reopened.IsSuccessStatusCode, await reopened.Content.ReadAsStringAsync());

        // The reason was only in the audit log, which the officer cannot open.
        var page = await finance.GetStringAsync("/results?year=2021");
        Assert.Matches("data-testid=\"reopened\">王建国[^<]*撤销了审定，原因：社会治理服务中心整改率需核实后再审定<", page);
        Assert.Equal(HttpStatusCode.NotFound, (await finance.GetAsync("/admin/audit")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await leadApi.PostAsync("/api/results/2021/approval", null)).StatusCode);
        Assert.DoesNotContain("data-testid=\"reopened\"", await finance.GetStringAsync("/results?year=2021"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_the_officer_registers_a_finding_by_hand_When_the_unit_had_that_category_the_year_before_Then_the_confirmation_says_it_recurs()
    {
        var centre = await app.SocialGovernanceCentreAsync();
        var finance = await app.SignInAsync("finance");

        async Task<string> RegisterAsync(string category, string title)
        {
            var form = await finance.GetStringAsync("/findings");
            var posted = await finance.PostAsync("/findings", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(form),
                ["organisationId"] = centre.ToString(), ["year"] = "2022", ["source"] = "Audit", ["sourceDocument"] = "望审〔2023〕4号",
                ["sourceDate"] = "2023-05-10", ["category"] = category, ["title"] = title, ["detail"] = "区审计局审计发现。",
            }));
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
            return WebUtility.HtmlDecode(await finance.GetStringAsync(posted.Headers.Location!.ToString()));
        }

        Assert.True(await app.DbAsync(db => db.Findings.AnyAsync(f => f.OrganisationId == centre && f.FiscalYear == 2021 && f.Category == "财务管理")));
        Assert.Contains("该单位2021年度有同类别（财务管理）问题，已标记为重复发生。", await RegisterAsync("财务管理", "公务卡结算不规范"), StringComparison.Ordinal);

        Assert.False(await app.DbAsync(db => db.Findings.AnyAsync(f => f.OrganisationId == centre && f.FiscalYear == 2021 && f.Category == "其他")));
        var plain = await RegisterAsync("其他", "档案归档不及时");
        Assert.Contains("已登记问题", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("已标记为重复发生", plain, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_filter_or_a_year_with_no_lines_When_the_results_page_is_opened_Then_it_says_so_and_offers_no_approval()
    {
        var lead = await app.SignInAsync("financelead");

        var filtered = await lead.GetStringAsync("/results?year=2021&unit=" + Uri.EscapeDataString("不存在的单位"));
        Assert.Contains("data-testid=\"results-empty\">没有符合条件的结果。<", filtered, StringComparison.Ordinal);

        // A year without any self-evaluation or evaluation: approving it could only be refused.
        var empty = await lead.GetStringAsync("/results?year=2019");
        Assert.Contains("data-testid=\"results-empty\">2019年度尚无自评或重点评价事项。<", empty, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"nothing-to-approve\"", empty, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"approve\"", empty, StringComparison.Ordinal);

        var withLines = await lead.GetStringAsync("/results?year=2022");
        Assert.DoesNotContain("data-testid=\"results-empty\"", withLines, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"approve\"", withLines, StringComparison.Ordinal);
    }

    private static Regex RowWithMark(Guid finding) => new($"<tr data-finding=\"{finding}\">(?:(?!</tr>).)*data-testid=\"recurring\"", RegexOptions.Singleline);

    private static string Value(string html, string name)
    {
        var m = Regex.Match(html, $"<input[^>]*name=\"{Regex.Escape(name)}\"[^>]*?(?:value=\"([^\"]*)\")?[^>]*>");
        Assert.True(m.Success, $"no input {name}");
        var value = Regex.Match(m.Value, "value=\"([^\"]*)\"");
        return value.Success ? WebUtility.HtmlDecode(value.Groups[1].Value) : "";
    }

    [GeneratedRegex("<input type=\"checkbox\" name=\"Input.Units\" value=\"([0-9a-f-]+)\" checked=\"checked\"")]
    private static partial Regex CheckedUnit();
}
