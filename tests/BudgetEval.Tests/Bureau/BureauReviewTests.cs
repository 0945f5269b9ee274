using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Bureau;

/// <summary>
/// What the finance bureau's officer stumbled over in a walk through plans, 重点评价, the register and 结果应用:
/// refused forms that dropped what was typed, messages that did not say which line or field, an empty list with
/// no word, a deadline before its fiscal year was over. Each test posts as a browser without scripts would.
/// </summary>
public sealed partial class BureauReviewTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string formUrl, string action, Dictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(formUrl);
        fields["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(page);
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    /// <summary>A published plan of the education bureau for <paramref name="fiscalYear"/> (each test its own year: one plan per unit and year).</summary>
    private async Task<Guid> PublishedPlanAsync(int fiscalYear)
    {
        var finance = await app.ApiAsync("finance");
        var created = await finance.PostAsJsonAsync("/api/plans", new
        {
            fiscalYear,
            title = $"{fiscalYear}年度绩效自评工作",
            deadline = "2026-04-30",
            targets = new[] { new { organisationName = DemoSeeder.EducationBureau, kind = "部门整体支出" } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await finance.PostAsync($"/api/plans/{id}/publish", null)).StatusCode);
        return id;
    }

    [Fact]
    public async Task Given_a_published_plan_When_an_amendment_is_refused_Then_the_form_comes_back_with_everything_typed()
    {
        var id = await PublishedPlanAsync(2013);
        var civil = await app.OrganisationIdAsync("长沙市望城区民政局");
        var finance = await app.SignInAsync("finance");

        var refused = await PostAsync(finance, $"/plans/{id}", $"/plans/{id}?handler=amend", new()
        {
            ["Amend.OrganisationId"] = civil.ToString(),
            ["Amend.Kind"] = "Project",
            ["Amend.ProjectName"] = "社会救助资金",
            ["Amend.ProjectBudget"] = "12x",
            ["Amend.Deadline"] = "2026-05-15",
            ["Amend.Reason"] = "区政府追加",
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("「12x」不是数字", html, StringComparison.Ordinal);
        Assert.Matches($"<option value=\"{civil}\" selected", html);
        Assert.Contains("<option value=\"Project\" selected", html, StringComparison.Ordinal);
        Assert.Contains("id=\"amend-project\" name=\"Amend.ProjectName\" value=\"社会救助资金\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"amend-budget\" name=\"Amend.ProjectBudget\" value=\"12x\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"amend-deadline\" name=\"Amend.Deadline\" value=\"2026-05-15\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"amend-reason\" name=\"Amend.Reason\" value=\"区政府追加\"", html, StringComparison.Ordinal);
        Assert.Equal(0, await app.DbAsync(db => db.Plans.Where(p => p.Id == id).SelectMany(p => p.Amendments).CountAsync()));

        // The form posts to the plan's own address (it used to go to /plans/new?id=…, left in the address bar), with its token.
        var amendForm = Regex.Match(html, "<form [^>]*id=\"amend-form\"[^>]*>.*?</form>", RegexOptions.Singleline).Value;
        Assert.Contains($"action=\"/plans/{id}?handler=amend\"", amendForm, StringComparison.Ordinal);
        Assert.Contains("__RequestVerificationToken", amendForm, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_inspection_finding_registered_as_already_rectified_When_listed_Then_it_reads_rectified_at_registration_not_before_a_report()
    {
        var finance = await app.SignInAsync("finance");
        var centre = await app.SocialGovernanceCentreAsync();
        var registered = await PostAsync(finance, "/findings", "/findings", new()
        {
            ["organisationId"] = centre.ToString(), ["year"] = "2020", ["source"] = "Inspection", ["sourceDocument"] = "望治党组〔2020〕9号",
            ["sourceDate"] = "2020-10-15", ["category"] = "资产管理", ["title"] = "部分软件未作为无形资产入账",
            ["detail"] = "区委第三巡察组反馈：部分软件未作为无形资产入账。", ["rectified"] = "true", ["rectifiedOn"] = "2022-07-15",
        });
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);

        var html = await finance.GetStringAsync("/findings?Source=Inspection&FiscalYear=2020");
        var row = Regex.Match(html, "<tr>\\s*<td>2020-巡察-\\d+</td>.*?</tr>", RegexOptions.Singleline).Value;
        Assert.Contains("（登记时已整改，", row, StringComparison.Ordinal);
        Assert.DoesNotContain("报告前", row, StringComparison.Ordinal);

        // The finding's own page says the same, in its summary and where the plan and the result would stand.
        var id = Regex.Match(row, "href=\"/findings/([0-9a-f-]{36})\"").Groups[1].Value;
        var page = await finance.GetStringAsync($"/findings/{id}");
        Assert.Contains("登记时已整改（2022年7月15日）", page, StringComparison.Ordinal);
        Assert.Contains("（登记时已整改，无需整改方案）", page, StringComparison.Ordinal);
        Assert.DoesNotContain("报告前", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_amendment_with_an_unreadable_budget_a_too_early_deadline_and_a_unit_already_covered_When_posted_Then_one_answer_names_all_three()
    {
        var id = await PublishedPlanAsync(2014);
        var education = await app.OrganisationIdAsync(DemoSeeder.EducationBureau);
        var finance = await app.SignInAsync("finance");

        // Before, the unreadable budget came back alone and the deadline and the duplicate showed on the next two tries.
        var refused = await PostAsync(finance, $"/plans/{id}", $"/plans/{id}?handler=amend", new()
        {
            ["Amend.OrganisationId"] = education.ToString(),
            ["Amend.Kind"] = "DepartmentWide",
            ["Amend.ProjectBudget"] = "12x",
            ["Amend.Deadline"] = "2014-06-30",
            ["Amend.Reason"] = "录入",
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("「12x」不是数字", html, StringComparison.Ordinal);
        Assert.Contains("不能早于2015年1月1日", html, StringComparison.Ordinal);
        Assert.Contains("部门整体支出绩效自评重复", html, StringComparison.Ordinal);
        Assert.Equal(0, await app.DbAsync(db => db.Plans.Where(p => p.Id == id).SelectMany(p => p.Amendments).CountAsync()));
        Assert.Equal(new DateOnly(2026, 4, 30), await app.DbAsync(db => db.Plans.Where(p => p.Id == id).Select(p => p.Deadline).SingleAsync()));

        // The API, whose values always read, answers both of its problems at once as well.
        var api = await app.ApiAsync("finance");
        var amended = await api.PostAsJsonAsync($"/api/plans/{id}/amendments", new
        {
            deadline = "2014-06-30",
            addTarget = new { organisationName = DemoSeeder.EducationBureau, kind = "部门整体支出" },
            reason = "录入",
        });
        Assert.Equal(HttpStatusCode.BadRequest, amended.StatusCode);
        var errors = JsonDocument.Parse(await amended.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Contains("不能早于2015年1月1日", errors.GetProperty("deadline")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("重复", errors.GetProperty("addTarget")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_plan_When_its_deadline_falls_inside_its_fiscal_year_Then_creating_and_amending_are_refused_under_deadline()
    {
        var finance = await app.ApiAsync("finance");
        var created = await finance.PostAsJsonAsync("/api/plans", new
        {
            fiscalYear = 2012,
            title = "2012年度绩效自评工作",
            deadline = "2012-12-31",
            targets = new[] { new { organisationName = DemoSeeder.EducationBureau, kind = "部门整体支出" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        var errors = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Contains("不能早于2013年1月1日", errors.GetProperty("deadline")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await app.DbAsync(db => db.Plans.CountAsync(p => p.FiscalYear == 2012)));

        // A typo in an amendment (2020 for 2026) would have made every open case overdue at once.
        var id = await PublishedPlanAsync(2011);
        var amended = await finance.PostAsJsonAsync($"/api/plans/{id}/amendments", new { deadline = "2011-06-30", reason = "录入" });
        Assert.Equal(HttpStatusCode.BadRequest, amended.StatusCode);
        errors = JsonDocument.Parse(await amended.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Contains("不能早于2012年1月1日", errors.GetProperty("deadline")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(new DateOnly(2026, 4, 30), await app.DbAsync(db => db.Plans.Where(p => p.Id == id).Select(p => p.Deadline).SingleAsync()));
        Assert.All(await app.DbAsync(db => db.SelfEvaluations.Where(s => s.PlanId == id).Select(s => s.Deadline).ToListAsync()),
            d => Assert.Equal(new DateOnly(2026, 4, 30), d));

        // The day after the year ends is fine.
        Assert.Equal(HttpStatusCode.OK, (await finance.PostAsJsonAsync($"/api/plans/{id}/amendments", new { deadline = "2012-01-01", reason = "录入" })).StatusCode);
    }

    [Fact]
    public async Task Given_a_selection_with_a_ticked_proposal_and_a_hand_added_target_without_reason_When_refused_Then_ticks_and_typing_stay_and_the_message_names_the_line()
    {
        var finance = await app.SignInAsync("finance");
        var form = await finance.GetStringAsync("/evaluations?FiscalYear=2022");
        var proposal = System.Net.WebUtility.HtmlDecode(PickedValue().Match(form).Groups[1].Value);
        Assert.NotEmpty(proposal); // the demo centre's 2022 self-evaluation is proposed (largest budget)
        var education = await app.OrganisationIdAsync(DemoSeeder.EducationBureau);

        var refused = await PostAsync(finance, "/evaluations?FiscalYear=2022", "/evaluations?handler=Select", new()
        {
            ["FiscalYear"] = "2022",
            ["Picked"] = proposal,
            ["ManualUnit"] = education.ToString(),
            ["ManualKind"] = "Project",
            ["ManualProject"] = "义务教育营养改善计划",
            ["ManualReason"] = "",
        });

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("另行添加：请填写选定理由。", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"Project\" selected", html, StringComparison.Ordinal);
        Assert.Contains("name=\"ManualProject\" value=\"义务教育营养改善计划\"", html, StringComparison.Ordinal);
        Assert.Matches($"<option value=\"{education}\" selected", html);
        var ticked = PickedInput().Matches(html).Single(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value) == proposal);
        Assert.Contains("checked", ticked.Value, StringComparison.Ordinal);
        Assert.Equal(0, await app.DbAsync(db => db.Evaluations.CountAsync(e => e.FiscalYear == 2022)));
    }

    [Fact]
    public async Task Given_a_commission_without_a_report_date_When_posted_Then_asked_to_fill_it_not_told_it_is_too_early()
    {
        var id = await new EvaluationApi(app).SelectAndApproveAsync(2010);
        var firm = await app.OrganisationIdAsync(DemoSeeder.XinCaiYuan);
        var refused = await (await app.ApiAsync("finance")).PostAsJsonAsync($"/api/evaluations/{id}/commission",
            new { firmId = firm, templateKey = BudgetEval.Web.Evaluations.EvaluationTemplates.DefaultKey });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var text = await refused.Content.ReadAsStringAsync();
        Assert.Contains("请填写报告提交期限", text, StringComparison.Ordinal);
        Assert.DoesNotContain("须晚于今天", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_year_with_nothing_marked_for_publication_When_its_list_is_opened_Then_it_says_so_and_where_to_mark()
    {
        var finance = await app.SignInAsync("finance");
        var html = await finance.GetStringAsync("/results/2021/publication");

        Assert.Contains("data-testid=\"publication-empty\"", html, StringComparison.Ordinal);
        Assert.Contains("尚未列入公开的评价结果", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/results?year=2021\">结果应用</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_the_register_form_without_detail_When_posted_Then_the_message_names_the_field_as_the_form_labels_it()
    {
        var finance = await app.SignInAsync("finance");
        var education = await app.OrganisationIdAsync(DemoSeeder.EducationBureau);
        var refused = await PostAsync(finance, "/findings", "/findings", new()
        {
            ["organisationId"] = education.ToString(), ["year"] = "2025", ["source"] = "Audit", ["sourceDocument"] = "望审〔2026〕12号",
            ["category"] = "财务管理", ["title"] = "专项资金未按规定用途使用", ["detail"] = "",
        });

        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("<label for=\"detail\">具体情况及依据（必填）</label>", html, StringComparison.Ordinal);
        Assert.Contains("请填写「具体情况及依据」", html, StringComparison.Ordinal);
        Assert.DoesNotContain("问题描述及依据", html, StringComparison.Ordinal);
        Assert.Equal(0, await app.DbAsync(db => db.Findings.CountAsync(f => f.Title == "专项资金未按规定用途使用")));
    }

    [Fact]
    public async Task Given_a_commissioned_evaluation_without_a_team_When_the_bureau_opens_it_Then_the_team_table_says_none_is_declared_yet()
    {
        var id = await new EvaluationApi(app).CommissionedAsync(2009);
        var finance = await app.SignInAsync("finance");
        var html = await finance.GetStringAsync($"/evaluations/{id}");

        Assert.Contains("data-testid=\"team-empty\"", html, StringComparison.Ordinal);
        Assert.Contains("评价机构尚未组建评价组", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_the_rules_form_with_a_threshold_typed_as_a_percentage_When_refused_Then_the_typed_text_is_shown_again_not_the_stored_value()
    {
        var finance = await app.SignInAsync("finance");
        var form = await finance.GetStringAsync("/results/rules");
        var version = Regex.Match(form, "name=\"version\" value=\"(\\d+)\"").Groups[1].Value;
        var refused = await PostAsync(finance, "/results/rules", "/results/rules", new()
        {
            ["version"] = version, ["excellent"] = "优先保障", ["good"] = "维持", ["pass"] = "压减10%", ["fail"] = "大幅压减",
            ["noGrade"] = "暂不提出", ["lowPercent"] = "75%", ["lowRectification"] = "从严审核",
        });

        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("须为 0 到 100 之间的数", html, StringComparison.Ordinal);
        Assert.Contains("name=\"lowPercent\" value=\"75%\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_the_register_When_listed_Then_the_category_column_keeps_its_words_whole()
    {
        var finance = await app.SignInAsync("finance");
        var html = await finance.GetStringAsync("/findings?FiscalYear=2021");

        Assert.Contains("<th class=\"screen-nowrap\">类别</th>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"screen-nowrap\">预算绩效管理</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_the_register_When_filtered_by_status_Then_the_choices_follow_the_rectification_flow_and_miss_none()
    {
        var html = await (await app.SignInAsync("finance")).GetStringAsync("/findings");
        var select = Regex.Match(html, "<select id=\"Status\" name=\"Status\">(.*?)</select>", RegexOptions.Singleline).Groups[1].Value;
        var labels = Regex.Matches(select, ">([^<]+)</option>").Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(["全部", "未整改", "整改中", "部分整改", "已整改", "无法整改"], labels);
        Assert.Equal(Enum.GetValues<BudgetEval.Web.Findings.FindingStatus>().Order(), BudgetEval.Web.Findings.FindingLabels.FlowOrder.Order());
    }

    [Fact]
    public async Task Given_report_sections_sent_under_their_chinese_headings_When_saved_over_the_api_Then_the_refusal_names_the_keys_to_use()
    {
        var id = await new EvaluationApi(app).CommissionedAsync(2008);
        var evaluator = await app.ApiAsync("evaluator");
        var refused = await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/report", new
        {
            expectedVersion = await EvaluationApi.VersionAsync(evaluator, id),
            sections = new Dictionary<string, string> { ["部门概况"] = "概况" },
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var text = await refused.Content.ReadAsStringAsync();
        Assert.Contains("报告没有「部门概况」部分", text, StringComparison.Ordinal);
        Assert.Contains("overview（部门概况）", text, StringComparison.Ordinal);
        Assert.Contains("recommendations（有关建议）", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_the_published_demo_plan_When_the_officer_reads_its_targets_Then_each_says_where_it_stands_and_links_to_its_case()
    {
        var (planId, caseId) = await app.DbAsync(async db =>
        {
            var plan = await db.Plans.Where(p => p.NoticeNumber == DemoSeeder.DemoNotice).Select(p => p.Id).SingleAsync();
            var centre = await db.Organisations.Where(o => o.Name == DemoSeeder.SocialGovernanceCentre).Select(o => o.Id).SingleAsync();
            var se = await db.SelfEvaluations.Where(s => s.PlanId == plan && s.OrganisationId == centre && s.Kind == BudgetEval.Web.Plans.EvaluationKind.DepartmentWide)
                .Select(s => s.CaseId).SingleAsync();
            return (plan, se!.Value);
        });
        var finance = await app.SignInAsync("finance");
        var html = await finance.GetStringAsync($"/plans/{planId}?tq={Uri.EscapeDataString("社会治理服务中心")}");

        Assert.Contains($"<a href=\"/cases/{caseId}\" data-testid=\"target-case\">办理</a>", html, StringComparison.Ordinal);
        Assert.Matches("data-testid=\"target-status\">(草稿|单位审核|财政审核|退回修改|已通过)</span>", html);
    }

    [Fact]
    public async Task Given_the_lead_viewing_a_waiting_list_When_the_officer_adds_a_target_before_the_lead_approves_Then_only_what_the_lead_saw_is_approved()
    {
        var finance = await app.ApiAsync("finance");
        var centre = await app.SocialGovernanceCentreAsync();
        async Task SelectAsync(string project) => await EvaluationApi.Ok(await finance.PostAsJsonAsync("/api/evaluations", new
        {
            fiscalYear = 2007,
            targets = new[] { new { organisationId = centre, kind = "Project", projectName = project, reason = "预算规模大" } },
        }));
        await SelectAsync("甲项目");

        var lead = await app.SignInAsync("financelead");
        var page = await lead.GetStringAsync("/evaluations");
        var seen = Regex.Match(page, "data-year=\"2007\"[^>]*>\\s*<input type=\"hidden\" name=\"FiscalYear\" value=\"2007\" />\\s*<input type=\"hidden\" name=\"Seen\" value=\"(\\d+)\"").Groups[1].Value;
        Assert.NotEmpty(seen);

        // The officer adds another target a minute later, while the lead's page is open.
        await app.Clock.LaterAsync(TimeSpan.FromMinutes(1), () => SelectAsync("乙项目"));

        var approved = await lead.PostAsync("/evaluations?handler=ApproveAll", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["FiscalYear"] = "2007", ["Seen"] = seen, ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(page),
        }));
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);

        var states = await app.DbAsync(db => db.Evaluations.Where(e => e.FiscalYear == 2007).ToDictionaryAsync(e => e.ProjectName!, e => e.Status));
        Assert.Equal("commissioning", states["甲项目"]);
        Assert.Equal("selected", states["乙项目"]);
        var after = await lead.GetStringAsync(approved.Headers.Location!.ToString());
        Assert.Contains("另有 1 个评价对象在您打开页面后选定，尚未批准", after, StringComparison.Ordinal);
    }

    [GeneratedRegex("name=\"Picked\" value=\"([^\"]+)\"")]
    private static partial Regex PickedValue();

    [GeneratedRegex("<input type=\"checkbox\" name=\"Picked\" value=\"([^\"]+)\"[^>]*>")]
    private static partial Regex PickedInput();
}
