using System.Net;
using System.Net.Http.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.Evaluations;

/// <summary>The 重点绩效评价 flow over the API against a real database (each test uses its own fiscal year).</summary>
public sealed class EvaluationFlowTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly EvaluationApi _api = new(app);

    [Fact]
    public async Task Given_sample_csv_When_evaluator_imports_it_Then_api_shows_89_80_good_with_group_subtotals()
    {
        var id = await _api.InCommentWindowAsync(2015);

        var json = await EvaluationApi.JsonAsync(await app.ApiAsync("finance"), $"/api/evaluations/{id}");

        Assert.Equal(89.80m, json.GetProperty("totalScore").GetDecimal());
        Assert.Equal("良", json.GetProperty("grade").GetString());
        Assert.Equal([7m, 22.8m, 39m, 21m], json.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("score").GetDecimal()));
    }

    [Fact]
    public async Task Given_a_selected_unit_When_selected_again_for_the_same_year_Then_refused_until_the_first_is_dropped()
    {
        var finance = await app.ApiAsync("finance");
        var centre = await app.SocialGovernanceCentreAsync();
        Task<HttpResponseMessage> SelectAsync(int year, params object[] targets) => finance.PostAsJsonAsync("/api/evaluations", new { fiscalYear = year, targets });
        object Whole(string reason) => new { organisationId = centre, kind = "DepartmentWide", reason };
        Task<int> CountAsync(int year) => app.DbAsync(db => db.Evaluations.CountAsync(e => e.FiscalYear == year));

        var first = await SelectAsync(2011, Whole("预算规模大"));
        await EvaluationApi.Ok(first);
        var again = await SelectAsync(2011, Whole("再次选定"));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("2011年度长沙市望城区社会治理服务中心部门整体支出绩效评价」已选定，不能重复选定", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var twice = await SelectAsync(2010, Whole("一"), Whole("二"));
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Contains("与前面的评价对象重复", await twice.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync(2011));
        Assert.Equal(0, await CountAsync(2010));

        // A project of the same unit and year is another evaluation.
        await EvaluationApi.Ok(await SelectAsync(2011, new { organisationId = centre, kind = "Project", projectName = "网格化服务管理", reason = "预算规模大" }));

        // Once the lead drops the first (不予评价), the unit's year may be selected again.
        var id = System.Text.Json.JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement[0].GetProperty("id").GetGuid();
        await EvaluationApi.Ok(await EvaluationApi.ActAsync(await app.ApiAsync("financelead"), id, "reject", "本年度不评价。"));
        await EvaluationApi.Ok(await SelectAsync(2011, Whole("重新选定")));
        Assert.Equal(3, await CountAsync(2011));
    }

    [Fact]
    public async Task Given_a_commissioned_evaluation_When_its_people_are_told_Then_the_lead_was_asked_to_approve_and_the_firm_got_its_评价任务()
    {
        var id = await _api.CommissionedAsync(2008);
        var caseId = (await EvaluationApi.JsonAsync(await app.ApiAsync("finance"), $"/api/evaluations/{id}")).GetProperty("caseId").GetGuid();

        var told = await app.DbAsync(db => db.Notifications.Where(n => n.Link == $"/cases/{caseId}")
            .Join(db.Users, n => n.RecipientUserId, u => u.Id, (n, u) => new { u.UserName, n.Event, n.Title, n.Body }).ToListAsync());
        Assert.Contains(told, n => n.UserName == "financelead" && n.Event == "TaskAssigned" && n.Title.EndsWith("（待审批）", StringComparison.Ordinal));
        var task = Assert.Single(told, n => n.UserName == "evaluator");
        Assert.Equal("EvaluationAssigned", task.Event);
        Assert.Contains("请确定主评人及评价人员", task.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_selection_When_the_lead_approves_over_the_api_Then_the_answer_has_the_cases_shape()
    {
        var finance = await app.ApiAsync("finance");
        var selected = await EvaluationApi.SelectCentreAsync(finance, await app.SocialGovernanceCentreAsync(), 2007);
        await EvaluationApi.Ok(selected);
        var id = System.Text.Json.JsonDocument.Parse(await selected.Content.ReadAsStringAsync()).RootElement[0].GetProperty("id").GetGuid();

        var lead = await app.ApiAsync("financelead");
        var caseVersion = await EvaluationApi.CaseVersionAsync(lead, id);
        async Task<HttpResponseMessage> ApproveAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/evaluations/{id}/actions/approve") { Content = JsonContent.Create(new { expectedVersion = caseVersion }) };
            request.Headers.Add("Idempotency-Key", $"approve-{id}");
            return await lead.SendAsync(request);
        }

        var approved = await ApproveAsync();
        var body = await approved.Content.ReadAsStringAsync();
        var json = System.Text.Json.JsonDocument.Parse(body).RootElement;
        var again = await ApproveAsync(); // a double click: the first answer again, nothing done twice
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(body, await again.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("commissioning", json.GetProperty("state").GetString());
        Assert.Equal("委托评价机构", json.GetProperty("stateLabel").GetString());
        Assert.True(json.GetProperty("version").GetInt32() > 1);
        Assert.False(json.TryGetProperty("httpStatus", out _)); // not the engine's internal result
    }

    [Fact]
    public async Task Given_invalid_file_When_imported_Then_400_with_cell_errors_and_table_unchanged()
    {
        var id = await _api.CommissionedAsync(2016);
        var evaluator = await app.ApiAsync("evaluator");

        var response = await EvaluationApi.ImportAsync(evaluator, id, "一级指标,二级指标,三级指标,分值,得分,评分说明\n投入,目标设定,绩效目标合理性,2,5,\n"u8.ToArray());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var error = body.GetProperty("errors")[0];
        Assert.Equal(2, error.GetProperty("row").GetInt32());
        Assert.Equal("得分", error.GetProperty("column").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        var detail = await EvaluationApi.JsonAsync(evaluator, $"/api/evaluations/{id}");
        Assert.Equal(30, detail.GetProperty("rows").GetArrayLength()); // still the template's rows, unscored
        Assert.Equal(0m, detail.GetProperty("totalScore").GetDecimal());
    }

    [Fact]
    public async Task Given_row_below_full_marks_without_note_When_final_report_submitted_Then_refused()
    {
        var id = await _api.InFinalReportAsync(2017);
        var evaluator = await app.ApiAsync("evaluator");
        await EvaluationApi.Ok(await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/scores", new
        {
            rows = new[] { new { level1 = "过程", level3 = "政府采购执行率", score = 0m, note = (string?)null } },
            expectedVersion = await EvaluationApi.VersionAsync(evaluator, id),
        }));

        var response = await EvaluationApi.ActAsync(evaluator, id, "submitFinal");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("政府采购执行率", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var detail = await EvaluationApi.JsonAsync(evaluator, $"/api/evaluations/{id}");
        Assert.Equal("final_report", detail.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Given_member_with_declared_conflict_When_added_Then_refused_and_not_on_team()
    {
        var id = await _api.CommissionedAsync(2018);
        var evaluator = await app.ApiAsync("evaluator");

        var refused = await evaluator.PostAsJsonAsync($"/api/evaluations/{id}/team", new { name = "王冲突", isLead = false, noConflict = false, declaration = "本人配偶在被评价单位任职。" });
        await EvaluationApi.Ok(await evaluator.PostAsJsonAsync($"/api/evaluations/{id}/team", new { name = "江惠平", isLead = true, noConflict = true }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("利益冲突", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var team = (await EvaluationApi.JsonAsync(evaluator, $"/api/evaluations/{id}")).GetProperty("team");
        Assert.Equal(["江惠平"], team.EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        Assert.False(string.IsNullOrEmpty(team[0].GetProperty("declaration").GetString()));
    }

    [Fact]
    public async Task Given_evaluation_of_one_firm_When_user_of_other_firm_reads_it_Then_404_and_absent_from_list()
    {
        var id = await _api.CommissionedAsync(2019);
        await EnsureUserAsync("zhengheng", BudgetEval.Web.Demo.DemoSeeder.ZhengHeng, Roles.Evaluator);
        var other = await app.ApiAsync("zhengheng");

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/evaluations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/evaluations/{id}/report")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync($"/api/evaluations/{id}/team", new { name = "某人", isLead = true, noConflict = true })).StatusCode);
        Assert.Equal(0, (await EvaluationApi.JsonAsync(other, "/api/evaluations?fiscalYear=2019")).GetArrayLength());
        var mine = await EvaluationApi.JsonAsync(await app.ApiAsync("evaluator"), "/api/evaluations?fiscalYear=2019");
        Assert.Equal(DemoSeeder.SocialGovernanceCentre, mine[0].GetProperty("unitName").GetString());
    }

    [Fact]
    public async Task Given_unit_When_reading_report_Then_draft_only_in_comment_window_and_final_after_completion()
    {
        var unit = await app.ApiAsync("unit");
        var commissioned = await _api.CommissionedAsync(2020);
        Assert.Equal(HttpStatusCode.NotFound, (await unit.GetAsync($"/api/evaluations/{commissioned}/report")).StatusCode);

        var id = await _api.InCommentWindowAsync(2014);
        var draft = await EvaluationApi.JsonAsync(unit, $"/api/evaluations/{id}/report");
        Assert.Equal(9, draft.GetProperty("problems").GetArrayLength());

        var unitClient = await app.ApiAsync("unit");
        await EvaluationApi.Ok(await EvaluationApi.ActAsync(unitClient, id, "comment"));
        Assert.Equal(HttpStatusCode.NotFound, (await unit.GetAsync($"/api/evaluations/{id}/report")).StatusCode);
        var hidden = await EvaluationApi.JsonAsync(unit, $"/api/evaluations/{id}");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, hidden.GetProperty("totalScore").ValueKind);

        var evaluator = await app.ApiAsync("evaluator");
        await EvaluationApi.Ok(await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/report", new { expectedVersion = await EvaluationApi.VersionAsync(evaluator, id), reportNumber = "湘财苑专审字[2026]第1号", reportDate = "2026-03-02" }));
        await EvaluationApi.Ok(await EvaluationApi.ActAsync(evaluator, id, "submitFinal"));
        Assert.Equal(HttpStatusCode.NotFound, (await unit.GetAsync($"/api/evaluations/{id}/report")).StatusCode);
        await EvaluationApi.Ok(await EvaluationApi.ActAsync(await app.ApiAsync("finance"), id, "accept"));

        var final = await EvaluationApi.JsonAsync(unit, $"/api/evaluations/{id}/report");
        Assert.Equal("湘财苑专审字[2026]第1号", final.GetProperty("reportNumber").GetString());
    }

    [Fact]
    public async Task Given_disputed_problem_without_answer_When_final_report_submitted_Then_refused()
    {
        var id = await _api.InCommentWindowAsync(2013);
        var unit = await app.ApiAsync("unit");
        await EvaluationApi.Ok(await unit.PutAsJsonAsync($"/api/evaluations/{id}/comments", new { expectedVersion = await EvaluationApi.VersionAsync(unit, id), problems = new[] { new { no = 1, comment = "采购预算含跨年项目。", disputed = true } } }));
        await EvaluationApi.Ok(await EvaluationApi.ActAsync(unit, id, "comment"));
        var evaluator = await app.ApiAsync("evaluator");
        await EvaluationApi.Ok(await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/report", new { expectedVersion = await EvaluationApi.VersionAsync(evaluator, id), reportNumber = "湘财苑专审字[2026]第2号", reportDate = "2026-03-02" }));

        var response = await EvaluationApi.ActAsync(evaluator, id, "submitFinal");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("尚未答复", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task EnsureUserAsync(string userName, string organisation, string role)
    {
        using var scope = app.Factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByNameAsync(userName) is not null)
        {
            return;
        }

        var user = new AppUser { UserName = userName, DisplayName = "周评", OrganisationId = await app.OrganisationIdAsync(organisation), CreatedAt = AppFactory.DefaultNow };
        Assert.True((await users.CreateAsync(user, AppFixture.DemoPassword)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
    }
}
