using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Workflows;

namespace BudgetEval.Tests.ReviewWeek2;

/// <summary>
/// <c>GET /api/self-evaluations</c> takes the 绩效自评 page's 类型 and 逾期 filters and its sort by submission, with the
/// same meaning (the same rows in the same order as the page), names a wrong value, and a unit still sees only its own.
/// </summary>
public sealed partial class SelfEvaluationListApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly CaseApi _api = new(app);

    [Theory]
    [InlineData("fiscalYear=2022&kind=Project", "year=2022&kind=Project")]
    [InlineData("fiscalYear=2022&kind=DepartmentWide", "year=2022&kind=DepartmentWide")]
    [InlineData("fiscalYear=2022&late=overdue", "year=2022&late=overdue")]
    [InlineData("fiscalYear=2022&sort=submitted", "year=2022&sort=submitted")]
    public async Task Given_the_demo_records_When_the_api_and_the_page_are_asked_the_same_Then_they_list_the_same_cases_in_the_same_order(string api, string page)
    {
        var rows = await ListAsync("finance", api);
        var html = await (await app.SignInAsync("finance")).GetStringAsync("/self-evaluations?" + page);

        Assert.NotEmpty(rows);
        Assert.True(rows.Count <= 50, "one page of the list holds them all");
        Assert.Equal(PageCases(html), rows.Select(r => r.GetProperty("caseId").GetGuid()).ToList());
    }

    [Fact]
    public async Task Given_late_and_on_time_submissions_When_filtered_by_逾期提交_and_sorted_by_submission_Then_the_api_keeps_the_late_one_and_the_longest_waiting_first()
    {
        // Created 甲 乙 丙, submitted 乙 then 甲 (a minute apart), 丙 never; only 甲 after its deadline.
        var tag = $"接口{Guid.NewGuid():N}"[..8];
        var a = await CreateAsync($"{tag}甲", "2026-01-31"); // the fixture's today is 2026-03-02
        var b = await CreateAsync($"{tag}乙", "2026-12-31");
        var c = await CreateAsync($"{tag}丙", "2026-12-31");
        foreach (var caseId in new[] { b, a })
        {
            app.Clock.Advance(TimeSpan.FromMinutes(1));
            await _api.FireOkAsync("unit", caseId, "submit");
        }

        List<Guid> Mine(List<JsonElement> rows) =>
            [.. rows.Where(r => r.GetProperty("title").GetString()!.StartsWith(tag, StringComparison.Ordinal)).Select(r => r.GetProperty("caseId").GetGuid())];

        Assert.Equal([a], Mine(await ListAsync("finance", "fiscalYear=2025&late=late")));
        Assert.Equal([b, a, c], Mine(await ListAsync("finance", "fiscalYear=2025&sort=submitted")));
        Assert.Equal([c, b, a], Mine(await ListAsync("finance", "fiscalYear=2025")));
        Assert.Equal([c, b, a], Mine(await ListAsync("finance", "fiscalYear=2025&sort=created")));
        Assert.All(await ListAsync("finance", "late=late"), r => Assert.True(r.GetProperty("isLate").GetBoolean()));
    }

    [Theory]
    [InlineData("kind=1", "kind", "类型应为 DepartmentWide（部门整体）、Project（项目）。")]
    [InlineData("late=yes", "late", "逾期应为 late（逾期提交）、overdue（已逾期（待办超期））。")]
    [InlineData("sort=oldest", "sort", "排序应为 created（新建时间（最新在前））、submitted（提交时间（最早在前））。")]
    public async Task Given_a_wrong_value_When_the_list_is_asked_Then_it_answers_400_naming_the_parameter(string query, string parameter, string message)
    {
        var response = await (await _api.As("finance")).GetAsync("/api/self-evaluations?" + query);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.Equal([message], errors.GetProperty(parameter).EnumerateArray().Select(e => e.GetString()).ToList());
    }

    [Fact]
    public async Task Given_a_unit_When_it_filters_the_list_Then_it_still_sees_only_its_own_records()
    {
        var (own, _) = await _api.CreateAsync();
        var unitOrg = JsonDocument.Parse(await (await _api.As("unit")).GetStringAsync($"/api/self-evaluations/{own}")).RootElement
            .GetProperty("organisationId").GetGuid();

        foreach (var query in new[] { "fiscalYear=2022&kind=DepartmentWide", "fiscalYear=2022&kind=Project", "late=overdue", "sort=submitted" })
        {
            var all = await ListAsync("finance", query);
            var mine = await ListAsync("unit", query);
            Assert.All(mine, r => Assert.Equal(unitOrg, r.GetProperty("organisationId").GetGuid()));
            Assert.Equal(all.Where(r => r.GetProperty("organisationId").GetGuid() == unitOrg).Select(r => r.GetProperty("id").GetGuid()),
                mine.Select(r => r.GetProperty("id").GetGuid()));
        }

        Assert.Contains(await ListAsync("finance", "fiscalYear=2022&kind=DepartmentWide"), r => r.GetProperty("organisationId").GetGuid() != unitOrg);
        Assert.NotEmpty(await ListAsync("unit", "fiscalYear=2022&kind=DepartmentWide"));
    }

    [Fact]
    public async Task Given_the_openapi_document_Then_the_list_names_the_values_of_kind_late_and_sort()
    {
        using var client = app.Anonymous();
        var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;
        var parameters = document.GetProperty("paths").GetProperty("/api/self-evaluations").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!);

        static List<string?> Values(JsonElement parameter) => [.. parameter.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(v => v.GetString())];
        Assert.Equal(["DepartmentWide", "Project"], Values(parameters["kind"]));
        Assert.Equal(["late", "overdue"], Values(parameters["late"]));
        Assert.Equal(["created", "submitted"], Values(parameters["sort"]));
        Assert.All(new[] { "kind", "late", "sort" }, name => Assert.Equal("query", parameters[name].GetProperty("in").GetString()));
        Assert.Contains("逾期提交", parameters["late"].GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("提交时间", parameters["sort"].GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    private async Task<List<JsonElement>> ListAsync(string user, string query)
    {
        var response = await (await _api.As(user)).GetAsync("/api/self-evaluations?pageSize=1000&" + query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return [.. JsonDocument.Parse(body).RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private async Task<Guid> CreateAsync(string title, string deadline)
    {
        app.Clock.Advance(TimeSpan.FromMinutes(1)); // the fixture's clock stands still: created a minute apart, in order
        return (await _api.CreateAsync(deadline: DateOnly.Parse(deadline, System.Globalization.CultureInfo.InvariantCulture), title: title)).CaseId;
    }

    /// <summary>The cases of the page's rows, in order.</summary>
    private static List<Guid> PageCases(string html) => [.. ListCase().Matches(html).Select(m => Guid.Parse(m.Groups[1].Value))];

    [GeneratedRegex("<td><a href=\"/cases/([0-9a-f-]{36})\">")]
    private static partial Regex ListCase();
}
