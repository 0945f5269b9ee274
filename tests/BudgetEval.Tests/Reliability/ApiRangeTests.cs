using System.Net;
using System.Net.Http.Json;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Reliability;

/// <summary>Values outside what the API can hold (dates of year 9999, page numbers that overflow, selections at once) are refused by name, never a 500.</summary>
public sealed class ApiRangeTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("deadline", "9999-12-31", "整改期限")]
    [InlineData("deadline", "1900-01-01", "整改期限")]
    [InlineData("sourceDate", "2999-01-01", "来源日期")]
    public async Task Given_a_finding_with_a_date_out_of_range_When_registered_Then_400_names_it_and_nothing_is_saved(string field, string date, string label)
    {
        var finance = await app.ApiAsync("finance");
        var body = new Dictionary<string, object?>
        {
            ["organisationId"] = await app.SocialGovernanceCentreAsync(),
            ["fiscalYear"] = 2022,
            ["category"] = "财务管理",
            ["title"] = $"日期越界{field}{date}",
            ["detail"] = "d",
            ["source"] = "Audit",
            ["sourceDocument"] = "望审〔2023〕1号",
            [field] = date,
        };

        var response = await finance.PostAsJsonAsync("/api/findings", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"「{label}」{date} 超出范围", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await app.DbAsync(db => db.Findings.AnyAsync(f => f.Title == $"日期越界{field}{date}")));
    }

    [Theory]
    [InlineData("50000000")]
    [InlineData("2147483647")]
    [InlineData("abc")]
    public async Task Given_a_results_page_number_out_of_range_When_read_Then_400_names_page(string page)
    {
        var response = await (await app.ApiAsync("finance")).GetAsync($"/api/results/2022?page={page}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("page 须为 1 到 1000 之间的整数", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_report_due_in_the_year_9999_When_commissioning_Then_refused_by_name_and_the_case_stays()
    {
        var id = await new EvaluationApi(app).SelectAndApproveAsync(2006);
        var firm = await app.OrganisationIdAsync(BudgetEval.Web.Demo.DemoSeeder.XinCaiYuan);

        var response = await (await app.ApiAsync("finance")).PostAsJsonAsync($"/api/evaluations/{id}/commission", new { firmId = firm, reportDueDate = "9999-12-31" });

        Assert.False(response.IsSuccessStatusCode);
        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("「报告提交期限」9999-12-31 超出范围", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var saved = await app.DbAsync(db => db.Evaluations.AsNoTracking().SingleAsync(e => e.Id == id));
        Assert.Null(saved.FirmId);
        Assert.Equal("commissioning", saved.Status);
    }

    [Fact]
    public async Task Given_six_selections_of_one_unit_and_year_at_once_When_they_run_Then_one_is_created_and_the_rest_refused()
    {
        var finance = await app.ApiAsync("finance");
        var centre = await app.SocialGovernanceCentreAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => finance.PostAsJsonAsync("/api/evaluations", new
        {
            fiscalYear = 2005,
            targets = new[] { new { organisationId = centre, kind = "DepartmentWide", reason = "并发选定" } },
        })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Equal(1, await app.DbAsync(db => db.Evaluations.CountAsync(e => e.FiscalYear == 2005)));
    }

    [Fact]
    public async Task Given_a_plan_date_in_9999_When_saved_Then_refused_by_name()
    {
        var rectifications = new Rectifications.RectificationApi(app);
        var (id, _) = await rectifications.RegisterAsync("计划日期越界", new DateOnly(2026, 6, 30));
        var unit = await app.ApiAsync("unit");

        var plan = await unit.PutAsJsonAsync($"/api/findings/{id}/plan", new { measures = "措施", responsible = "王主任", plannedDate = "9999-12-31", stamp = await rectifications.StampAsync("unit", id) });

        Assert.False(plan.IsSuccessStatusCode);
        Assert.Contains("「计划完成日期」9999-12-31 超出范围", await plan.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fiscalYear", 1999, "Audit", "「年度」应为 2000 至 2100 之间的年份")]
    [InlineData("source", 2022, "Bogus", "「问题来源」应为 Audit（审计）")]
    public async Task Given_a_finding_with_a_filled_but_wrong_value_When_registered_Then_the_message_says_what_is_wrong_not_that_it_is_missing(string field, int year, string source, string message)
    {
        var response = await (await app.ApiAsync("finance")).PostAsJsonAsync("/api/findings", new
        {
            organisationId = await app.SocialGovernanceCentreAsync(), fiscalYear = year, category = "财务管理", title = "t", detail = "d", source, sourceDocument = "望审〔2023〕1号",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains(message, text, StringComparison.Ordinal);
        Assert.DoesNotContain("请填写", text, StringComparison.Ordinal);
        Assert.Contains($"\"{field}\"", text, StringComparison.Ordinal);
    }
}
