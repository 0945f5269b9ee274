using System.Net;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Accessibility2;

/// <summary>
/// What the first accessibility pass left over (GB/T 37668, WCAG 2.1 AA), over HTTP: required fields say （必填） in
/// their label as the 登记问题 form does, every form control has a name, the score sheet's live total is announced.
/// </summary>
public sealed partial class FormAccessibilityTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static void AllNamedAndMarked(string page, string html)
    {
        Assert.True(FormMarkup.Controls(html).Count > 0, $"{page}: no form controls found");
        Assert.True(FormMarkup.Unnamed(html).Count == 0, $"{page}: controls without a name: {string.Join("; ", FormMarkup.Unnamed(html))}");
        Assert.True(FormMarkup.RequiredWithoutMark(html).Count == 0, $"{page}: required without （必填）: {string.Join("; ", FormMarkup.RequiredWithoutMark(html))}");
    }

    [Fact]
    public async Task Given_an_evaluation_to_commission_When_finance_opens_it_Then_the_firm_and_due_date_say_required_and_the_firm_picker_keeps_its_visible_label()
    {
        var id = await new EvaluationApi(app).SelectAndApproveAsync(2024);
        using var finance = await app.SignInAsync("finance");
        var html = WebUtility.HtmlDecode(await finance.GetStringAsync($"/evaluations/{id}"));

        AllNamedAndMarked("commission", html);
        Assert.Contains("<label for=\"reportDueDate\">报告提交期限（必填）</label>", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"firmId\">评价机构（必填）</label>", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("id=\"firmId\"[^>]*aria-label=", html); // the visible label is the name, not a shorter aria-label over it
        Assert.Contains(FormMarkup.Controls(html), c => c.Id == "reportDueDate" && c.Required);
    }

    [Fact]
    public async Task Given_a_commissioned_evaluation_When_the_firm_opens_it_Then_member_and_problem_fields_say_required_and_the_total_has_a_polite_live_region()
    {
        var id = await new EvaluationApi(app).CommissionedAsync(2023);
        using var evaluator = await app.SignInAsync("evaluator");
        var html = WebUtility.HtmlDecode(await evaluator.GetStringAsync($"/evaluations/{id}"));

        AllNamedAndMarked("firm", html);
        Assert.Contains("<label for=\"name\">姓名（必填）</label>", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"ptitle\">问题（必填）</label>", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"detail\">具体情况及依据（必填）</label>", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"rectifiedOn\">整改完成日期（已整改时必填）</label>", html, StringComparison.Ordinal);
        Assert.Equal(3, FormMarkup.Controls(html).Count(c => c.Required)); // 姓名, 问题, 具体情况及依据

        // The status line sits in the score form (after the table) and the script that fills it is on the page.
        var scores = ScoreForm().Match(html);
        Assert.True(scores.Success, "the score sheet form is on the page");
        Assert.Matches("<p id=\"evaluation-scores-status\" class=\"sr-only\" aria-live=\"polite\" aria-atomic=\"true\"", scores.Value);
        Assert.Matches("<script src=\"/js/evaluation-scores.js[^\"]*\"", html);
        var script = await evaluator.GetStringAsync("/js/evaluation-scores.js");
        Assert.Contains("getElementById('evaluation-scores-status')", script, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("finance", "/evaluations?FiscalYear=2022")]
    [InlineData("finance", "/plans/new")]
    [InlineData("finance", "/self-evaluations")]
    [InlineData("unit", "/self-evaluations")]
    [InlineData("finance", "/organisations")]
    [InlineData("admin", "/admin/organisations/new")]
    [InlineData("finance", "/findings")]
    [InlineData("finance", "/inbox")]
    [InlineData("finance", "/dashboards")]
    [InlineData("unit", "/dashboards/unit")]
    public async Task Given_a_list_or_form_page_When_rendered_Then_every_control_has_a_name_and_every_required_one_says_so(string user, string url)
    {
        using var client = await app.SignInAsync(user);
        var html = await client.GetStringAsync(url);

        AllNamedAndMarked(url, html);
    }

    [Fact]
    public async Task Given_the_published_demo_plan_When_finance_opens_it_Then_the_amendment_unit_picker_is_named_by_its_visible_label()
    {
        var id = await app.DbAsync(db => db.Plans.Where(p => p.NoticeNumber == BudgetEval.Web.Demo.DemoSeeder.DemoNotice).Select(p => p.Id).SingleAsync());
        using var finance = await app.SignInAsync("finance");
        var html = WebUtility.HtmlDecode(await finance.GetStringAsync($"/plans/{id}"));

        AllNamedAndMarked("plan", html);
        Assert.Contains("<label for=\"amend-unit\">增加单位</label>", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("<(select|input)[^>]*id=\"amend-unit\"[^>]*aria-label=", html);
        Assert.Equal("增加单位", FormMarkup.Controls(html).Single(c => c.Id == "amend-unit").AccessibleName);
    }

    [Fact]
    public async Task Given_the_unit_picker_on_the_self_evaluation_list_When_rendered_Then_its_visible_label_is_its_name()
    {
        using var finance = await app.SignInAsync("finance");
        var html = WebUtility.HtmlDecode(await finance.GetStringAsync("/self-evaluations"));

        Assert.Contains("<label for=\"unit\">单位</label>", html, StringComparison.Ordinal);
        Assert.Matches("<(select|input)[^>]*id=\"unit\"", html);
        Assert.DoesNotMatch("<(select|input)[^>]*id=\"unit\"[^>]*aria-label=", html);
        Assert.Equal("单位", FormMarkup.Controls(html).Single(c => c.Id == "unit").AccessibleName);
    }

    [Fact]
    public async Task Given_the_unit_creating_a_self_evaluation_When_the_form_is_shown_Then_title_year_and_deadline_say_required()
    {
        using var unit = await app.SignInAsync("unit");
        var html = WebUtility.HtmlDecode(await unit.GetStringAsync("/self-evaluations"));

        Assert.Contains("<label for=\"Title\">标题（必填）</label>", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"FiscalYear\">年度（必填）</label>", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"Deadline\">截止日期（必填）</label>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_draft_self_evaluation_When_the_unit_edits_it_and_finance_opens_its_case_Then_the_title_and_the_reminder_text_say_required()
    {
        var (id, caseId) = await new BudgetEval.Tests.Workflows.CaseApi(app).CreateAsync();
        using var unit = await app.SignInAsync("unit");
        using var finance = await app.SignInAsync("finance");

        var edit = WebUtility.HtmlDecode(await unit.GetStringAsync($"/self-evaluations/{id}/edit"));
        AllNamedAndMarked("edit", edit);
        Assert.Contains("<label for=\"Title\">标题（必填）</label>", edit, StringComparison.Ordinal);

        var page = WebUtility.HtmlDecode(await finance.GetStringAsync($"/cases/{caseId}"));
        Assert.Contains("data-testid=\"remind-form\"", page, StringComparison.Ordinal);
        Assert.Contains(FormMarkup.Controls(page), c => c.Name == "message" && c.Required && c.AccessibleName == "催办说明（必填）");
        AllNamedAndMarked("case", page);
    }

    [Fact]
    public async Task Given_the_organisation_form_When_rendered_Then_the_parent_picker_is_named_by_its_visible_label_with_the_hint()
    {
        using var admin = await app.SignInAsync("admin");
        var html = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/organisations/new"));

        Assert.Equal("主管部门（仅预算单位）", FormMarkup.Controls(html).Single(c => c.Id == "Input_ParentId").AccessibleName);
        Assert.Equal("名称（必填）", FormMarkup.Controls(html).Single(c => c.Id == "Input_Name").AccessibleName);
    }

    [Fact]
    public void Given_markup_with_gaps_When_checked_Then_the_checker_finds_each_one()
    {
        // The checks above pass only if these helpers can fail: an unlabelled select, a required field with a plain label, a bare table.
        const string html = """
            <label for="a">甲（必填）</label><input type="text" id="a" required />
            <label for="b">乙</label><input type="text" id="b" required />
            <select id="c" name="c"></select>
            <label>丙 <input type="text" name="d" /></label>
            <input type="hidden" name="e" />
            <table class="grid"><thead></thead></table>
            <table class="grid">
                <caption class="sr-only">丁</caption></table>
            """;

        Assert.Equal(["select#c"], FormMarkup.Unnamed(html));
        Assert.Equal(["input#b 「乙」"], FormMarkup.RequiredWithoutMark(html));
        Assert.Equal([null, "丁"], FormMarkup.TableCaptions(html));
    }

    [GeneratedRegex("<form method=\"post\" action=\"[^\"]*handler=Scores\"[\\s\\S]*?</form>")]
    private static partial Regex ScoreForm();
}
