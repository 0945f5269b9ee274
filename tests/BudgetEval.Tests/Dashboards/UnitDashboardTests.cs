using System.Net;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.Dashboards;

/// <summary>A unit's own dashboard, the data scope of both dashboards, and the .xlsx exports.</summary>
public sealed class UnitDashboardTests(SeededYear seeded) : IClassFixture<SeededYear>
{
    private AppFixture App => seeded.App;

    [Fact]
    public async Task Given_the_seeded_year_When_the_unit_reads_its_dashboard_Then_tasks_findings_and_scores_are_its_own_and_equal_the_database()
    {
        var centre = await App.SocialGovernanceCentreAsync();
        using var unit = await App.ApiAsync("unit");
        var json = await EvaluationApi.JsonAsync(unit, "/api/dashboards/unit");

        var openFindings = await seeded.SqlAsync("""SELECT count(*)::int FROM findings WHERE "OrganisationId" = @org AND "Status" IN ('Open','InProgress','Partial')""", ("org", centre));
        Assert.Equal((int)openFindings[0][0]!, json.GetProperty("findings").GetProperty("total").GetInt32());
        Assert.True((int)openFindings[0][0]! > 0);
        var numbers = await seeded.SqlAsync("""SELECT "Number" FROM findings WHERE "OrganisationId" <> @org""", ("org", centre));
        var listed = json.GetProperty("findings").GetProperty("items").EnumerateArray().Select(i => i.GetProperty("number").GetString()).ToList();
        Assert.DoesNotContain(listed, n => numbers.Any(r => (string)r[0]! == n));

        var userId = await seeded.SqlAsync("""SELECT "Id" FROM users WHERE "UserName" = 'unit'""");
        var tasks = await seeded.SqlAsync("""
            SELECT count(*)::int FROM work_items
            WHERE "Status" = 'Open' AND ("AssigneeUserId" = @user
               OR ("AssigneeUserId" IS NULL AND "AssigneeOrganisationId" = @org AND "AssigneeRole" = 'UnitFiller' AND ("ClaimedBy" IS NULL OR "ClaimedBy" = @user)))
            """, ("user", (Guid)userId[0][0]!), ("org", centre));
        Assert.Equal((int)tasks[0][0]!, json.GetProperty("tasks").GetProperty("total").GetInt32());
        Assert.True((int)tasks[0][0]! > 0);

        // 重点评价得分: the completed evaluations' scored rows, summed by PostgreSQL here.
        var scores = ChartJson.Parse(json.GetProperty("charts").EnumerateArray().Single(c => c.GetProperty("key").GetString() == "scores"));
        var evaluations = await seeded.SqlAsync("""
            SELECT e."FiscalYear", round(sum((r->>'score')::numeric), 2) FROM evaluations e, jsonb_array_elements(e."RowsJson") r
            WHERE e."OrganisationId" = @org AND e."Status" = 'completed' GROUP BY 1
            """, ("org", centre));
        Assert.NotEmpty(evaluations);
        foreach (var row in evaluations)
        {
            Assert.Equal((decimal)row[1]!, scores.Value("重点评价得分", $"{row[0]}年度"));
        }

        var funnel = ChartJson.Parse(json.GetProperty("charts").EnumerateArray().Single(c => c.GetProperty("key").GetString() == "funnel"));
        var all = await seeded.SqlAsync("""SELECT count(*)::int FROM findings WHERE "OrganisationId" = @org""", ("org", centre));
        Assert.Equal((decimal?)(int)all[0][0]!, funnel.Value("问题数", "问题总数"));

        var filtered = ChartJson.Parse((await EvaluationApi.JsonAsync(unit, "/api/dashboards/unit?year=2021")).GetProperty("charts").EnumerateArray().Single(c => c.GetProperty("key").GetString() == "funnel"));
        var in2021 = await seeded.SqlAsync("""SELECT count(*)::int FROM findings WHERE "OrganisationId" = @org AND "FiscalYear" = 2021""", ("org", centre));
        Assert.Equal((decimal?)(int)in2021[0][0]!, filtered.Value("问题数", "问题总数"));
    }

    [Fact]
    public async Task Given_an_open_finding_task_When_the_unit_opens_its_dashboard_Then_the_task_is_due_on_the_findings_deadline_not_the_day_after()
    {
        var centre = await App.SocialGovernanceCentreAsync();
        var task = await seeded.SqlAsync("""
            SELECT w."InstanceId", to_char(f."Deadline", 'YYYY"年"FMMM"月"FMDD"日"') FROM work_items w
            JOIN workflow_instances i ON i."Id" = w."InstanceId" JOIN findings f ON f."Id" = i."SubjectId"
            WHERE w."Status" = 'Open' AND f."OrganisationId" = @org AND w."AssigneeRole" = 'UnitFiller' ORDER BY w."DueAt" LIMIT 1
            """, ("org", centre));
        Assert.NotEmpty(task);
        using var unit = await App.SignInAsync("unit");
        var html = await unit.GetStringAsync("/dashboards/unit");
        var row = System.Text.RegularExpressions.Regex.Match(html, $"<tr><td><a href=\"/cases/{task[0][0]}\">.*?</tr>").Value;
        Assert.Contains($"<td class=\"date\">{task[0][1]}", row, StringComparison.Ordinal); // a date cell: no break inside it
    }

    [Fact]
    public async Task Given_another_unit_When_it_reads_its_dashboard_Then_it_sees_its_own_score_and_none_of_the_centres_findings()
    {
        using var unit2 = await App.ApiAsync("unit2");
        var json = await EvaluationApi.JsonAsync(unit2, "/api/dashboards/unit");
        var education = await App.OrganisationIdAsync(BudgetEval.Web.Demo.DemoSeeder.EducationBureau);
        var own = await seeded.SqlAsync("""SELECT count(*)::int FROM findings WHERE "OrganisationId" = @org""", ("org", education));
        var funnel = ChartJson.Parse(json.GetProperty("charts").EnumerateArray().Single(c => c.GetProperty("key").GetString() == "funnel"));
        Assert.Equal((decimal?)(int)own[0][0]!, funnel.Value("问题数", "问题总数"));
        Assert.Equal(0, json.GetProperty("findings").GetProperty("total").GetInt32());

        // 自评得分 of the accepted 2022 plan form: the total frozen in its version.
        var frozen = await seeded.SqlAsync("""
            SELECT (v."ContentJson"->>'totalScore')::numeric FROM self_evaluations s
            JOIN self_evaluation_versions v ON v."SelfEvaluationId" = s."Id" AND v."VersionNo" = s."CurrentVersion"
            WHERE s."OrganisationId" = @org AND s."Status" = 'accepted' AND s."FiscalYear" = 2022
            """, ("org", education));
        var scores = ChartJson.Parse(json.GetProperty("charts").EnumerateArray().Single(c => c.GetProperty("key").GetString() == "scores"));
        Assert.Equal((decimal)frozen.Single()[0]!, scores.Value("自评得分", "2022年度"));
    }

    [Fact]
    public async Task Given_unit_users_When_they_ask_for_the_bureau_dashboard_Then_they_are_refused_and_the_bureau_cannot_open_a_unit_dashboard()
    {
        using var unitApi = await App.ApiAsync("unit");
        Assert.Equal(HttpStatusCode.NotFound, (await unitApi.GetAsync("/api/dashboards/bureau")).StatusCode); // a refused read looks like nothing there
        Assert.Equal(HttpStatusCode.NotFound, (await unitApi.GetAsync("/api/dashboards/bureau/export.xlsx")).StatusCode);

        using var unitPage = await App.SignInAsync("unit");
        Assert.Equal(HttpStatusCode.NotFound, (await unitPage.GetAsync("/dashboards")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await unitPage.GetAsync("/dashboards?handler=Export")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await unitPage.GetAsync("/dashboards/unit")).StatusCode);

        using var financeApi = await App.ApiAsync("finance");
        Assert.Equal(HttpStatusCode.NotFound, (await financeApi.GetAsync("/api/dashboards/unit")).StatusCode);
        using var admin = await App.ApiAsync("admin");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/dashboards/bureau")).StatusCode);

        using var financePage = await App.SignInAsync("finance");
        Assert.Equal(HttpStatusCode.Unauthorized, (await financePage.GetAsync("/api/dashboards/bureau")).StatusCode); // bearer only: the cookie does not open the API
    }

    [Fact]
    public async Task Given_filters_When_the_bureau_dashboard_is_exported_Then_the_workbook_opens_with_a_sheet_per_chart_and_the_same_rows()
    {
        using var finance = await App.ApiAsync("finance");
        var json = await EvaluationApi.JsonAsync(finance, "/api/dashboards/bureau?year=2022");
        var response = await finance.GetAsync("/api/dashboards/bureau/export.xlsx?year=2022");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sheets = XlsxText.Sheets(await response.Content.ReadAsByteArrayAsync());
        var charts = json.GetProperty("charts").EnumerateArray().ToList();
        Assert.Equal(charts.Count + 2, sheets.Count); // 概况, a sheet per chart, the overdue list
        Assert.Contains(sheets["概况"], r => r[0] == "年度" && r[1] == "2022");
        Assert.Equal(json.GetProperty("overdue").GetProperty("total").GetInt32() + 1, sheets["逾期未完成的问题"].Count);
        var overdue = (await EvaluationApi.JsonAsync(finance, "/api/dashboards/bureau")).GetProperty("overdue").GetProperty("total").GetInt32();
        var everything = XlsxText.Sheets(await (await finance.GetAsync("/api/dashboards/bureau/export.xlsx")).Content.ReadAsByteArrayAsync());
        Assert.True(overdue > 0);
        Assert.Equal(overdue + 1, everything["逾期未完成的问题"].Count); // every overdue finding, not one page
        foreach (var chart in charts)
        {
            var parsed = ChartJson.Parse(chart);
            var rows = sheets[chart.GetProperty("title").GetString()!];
            Assert.Equal(parsed.Labels.Count + 1, rows.Count);
            for (var i = 0; i < parsed.Labels.Count; i++)
            {
                Assert.Equal(parsed.Labels[i], rows[i + 1][0]);
                var k = 1;
                foreach (var values in parsed.Series.Values)
                {
                    var cell = rows[i + 1][k++];
                    Assert.Equal(values[i], cell.Length == 0 ? null : decimal.Parse(cell, System.Globalization.CultureInfo.InvariantCulture)); // 50 and 50.0 are one value
                }
            }
        }

        using var page = await App.SignInAsync("finance");
        var fromPage = await page.GetAsync("/dashboards?handler=Export&year=2021&source=ThirdParty");
        Assert.Equal(HttpStatusCode.OK, fromPage.StatusCode);
        var funnel = XlsxText.Sheets(await fromPage.Content.ReadAsByteArrayAsync())["问题整改漏斗"];
        var count = await seeded.SqlAsync("""SELECT count(*)::int FROM findings WHERE "FiscalYear" = 2021 AND "Source" = 'ThirdParty'""");
        Assert.Equal(((int)count[0][0]!).ToString(System.Globalization.CultureInfo.InvariantCulture), funnel[1][1]);

        using var unit = await App.SignInAsync("unit");
        var unitExport = XlsxText.Sheets(await (await unit.GetAsync("/dashboards/unit?handler=Export")).Content.ReadAsByteArrayAsync());
        Assert.True(unitExport["未完成整改的问题"].Count > 1);
        Assert.Contains("历年得分（部门整体支出）", unitExport.Keys);
    }

}
