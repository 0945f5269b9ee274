using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Evaluations;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Evaluations;

/// <summary>
/// QA's findings on the 重点评价 pages, over HTTP with signed-in sessions: the year the list works on, forms
/// that keep what was typed, correcting problems and the team, the print annex, the case page's pointers.
/// Each test uses its own fiscal year (2001–2005, 2019) on the class's database.
/// </summary>
public sealed partial class EvaluationPageCorrectionTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly EvaluationApi _api = new(app);

    [Fact]
    public async Task Given_a_2019_target_waiting_When_the_lead_opens_the_list_Then_2019_is_offered_and_approving_it_approves_that_target()
    {
        var finance = await app.ApiAsync("finance");
        var selected = await EvaluationApi.SelectCentreAsync(finance, await app.SocialGovernanceCentreAsync(), 2019);
        await EvaluationApi.Ok(selected);
        var id = JsonDocument.Parse(await selected.Content.ReadAsStringAsync()).RootElement[0].GetProperty("id").GetGuid();

        var lead = await app.SignInAsync("financelead");
        var page = await lead.GetStringAsync("/evaluations");
        Assert.Contains("data-year=\"2019\"", page, StringComparison.Ordinal);
        Assert.Contains("2019 年度：待审批的评价对象 1 个", page, StringComparison.Ordinal);

        var approved = await PostAsync(lead, "/evaluations", "/evaluations?handler=ApproveAll", [new("FiscalYear", "2019")]);

        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Equal("commissioning", (await EvaluationApi.JsonAsync(finance, $"/api/evaluations/{id}")).GetProperty("status").GetString());
        Assert.Contains("已批准 1 个评价对象（2019 年度）", WebUtility.HtmlDecode(await lead.GetStringAsync(approved.Headers.Location!.ToString())), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_the_clock_When_finance_opens_the_list_without_a_year_Then_the_year_before_Beijings_is_proposed()
    {
        var finance = await app.SignInAsync("finance");

        Assert.Contains("id=\"fy\" name=\"FiscalYear\" value=\"2025\"", await finance.GetStringAsync("/evaluations"), StringComparison.Ordinal); // 2026-03-02

        // 2026-01-01 00:30 in Beijing is still 2025 in UTC: the year is Beijing's.
        var newYear = new DateTimeOffset(2025, 12, 31, 16, 30, 0, TimeSpan.Zero);
        await app.Clock.LaterAsync(newYear - app.Clock.GetUtcNow(), async () =>
            Assert.Contains("id=\"fy\" name=\"FiscalYear\" value=\"2025\"", await (await app.SignInAsync("finance")).GetStringAsync("/evaluations"), StringComparison.Ordinal));
        var lastDay = new DateTimeOffset(2025, 12, 31, 15, 30, 0, TimeSpan.Zero); // 23:30 on 31 December in Beijing
        await app.Clock.LaterAsync(lastDay - app.Clock.GetUtcNow(), async () =>
            Assert.Contains("id=\"fy\" name=\"FiscalYear\" value=\"2024\"", await (await app.SignInAsync("finance")).GetStringAsync("/evaluations"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Given_2022_self_evaluations_When_finance_reads_the_proposals_Then_their_kind_is_the_evaluations_label_not_the_self_evaluations()
    {
        var proposals = await EvaluationApi.JsonAsync(await app.ApiAsync("finance"), "/api/evaluations/proposals?fiscalYear=2022");
        var page = await (await app.SignInAsync("finance")).GetStringAsync("/evaluations?FiscalYear=2022");

        Assert.NotEmpty(proposals.EnumerateArray());
        Assert.All(proposals.EnumerateArray(), p => Assert.Equal(
            p.GetProperty("kind").GetString() == "Project" ? "项目支出绩效评价" : "部门整体支出绩效评价", p.GetProperty("kindLabel").GetString()));
        Assert.Contains("<td>部门整体支出绩效评价</td>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("部门整体支出绩效自评", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_table_of_typed_scores_one_of_them_两分_When_saved_Then_the_error_names_the_row_and_every_typed_score_and_note_is_shown_unsaved()
    {
        var id = await _api.CommissionedAsync(2001);
        var rows = (await EvaluationApi.JsonAsync(await app.ApiAsync("finance"), $"/api/evaluations/{id}")).GetProperty("rows").EnumerateArray()
            .Select(r => (Level1: r.GetProperty("level1").GetString()!, Level3: r.GetProperty("level3").GetString()!, Weight: r.GetProperty("weight").GetDecimal())).ToList();
        Assert.True(rows.Count > 20, "the template's table");
        var fields = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < rows.Count; i++)
        {
            fields.Add(new("level1", rows[i].Level1));
            fields.Add(new("level3", rows[i].Level3));
            fields.Add(new("score", i == 7 ? "两分" : (rows[i].Weight / 2).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)));
            fields.Add(new("note", $"说明{i + 1}"));
        }

        var evaluator = await app.SignInAsync("evaluator");
        var response = await PostAsync(evaluator, $"/evaluations/{id}", $"/evaluations/{id}?handler=Scores", fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains($"第 8 行「{rows[7].Level3}」的得分「两分」不是数字", html, StringComparison.Ordinal);
        Assert.Contains("value=\"两分\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", html, StringComparison.Ordinal);
        Assert.Equal(rows.Count, Enumerable.Range(1, rows.Count).Count(n => html.Contains($"value=\"说明{n}\"", StringComparison.Ordinal)));
        Assert.Contains($"value=\"{(rows[0].Weight / 2).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}\" size=\"4\" aria-label=\"{rows[0].Level3}得分\"", html, StringComparison.Ordinal);
        var saved = await app.DbAsync(db => db.Evaluations.Where(e => e.Id == id).Select(e => e.RowsJson).SingleAsync());
        Assert.DoesNotContain("说明1", saved, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_refused_problem_and_commission_When_the_page_comes_back_Then_the_typed_title_detail_and_due_date_are_still_there()
    {
        var id = await _api.CommissionedAsync(2002);
        var evaluator = await app.SignInAsync("evaluator");

        var problem = await PostAsync(evaluator, $"/evaluations/{id}", $"/evaluations/{id}?handler=Problem",
        [
            new("category", "财务管理"), new("title", "费用报销不规范"), new("detail", "加班餐费凭证后未见审批表。"),
            new("recommendation", "加强财务管理"), new("rectifiedBeforeReport", "true"),
        ]);
        var html = WebUtility.HtmlDecode(await problem.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, problem.StatusCode);
        Assert.Contains("问题1已整改，须填写整改完成日期。", html, StringComparison.Ordinal);
        Assert.Contains("value=\"费用报销不规范\"", html, StringComparison.Ordinal);
        Assert.Contains(">加班餐费凭证后未见审批表。</textarea>", html, StringComparison.Ordinal);
        Assert.Contains("<option selected=\"selected\">财务管理</option>", html, StringComparison.Ordinal);

        // The bureau's form: a firm name that names no firm keeps the date and template typed with it.
        var pending = await _api.SelectAndApproveAsync(2003);
        var finance = await app.SignInAsync("finance");
        var commission = await PostAsync(finance, $"/evaluations/{pending}", $"/evaluations/{pending}?handler=Commission",
            [new("firmId", "没有这家机构"), new("reportDueDate", "2026-06-30"), new("templateKey", EvaluationTemplates.DecisionKey)]);
        html = WebUtility.HtmlDecode(await commission.Content.ReadAsStringAsync());
        Assert.Contains("「评价机构」", html, StringComparison.Ordinal);
        Assert.Contains("value=\"2026-06-30\"", html, StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{EvaluationTemplates.DecisionKey}\" selected=\"selected\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_the_final_report_with_the_units_comment_on_problem_8_When_the_firm_deletes_problem_2_and_corrects_problem_3_Then_the_comment_stays_on_its_problem()
    {
        var id = await _api.InFinalReportAsync(2004);
        var evaluator = await app.SignInAsync("evaluator");

        var edit = await evaluator.GetStringAsync($"/evaluations/{id}?problem=3");
        Assert.Contains("修改问题3", edit, StringComparison.Ordinal);
        Assert.Contains("value=\"未对资产进行年度盘点和编码管理\"", WebUtility.HtmlDecode(edit), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(evaluator, $"/evaluations/{id}", $"/evaluations/{id}?handler=DeleteProblem", [new("no", "2")])).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(evaluator, $"/evaluations/{id}", $"/evaluations/{id}?handler=Problem",
        [
            new("no", "2"), new("category", "财务管理"), new("title", "未对资产进行年度盘点"), new("detail", "资产管理工作待加强，未开展年度盘点。"),
            new("indicatorRow", "资产管理安全性"), new("recommendation", "加强资产管理"),
        ])).StatusCode);

        var problems = (await EvaluationApi.JsonAsync(await app.ApiAsync("finance"), $"/api/evaluations/{id}/report")).GetProperty("problems").EnumerateArray().ToList();
        Assert.Equal(8, problems.Count);
        Assert.Equal("未对资产进行年度盘点", problems[1].GetProperty("title").GetString());
        Assert.Equal("资产管理工作待加强，未开展年度盘点。", problems[1].GetProperty("detail").GetString());
        var commented = Assert.Single(problems, p => p.GetProperty("unitComment").ValueKind == JsonValueKind.String);
        Assert.Equal("绩效目标完成率待提高", commented.GetProperty("title").GetString()); // was 8, now 7
        Assert.Equal(7, commented.GetProperty("no").GetInt32());
        Assert.True(commented.GetProperty("disputed").GetBoolean());
        Assert.Equal("经核实，超期以系统记录为准，维持原意见。", commented.GetProperty("firmAnswer").GetString());
    }

    [Fact]
    public async Task Given_a_member_added_at_01_30_Beijing_When_the_lead_removes_another_Then_the_declaration_shows_Beijings_day_and_the_member_is_gone()
    {
        var id = await _api.CommissionedAsync(2005);
        var lateNight = new DateTimeOffset(2026, 3, 2, 17, 30, 0, TimeSpan.Zero); // 01:30 on 3 March in Beijing
        await app.Clock.LaterAsync(lateNight - app.Clock.GetUtcNow(), async () =>
        {
            var evaluator = await app.ApiAsync("evaluator"); // a token of this hour
            await EvaluationApi.Ok(await evaluator.PostAsJsonAsync($"/api/evaluations/{id}/team", new { name = "江惠平", isLead = true, noConflict = true }));
            await EvaluationApi.Ok(await evaluator.PostAsJsonAsync($"/api/evaluations/{id}/team", new { name = "王误录", title = "助理", noConflict = true }));
        });

        var page = await app.SignInAsync("evaluator");
        Assert.Contains("data-testid=\"declared-at\" class=\"date\">2026年3月3日 01:30<", await page.GetStringAsync($"/evaluations/{id}"), StringComparison.Ordinal);
        var removed = await PostAsync(page, $"/evaluations/{id}", $"/evaluations/{id}?handler=RemoveMember", [new("name", "王误录")]);
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        var missing = await PostAsync(page, $"/evaluations/{id}", $"/evaluations/{id}?handler=RemoveMember", [new("name", "王误录")]);
        Assert.Contains("评价组中没有「王误录」。", WebUtility.HtmlDecode(await missing.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        var team = (await EvaluationApi.JsonAsync(await app.ApiAsync("finance"), $"/api/evaluations/{id}")).GetProperty("team").EnumerateArray();
        Assert.Equal(["江惠平"], team.Select(m => m.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Given_a_numbered_draft_in_the_comment_window_and_the_completed_demo_When_printed_Then_the_draft_is_marked_初稿_and_both_annexes_have_the_samples_columns()
    {
        var id = await _api.InCommentWindowAsync(2006);
        await app.DbAsync(async db =>
        {
            // The firm may type its number before the window closes; the report is still a draft.
            await db.Evaluations.Where(e => e.Id == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.ReportNumber, "湘财苑专审字[2026]第9号"));
            return 0;
        });
        var finance = await app.SignInAsync("finance");
        var demo = (await EvaluationApi.JsonAsync(await app.ApiAsync("finance"), "/api/evaluations?fiscalYear=2021"))[0].GetProperty("id").GetGuid();

        var draft = WebUtility.HtmlDecode(await finance.GetStringAsync($"/evaluations/{id}/print"));
        var final = WebUtility.HtmlDecode(await finance.GetStringAsync($"/evaluations/{demo}/print"));

        Assert.Contains("data-testid=\"draft-mark\">初稿<", draft, StringComparison.Ordinal);
        Assert.Contains("湘财苑专审字[2026]第9号", draft, StringComparison.Ordinal);
        Assert.DoesNotContain("初稿", final, StringComparison.Ordinal);
        const string header = "<th>一级指标</th><th>二级指标</th><th>三级指标</th><th>分值</th><th>评分要点</th><th>评分标准</th><th>评分说明</th><th>得分</th>";
        Assert.Contains(header, draft, StringComparison.Ordinal);
        Assert.Contains(header, final, StringComparison.Ordinal);
        Assert.Contains("附表：2021年度长沙市望城区社会治理服务中心部门整体支出绩效评价指标表", final, StringComparison.Ordinal);
        Assert.Contains("政府采购执行率100%计1分，每超过（降低）1%扣0.1分，扣完为止。", final, StringComparison.Ordinal);
        Assert.Contains("id=\"print-total\">89.80", final, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_approved_target_When_finance_opens_its_case_and_fires_委托_there_Then_the_page_links_the_evaluation_and_the_refusal_says_where_to_fill_in()
    {
        var id = await _api.SelectAndApproveAsync(2007);
        var finance = await app.ApiAsync("finance");
        var caseId = (await EvaluationApi.JsonAsync(finance, $"/api/evaluations/{id}")).GetProperty("caseId").GetGuid();

        var casePage = await (await app.SignInAsync("finance")).GetStringAsync($"/cases/{caseId}");
        var fired = await EvaluationApi.ActAsync(finance, id, "commission"); // as the case page's 委托 does

        Assert.Contains($"href=\"/evaluations/{id}\" data-testid=\"case-evaluation\"", casePage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, fired.StatusCode);
        var problem = await fired.Content.ReadAsStringAsync();
        Assert.Contains("请在评价页面的「委托评价机构」中选择评价机构。", problem, StringComparison.Ordinal);
        Assert.Contains("请在评价页面的「委托评价机构」中填写报告提交期限。", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_the_external_evaluation_flow_When_its_diagram_is_drawn_Then_every_arc_and_label_lies_inside_the_viewBox()
    {
        var id = await _api.SelectAndApproveAsync(2008);
        var caseId = (await EvaluationApi.JsonAsync(await app.ApiAsync("finance"), $"/api/evaluations/{id}")).GetProperty("caseId").GetGuid();
        var html = await (await app.SignInAsync("finance")).GetStringAsync($"/cases/{caseId}");

        var box = ViewBox().Match(html);
        Assert.True(box.Success);
        double minY = Number(box.Groups[1].Value), height = Number(box.Groups[2].Value);
        var labels = LabelY().Matches(html).Select(m => Number(m.Groups[1].Value)).ToList();
        var bends = Bend().Matches(html).Select(m => Number(m.Groups[1].Value)).ToList();
        Assert.NotEmpty(labels);
        Assert.Contains("不予评价", html, StringComparison.Ordinal);
        Assert.All(labels, y => Assert.InRange(y, minY + 12, minY + height - 4)); // a 12px label's ascent and descent
        Assert.All(bends, y => Assert.InRange(y, minY, minY + height));
    }

    private static double Number(string text) => double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("<svg class=\"wf-diagram\"[^>]* viewBox=\"0 (-?[0-9.]+) [0-9.]+ ([0-9.]+)\"")]
    private static partial Regex ViewBox();

    [GeneratedRegex("<text x=\"[0-9.-]+\" y=\"(-?[0-9.]+)\" text-anchor=\"middle\" font-size=\"12\"")]
    private static partial Regex LabelY();

    [GeneratedRegex("<path d=\"M[0-9.-]+,[0-9.-]+ C[0-9.-]+,(-?[0-9.]+) ")]
    private static partial Regex Bend();

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string pageUrl, string postUrl, List<KeyValuePair<string, string>> fields)
    {
        var page = await client.GetStringAsync(pageUrl);
        fields.Add(new("__RequestVerificationToken", AppFixture.AntiforgeryToken(page)));
        return await client.PostAsync(postUrl, new FormUrlEncodedContent(fields));
    }
}
