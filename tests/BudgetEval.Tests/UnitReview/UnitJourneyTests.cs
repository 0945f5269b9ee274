using System.Net;
using System.Net.Http.Json;
using BudgetEval.Tests.Admin;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Rectifications;
using BudgetEval.Tests.SelfEvaluationForm2;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Notifications;
using BudgetEval.Web.Plans;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.UnitReview;

/// <summary>
/// What a unit's users (and the bureau verifying their rectification) stumbled over on the 自评表, the finding page,
/// the 整改情况说明 page and the notifications inbox: each test fails without its fix.
/// </summary>
public sealed class UnitJourneyTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_an_extension_asked_for_When_the_bureau_opens_the_finding_page_Then_it_shows_the_date_asked_for_in_Chinese()
    {
        var api = new RectificationApi(app);
        var (id, caseId) = await api.RegisterAsync("固定资产未定期盘点", new DateOnly(2026, 5, 1));
        await api.PutOkAsync("unit", $"/api/findings/{id}/requested-deadline", new { deadline = "2026-07-01", stamp = await api.StampAsync("unit", id) });
        using var unit = await app.SignInAsync("unit");
        var saved = WebUtility.HtmlDecode(await unit.GetStringAsync($"/findings/{id}"));
        var caseBefore = await unit.GetStringAsync($"/cases/{caseId}");
        await api.Cases.FireOkAsync("unit", caseId, "requestExtension", "盘点需跨季度完成。");

        using var finance = await app.SignInAsync("finance");
        var page = WebUtility.HtmlDecode(await finance.GetStringAsync($"/findings/{id}"));

        // Before the request the unit is told the date is saved but not yet asked for; the bureau deciding 同意延期 sees it.
        Assert.Contains("<strong>申请延期至：</strong>2026年7月1日（已保存，尚未提交延期申请）", saved, StringComparison.Ordinal);
        Assert.Contains("<strong>申请延期至：</strong>2026年7月1日（已申请，待财政局审核）", page, StringComparison.Ordinal);

        // The case page, where 同意延期 is clicked, says it too, beside the deadline it would replace; not before the request.
        Assert.DoesNotContain("case-extension", caseBefore, StringComparison.Ordinal);
        var casePage = WebUtility.HtmlDecode(await finance.GetStringAsync($"/cases/{caseId}"));
        Assert.Contains("data-testid=\"case-extension\">申请延期至：<strong>2026年7月1日</strong>（现整改期限：2026年5月1日）", casePage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_finding_in_planning_When_the_filler_and_the_unit_head_open_it_Then_only_the_filler_is_offered_to_act_naming_the_actions()
    {
        var api = new RectificationApi(app);
        var (id, caseId) = await api.RegisterAsync("办公用房超标", new DateOnly(2026, 6, 30));
        using var unit = await app.SignInAsync("unit");
        using var head = await app.SignInAsync("unithead");

        var filler = WebUtility.HtmlDecode(await unit.GetStringAsync($"/findings/{id}"));
        var reader = WebUtility.HtmlDecode(await head.GetStringAsync($"/findings/{id}"));

        Assert.Contains($"<a class=\"button\" href=\"/cases/{caseId}\" data-testid=\"finding-act\">办理整改事项（报送整改方案、申请延期）</a>", filler, StringComparison.Ordinal);
        Assert.Contains($"<a class=\"button secondary\" href=\"/cases/{caseId}\" data-testid=\"finding-act\">查看整改事项及流转记录</a>", reader, StringComparison.Ordinal);
        Assert.DoesNotContain("办理整改事项", reader, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_the_extension_form_When_the_date_is_empty_or_not_later_Then_the_message_names_the_field_and_the_deadline_in_Chinese()
    {
        var api = new RectificationApi(app);
        var (id, _) = await api.RegisterAsync("公务用车登记不全", new DateOnly(2026, 5, 1));
        using var unit = await app.SignInAsync("unit");

        var empty = await RectificationWalk.RectificationPages.ExtensionAsync(unit, id, "", "车辆信息需逐台核对。");
        var early = await RectificationWalk.RectificationPages.ExtensionAsync(unit, id, "2026-04-01", "车辆信息需逐台核对。");

        var emptyPage = WebUtility.HtmlDecode(await empty.Content.ReadAsStringAsync());
        var earlyPage = WebUtility.HtmlDecode(await early.Content.ReadAsStringAsync());
        Assert.Contains("请填写「申请延至」的日期。", emptyPage, StringComparison.Ordinal);
        Assert.Contains("「申请延至」须晚于现整改期限 2026年5月1日。", earlyPage, StringComparison.Ordinal);
        Assert.Contains("value=\"2026-04-01\"", RectificationWalk.RectificationPages.ExtensionForm(earlyPage), StringComparison.Ordinal); // the typed date is kept
        Assert.Null((await api.FindingAsync("unit", id)).GetProperty("rectification").GetProperty("requestedDeadline").GetString());
    }

    [Fact]
    public async Task Given_a_plan_and_result_of_several_lines_When_the_bureau_reads_the_finding_page_Then_the_line_breaks_are_kept()
    {
        var api = new RectificationApi(app);
        var (id, caseId) = await api.RegisterAsync("会议费超标准列支", new DateOnly(2026, 6, 30));
        const string measures = "1、清理2025年会议费支出。\n2、修订会议费管理办法。";
        await api.PutOkAsync("unit", $"/api/findings/{id}/plan", new { measures, responsible = "张晓燕", plannedDate = "2026-05-30", stamp = await api.StampAsync("unit", id) });
        await api.Cases.FireOkAsync("unit", caseId, "submitPlan");
        const string result = "已清退超标准费用。\n已印发新办法。";
        await api.PutOkAsync("unit", $"/api/findings/{id}/result", new { result, stamp = await api.StampAsync("unit", id) });

        using var finance = await app.SignInAsync("finance");
        var page = WebUtility.HtmlDecode(await finance.GetStringAsync($"/findings/{id}"));

        Assert.Contains($"<p class=\"prewrap\">{measures}</p>", page, StringComparison.Ordinal);
        Assert.Contains($"<p class=\"prewrap\">{result}</p>", page, StringComparison.Ordinal);
        Assert.Contains("2025年度 · 财务管理", page, StringComparison.Ordinal); // the year as everywhere else, not 「2025 年」
        Assert.DoesNotContain("2025 年 ·", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_form_with_an_amount_that_is_no_number_and_one_negative_When_saved_Then_both_are_named_in_one_answer_and_nothing_is_saved()
    {
        var id = await ProjectDraftAsync();
        using var unit = await app.SignInAsync("unit");
        var (html, fields) = await FormPage.OpenAsync(unit, id);
        fields["Input.Budget"] = "四百";
        fields["Input.Executed"] = "-5";

        var response = await FormPage.PostAsync(unit, id, html, fields);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("「全年预算数」“四百”不是数字。", page, StringComparison.Ordinal);
        Assert.Contains("「全年执行数」不能为负数。", page, StringComparison.Ordinal);
        Assert.DoesNotContain("请填写「全年预算数」", page, StringComparison.Ordinal); // the unreadable value is not also called missing
        Assert.Matches("name=\"Input.Executed\" id=\"funds-executed\" value=\"-5\"[^>]* class=\"invalid\" aria-invalid=\"true\"", page);
        var stored = await app.DbAsync(db => db.SelfEvaluations.AsNoTracking().SingleAsync(s => s.Id == id));
        Assert.NotEqual(-5m, stored.FundsExecuted);
    }

    [Fact]
    public async Task Given_statements_of_several_lines_When_the_self_evaluation_is_submitted_Then_the_unit_head_reads_them_as_typed_and_can_go_to_the_case()
    {
        var centre = await app.SocialGovernanceCentreAsync();
        var se = await app.DbAsync(db => db.SelfEvaluations.AsNoTracking()
            .SingleAsync(s => s.OrganisationId == centre && s.FiscalYear == 2022 && s.PlanId != null && s.Kind == EvaluationKind.DepartmentWide));
        var api = new RectificationApi(app);
        var client = await api.Cases.As("unit");
        var items = await Evaluations.EvaluationApi.JsonAsync(client, $"/api/self-evaluations/{se.Id}/follow-up");
        const string statement = "已建立台账。\n计划6月底前完成。";
        var statements = items.EnumerateArray().Where(i => i.GetProperty("needsStatement").GetBoolean())
            .ToDictionary(i => i.GetProperty("findingId").GetGuid().ToString(), _ => statement);
        var put = await client.PutAsJsonAsync($"/api/self-evaluations/{se.Id}/follow-up", new { statements, stamps = RectificationApi.FollowUpStamps(items) });
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        await api.Cases.FireOkAsync("unit", se.CaseId!.Value, "submit");

        using var head = await app.SignInAsync("unithead");
        var page = WebUtility.HtmlDecode(await head.GetStringAsync($"/self-evaluations/{se.Id}/follow-up"));

        Assert.Contains($"<span class=\"prewrap\">{statement}</span>", page, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/cases/{se.CaseId}\" data-testid=\"follow-up-case\">事项与提交</a>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_unit_without_earlier_findings_When_its_follow_up_page_opens_Then_it_says_so_without_an_empty_table()
    {
        var education = await app.OrganisationIdAsync(DemoSeeder.EducationBureau);
        var se = await app.DbAsync(db => db.SelfEvaluations.AsNoTracking().FirstAsync(s => s.OrganisationId == education && s.PlanId != null));
        using var unit2 = await app.SignInAsync("unit2");

        var page = await unit2.GetStringAsync($"/self-evaluations/{se.Id}/follow-up");

        Assert.Contains("没有需要跟踪的问题。", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"follow-up\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("保存整改情况说明", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_more_notifications_than_a_page_When_the_inbox_opens_Then_it_says_how_many_are_not_shown_and_the_unread_view_says_none_are_unread()
    {
        var me = await app.DbAsync(db => db.Users.Where(u => u.UserName == "unit2").Select(u => u.Id).SingleAsync());
        await app.DbAsync(async db =>
        {
            var at = app.Clock.GetUtcNow().AddDays(-30);
            for (var i = 0; i < Web.Notifications.IndexModel.PageSize + 1; i++)
            {
                db.Notifications.Add(new Notification { Id = Guid.NewGuid(), RecipientUserId = me, Title = $"逾期提醒{i}", Body = "请尽快办理。", Link = "/inbox", CreatedAt = at.AddMinutes(i), ReadAt = at });
            }

            return await db.SaveChangesAsync();
        });
        using var unit2 = await app.SignInAsync("unit2");
        var readAll = await unit2.PostFormAsync("/notifications", [], "/notifications?handler=ReadAll");
        Assert.Equal(HttpStatusCode.Redirect, readAll.StatusCode);
        var total = await app.DbAsync(db => db.Notifications.CountAsync(n => n.RecipientUserId == me));

        var all = await unit2.GetStringAsync("/notifications");
        var unread = await unit2.GetStringAsync("/notifications?unread=true");

        Assert.Contains($"仅显示最近 100 条（共 {total} 条）通知", all, StringComparison.Ordinal);
        Assert.Contains("没有未读通知。", unread, StringComparison.Ordinal);
        Assert.DoesNotContain("notifications-more", unread, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_budget_that_is_no_number_When_a_unit_creates_a_self_evaluation_Then_it_is_refused_by_its_Chinese_name_with_the_text_kept_and_nothing_created()
    {
        using var unit = await app.SignInAsync("unit");
        var html = await unit.GetStringAsync("/self-evaluations");
        var response = await unit.PostAsync("/self-evaluations", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(html),
            ["Title"] = "2025年度专项调研自评",
            ["FiscalYear"] = "2025",
            ["Deadline"] = "2026-04-30",
            ["TotalBudget"] = "一百",
            ["IdempotencyKey"] = Guid.NewGuid().ToString("N"),
        }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("「全年预算数」的值「一百」无效。", page, StringComparison.Ordinal);
        Assert.DoesNotContain("TotalBudget」", page, StringComparison.Ordinal);
        Assert.Contains("id=\"TotalBudget\" name=\"TotalBudget\" value=\"一百\"", page, StringComparison.Ordinal);
        Assert.False(await app.DbAsync(db => db.SelfEvaluations.AnyAsync(s => s.Title == "2025年度专项调研自评")));
    }

    [Fact]
    public async Task Given_a_hand_made_self_evaluation_When_its_budget_is_changed_to_no_number_Then_the_stored_amount_is_kept()
    {
        var (id, caseId) = await new Workflows.CaseApi(app).CreateAsync();
        var before = await app.DbAsync(db => db.SelfEvaluations.AsNoTracking().SingleAsync(s => s.Id == id));
        using var unit = await app.SignInAsync("unit");
        var html = await unit.GetStringAsync($"/self-evaluations/{id}/edit");
        var version = System.Text.RegularExpressions.Regex.Match(html, "name=\"ExpectedVersion\" value=\"(\\d+)\"").Groups[1].Value;

        var response = await unit.PostFormAsync($"/self-evaluations/{id}/edit",
            [new("Title", before.Title), new("TotalBudget", "一百万"), new("Summary", "改了概述"), new("ExpectedVersion", version)]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("「全年预算数」的值「一百万」无效。", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var after = await app.DbAsync(db => db.SelfEvaluations.AsNoTracking().SingleAsync(s => s.Id == id));
        Assert.NotNull(before.TotalBudget);
        Assert.Equal(before.TotalBudget, after.TotalBudget);
        Assert.Equal(before.Summary, after.Summary);
        Assert.NotEqual(Guid.Empty, caseId);
    }

    [Fact]
    public async Task Given_it_is_January_2027_When_a_unit_opens_the_self_evaluation_list_Then_the_new_form_proposes_2026()
    {
        await app.Clock.LaterAsync(TimeSpan.FromDays(335), async () => // 2026-03-02 + 335 days = 2027-01-31
        {
            using var unit = await app.SignInAsync("unit");
            var html = await unit.GetStringAsync("/self-evaluations");
            Assert.Contains("id=\"FiscalYear\" name=\"FiscalYear\" value=\"2026\"", html, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData(150)]
    [InlineData(1500)]
    public async Task Given_a_table_of_many_indicators_When_the_form_page_saves_Then_it_is_saved_like_a_short_one(int rows)
    {
        // unit2's own draft: 150 rows are some 1,500 form fields, more than a form is read with by default.
        var education = await app.OrganisationIdAsync(DemoSeeder.EducationBureau);
        var id = await app.DbAsync(async db =>
        {
            var se = await db.SelfEvaluations.FirstAsync(s => s.OrganisationId == education && s.PlanId != null);
            await db.SelfEvaluationIndicators.Where(i => i.SelfEvaluationId == se.Id).ExecuteDeleteAsync();
            for (var i = 0; i < rows; i++)
            {
                db.SelfEvaluationIndicators.Add(new Web.SelfEvaluations.SelfEvaluationIndicator
                {
                    Id = Guid.NewGuid(), SelfEvaluationId = se.Id, OrganisationId = education, SortOrder = i + 1,
                    Level1 = "产出指标", Level2 = "数量指标", Level3 = $"指标{i + 1}", Target = "≥1次", Actual = "1次", Weight = 0.05m, Score = 0.05m,
                });
            }

            await db.SaveChangesAsync();
            return se.Id;
        });
        using var unit2 = await app.SignInAsync("unit2");
        var (html, fields) = await FormPage.OpenAsync(unit2, id);
        fields["Input.Budget"] = "100.00";
        fields["Input.Executed"] = "90.00";
        fields["Input.Report[other]"] = $"共{rows}项指标";

        var response = await FormPage.PostAsync(unit2, id, html, fields);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var stored = await app.DbAsync(db => db.SelfEvaluations.AsNoTracking().SingleAsync(s => s.Id == id));
        Assert.Equal($"共{rows}项指标", stored.Report.Other);
        Assert.Equal(rows, await app.DbAsync(db => db.SelfEvaluationIndicators.CountAsync(i => i.SelfEvaluationId == id)));
    }

    [Fact]
    public async Task Given_the_print_preview_and_the_notification_settings_When_opened_Then_each_offers_a_way_back()
    {
        var id = await ProjectDraftAsync();
        using var unit = await app.SignInAsync("unit");

        var print = await unit.GetStringAsync($"/self-evaluations/{id}/print");
        var settings = await unit.GetStringAsync("/notifications/settings");

        Assert.Matches($"<nav class=\"screen-only\" data-testid=\"print-nav\"><a href=\"/self-evaluations/{id}/form\">返回自评表</a>", print);
        Assert.Contains("href=\"/css/print.css?v=", print, StringComparison.Ordinal); // the rule is in the stylesheet: the CSP allows no inline style
        Assert.Contains("@media print { .screen-only { display: none; } }", await unit.GetStringAsync("/css/print.css"), StringComparison.Ordinal);
        Assert.Contains("<p class=\"year\">（2022年度）</p>", print, StringComparison.Ordinal); // as the official form writes it, not 「2022 年」
        Assert.Contains("<a class=\"button secondary\" href=\"/notifications\" data-testid=\"settings-back\">返回通知</a>", settings, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_blank_row_between_indicators_When_a_later_row_scores_above_its_weight_Then_the_message_names_the_row_number_shown_on_the_page()
    {
        var education = await app.OrganisationIdAsync(DemoSeeder.EducationBureau);
        var id = await app.DbAsync(db => db.SelfEvaluations.Where(s => s.OrganisationId == education && s.PlanId != null).Select(s => s.Id).FirstAsync());
        using var unit2 = await app.SignInAsync("unit2");
        var (html, fields) = await FormPage.OpenAsync(unit2, id);
        foreach (var key in fields.Keys.Where(k => k.StartsWith("Input.Rows[", StringComparison.Ordinal)).ToList())
        {
            fields.Remove(key);
        }

        fields["Input.Budget"] = "100.00";
        fields["Input.Executed"] = "90.00";
        (fields["Input.Rows[0].Level3"], fields["Input.Rows[0].Weight"], fields["Input.Rows[0].Score"]) = ("教师培训人次", "5", "5");
        (fields["Input.Rows[1].Level3"], fields["Input.Rows[1].Weight"], fields["Input.Rows[1].Score"]) = ("", "", ""); // cleared by hand, not removed
        (fields["Input.Rows[2].Level3"], fields["Input.Rows[2].Weight"], fields["Input.Rows[2].Score"]) = ("校舍维修完成率", "2", "5");

        var response = await FormPage.PostAsync(unit2, id, html, fields);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("第3行的得分（5）超过分值（2）。", page, StringComparison.Ordinal); // the 行号 the page shows
        Assert.DoesNotContain("第2行的得分", page, StringComparison.Ordinal);
        Assert.Matches("name=\"Input.Rows\\[2\\].Score\" value=\"5\"[^>]*aria-invalid=\"true\"|class=\"score invalid server-invalid\" aria-invalid=\"true\" name=\"Input.Rows\\[2\\].Score\"", page);
    }

    [Fact]
    public async Task Given_the_findings_register_When_unit_staff_open_it_Then_no_unit_filter_is_offered_while_the_bureau_and_the_firm_keep_theirs()
    {
        // A unit sees its own findings only: the filter by unit offered it nothing but an empty list.
        foreach (var login in new[] { "unit", "unithead" })
        {
            var page = await (await app.SignInAsync(login)).GetStringAsync("/findings");
            Assert.DoesNotContain("id=\"Unit\"", page, StringComparison.Ordinal);
            Assert.Contains("id=\"Status\"", page, StringComparison.Ordinal);
        }

        foreach (var login in new[] { "finance", "financelead", "evaluator" })
        {
            Assert.Contains("<label for=\"Unit\">单位</label>", await (await app.SignInAsync(login)).GetStringAsync("/findings"), StringComparison.Ordinal);
        }
    }

    private Task<Guid> ProjectDraftAsync() => app.DbAsync(async db =>
    {
        var centre = await db.Organisations.Where(o => o.Name == DemoSeeder.SocialGovernanceCentre).Select(o => o.Id).SingleAsync();
        return await db.SelfEvaluations.Where(s => s.OrganisationId == centre && s.PlanId != null && s.Kind == EvaluationKind.Project).Select(s => s.Id).FirstAsync();
    });
}
