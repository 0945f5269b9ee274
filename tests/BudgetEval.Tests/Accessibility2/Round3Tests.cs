using System.Net;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Rectifications;
using BudgetEval.Tests.SelfEvaluations;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Accessibility2;

/// <summary>
/// The third accessibility pass (GB/T 37668, WCAG 2.1 AA), over HTTP: the plan form's repeated row fields say their
/// row, every data table of the evaluation, plan, finding and follow-up pages has a caption, and the 另行添加 fields
/// that are required only sometimes say when.
/// </summary>
public sealed class Round3Tests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_new_plan_When_rendered_Then_each_project_and_band_field_is_named_with_its_row_and_no_two_fields_share_a_name()
    {
        using var finance = await app.SignInAsync("finance");
        var controls = FormMarkup.Controls(await finance.GetStringAsync("/plans/new"));

        string? NameOf(string field) => controls.Single(c => c.Name == field).AccessibleName;
        for (var i = 0; i < 2; i++) // a new plan offers two blank rows of each
        {
            Assert.Equal($"第{i + 1}行 单位", NameOf($"Input.Projects[{i}].OrganisationId"));
            Assert.Equal($"第{i + 1}行 项目名称", NameOf($"Input.Projects[{i}].Name"));
            Assert.Equal($"第{i + 1}行 项目预算", NameOf($"Input.Projects[{i}].Budget"));
            Assert.Equal($"第{i + 1}行 执行率下限", NameOf($"Input.Bands[{i}].MinRatePercent"));
            Assert.Equal($"第{i + 1}行 得分", NameOf($"Input.Bands[{i}].Points"));
        }

        // Radio buttons and checkboxes of one group differ by their wrapping label; any other repeat is ambiguous.
        var repeated = controls.Where(c => c.AccessibleName is not null).GroupBy(c => c.AccessibleName).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(repeated.Count == 0, $"names used by more than one control: {string.Join("、", repeated)}");
    }

    [Fact]
    public async Task Given_a_completed_evaluation_When_finance_opens_it_Then_team_score_sheet_problems_and_findings_tables_each_have_a_caption()
    {
        var id = await new EvaluationApi(app).CompletedAsync(2013);
        using var finance = await app.SignInAsync("finance");
        var html = await finance.GetStringAsync($"/evaluations/{id}");

        var captions = FormMarkup.TableCaptions(html);
        Assert.DoesNotContain(null, captions);
        Assert.Contains("评价指标评分表", captions);
        Assert.Contains("评价组及利益冲突声明", captions);
        Assert.Contains("存在的问题", captions);
        Assert.Contains("问题台账", captions);
    }

    [Fact]
    public async Task Given_a_finding_with_evidence_When_the_unit_opens_it_Then_the_evidence_table_has_a_caption()
    {
        var api = new RectificationApi(app);
        var (id, caseId) = await api.RegisterAsync("专项资金未专账核算", new DateOnly(2026, 5, 1));
        await api.PlanAndReportAsync(id, caseId);
        using var unit = await app.SignInAsync("unit");
        var html = await unit.GetStringAsync($"/findings/{id}");

        Assert.Contains("data-testid=\"evidence\"", html, StringComparison.Ordinal);
        var captions = FormMarkup.TableCaptions(html);
        Assert.DoesNotContain(null, captions);
        Assert.Contains("佐证材料", captions);
    }

    [Fact]
    public async Task Given_the_centres_follow_up_and_the_published_demo_plan_When_opened_Then_every_table_has_a_caption()
    {
        using var unit = await app.SignInAsync("unit");
        var self = await SelfEvaluationApiTests.CentreIdAsync(await app.ApiAsync("unit"));
        var followUp = await unit.GetStringAsync($"/self-evaluations/{self}/follow-up");
        var plan = await app.DbAsync(db => db.Plans.Where(p => p.NoticeNumber == BudgetEval.Web.Demo.DemoSeeder.DemoNotice).Select(p => p.Id).SingleAsync());
        using var finance = await app.SignInAsync("finance");
        var planPage = await finance.GetStringAsync($"/plans/{plan}");

        Assert.Equal(["上年及以前发现问题的整改情况"], FormMarkup.TableCaptions(followUp));
        Assert.NotEmpty(FormMarkup.TableCaptions(planPage));
        Assert.DoesNotContain(null, FormMarkup.TableCaptions(planPage));
    }

    [Fact]
    public async Task Given_the_selection_form_When_rendered_Then_project_name_and_reason_say_when_they_are_required_without_being_required_always()
    {
        using var finance = await app.SignInAsync("finance");
        var html = WebUtility.HtmlDecode(await finance.GetStringAsync("/evaluations?FiscalYear=2022"));
        var controls = FormMarkup.Controls(html);

        // EvaluationService.SelectAsync asks for the name only of a 项目支出 target and for the reason only once a unit is added.
        Assert.Equal("项目名称（项目支出评价时必填）", controls.Single(c => c.Id == "ManualProject").AccessibleName);
        Assert.Equal("选定理由（选择预算单位时必填）", controls.Single(c => c.Id == "ManualReason").AccessibleName);
        Assert.False(controls.Single(c => c.Id == "ManualProject").Required);
        Assert.False(controls.Single(c => c.Id == "ManualReason").Required);
    }

    [Fact]
    public async Task Given_an_added_unit_without_a_reason_When_submitted_Then_refused_as_the_label_says()
    {
        // The label's rule is the server's rule: this fails if the reason stops being required.
        using var finance = await app.SignInAsync("finance");
        var centre = await app.SocialGovernanceCentreAsync();
        var page = await finance.GetStringAsync("/evaluations?FiscalYear=2012");
        var response = await finance.PostAsync("/evaluations?handler=Select", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(page), ["FiscalYear"] = "2012", ["ManualUnit"] = centre.ToString(), ["ManualKind"] = "Project",
            ["ManualProject"] = "", ["ManualReason"] = "",
        }));
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("请填写选定理由。", html, StringComparison.Ordinal);
        Assert.Contains("项目支出评价须填写项目名称。", html, StringComparison.Ordinal);
    }
}
