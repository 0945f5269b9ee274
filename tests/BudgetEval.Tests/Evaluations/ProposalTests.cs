using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Plans;
using BudgetEval.Web.SelfEvaluations;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Evaluations;

/// <summary>
/// 推荐评价对象: which of a year's self-evaluations are proposed for external evaluation, and why; chosen in
/// SQL and read a page at a time (a province's year has 120,000 self-evaluations).
/// </summary>
public sealed class ProposalTests(AppFixture app) : IClassFixture<AppFixture>
{
    /// <summary>A year of its own, so the demo's self-evaluations do not mix in.</summary>
    private const int Year = 2012; // a past year without demo data: a later year than the current one cannot be selected

    private const int ManyReturned = 60;

    private async Task<Guid> SeedAsync()
    {
        return await app.DbAsync(async db =>
        {
            var unit = await db.Organisations.Where(o => o.Name == DemoSeeder.SocialGovernanceCentre).Select(o => o.Id).SingleAsync();
            if (await db.SelfEvaluations.AnyAsync(s => s.FiscalYear == Year))
            {
                return unit;
            }

            void Add(string project, decimal budget, decimal? executed, string status, string? grade = null) => db.SelfEvaluations.Add(new SelfEvaluation
            {
                Id = Guid.NewGuid(), OrganisationId = unit, FiscalYear = Year, Title = project + "绩效自评", Deadline = new DateOnly(Year + 1, 3, 31),
                Status = status, Kind = EvaluationKind.Project, ProjectName = project, FundsBudget = budget, FundsExecuted = executed,
                SubmittedGrade = grade, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
            });

            Add("最大项目", 9000m, 9000m, "accepted", "优");
            Add("第二大项目", 8000m, 8000m, "draft");
            Add("第三大项目", 7000m, 7000m, "accepted", "良");
            Add("执行率偏低", 1000m, 799.94m, "draft");      // 79.994 % shows as 79.99 %
            Add("执行率恰为八成", 1000m, 799.95m, "draft");   // 79.995 % rounds (half away from zero) to 80.00 %: not low
            Add("等级为中", 100m, 100m, "accepted", "中");
            Add("审核中等级为差", 100m, 100m, "bureau_review", "差");
            Add("单位审核中等级为差", 100m, 100m, "unit_review", "差"); // not yet before the bureau
            Add("良好", 100m, 100m, "accepted", "良");
            for (var i = 1; i <= ManyReturned; i++)
            {
                Add($"退回项目{i:D2}", 10m + i, 10m + i, "returned");
            }

            await db.SaveChangesAsync();
            return unit;
        });
    }

    private static async Task<List<JsonElement>> AllPagesAsync(HttpClient api, int pageSize)
    {
        var all = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            using var response = await api.GetAsync($"/api/evaluations/proposals?fiscalYear={Year}&page={page}&pageSize={pageSize}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            all.AddRange((await response.Content.ReadFromJsonAsync<List<JsonElement>>())!);
            if (response.Headers.GetValues("X-Has-Next").Single() == "false")
            {
                return all;
            }
        }
    }

    [Fact]
    public async Task Given_a_year_of_self_evaluations_When_proposing_Then_each_rule_proposes_exactly_its_cases_with_its_reason_page_by_page()
    {
        var unit = await SeedAsync();
        using var api = await app.ApiAsync("finance");

        var proposals = await AllPagesAsync(api, pageSize: 7);
        var byProject = proposals.ToDictionary(p => p.GetProperty("projectName").GetString()!, p => p.GetProperty("reason").GetString()!);
        Assert.Equal(proposals.Count, byProject.Count); // walking the pages gives each once
        Assert.Equal(6 + ManyReturned, proposals.Count);
        Assert.Equal("预算规模较大（9000.00万元）", byProject["最大项目"]);
        Assert.Equal("预算规模较大（8000.00万元）", byProject["第二大项目"]);
        Assert.Equal("预算规模较大（7000.00万元）", byProject["第三大项目"]);
        Assert.Equal("预算执行率偏低（79.99%）", byProject["执行率偏低"]);
        Assert.Equal("自评等级为中", byProject["等级为中"]);
        Assert.Equal("自评等级为差", byProject["审核中等级为差"]);
        Assert.Equal("自评被退回修改", byProject["退回项目01"]);
        Assert.DoesNotContain("执行率恰为八成", byProject.Keys);
        Assert.DoesNotContain("单位审核中等级为差", byProject.Keys);
        Assert.DoesNotContain("良好", byProject.Keys);

        Assert.All(proposals, p => Assert.Contains(p.GetProperty("kind").GetString(), new[] { "DepartmentWide", "Project" })); // as elsewhere in the API

        // Largest budget first.
        var budgets = proposals.Select(p => p.GetProperty("budget").GetDecimal()).ToList();
        Assert.Equal(budgets.OrderDescending(), budgets);

        // Once selected, a case is no longer proposed.
        var selected = await api.PostAsJsonAsync("/api/evaluations", new
        {
            fiscalYear = Year,
            targets = new[] { new { organisationId = unit, kind = "Project", projectName = "退回项目30", reason = "自评被退回修改" } },
        });
        Assert.True(selected.IsSuccessStatusCode, await selected.Content.ReadAsStringAsync());
        var after = await AllPagesAsync(api, pageSize: 100);
        Assert.Equal(proposals.Count - 1, after.Count);
        Assert.DoesNotContain(after, p => p.GetProperty("projectName").GetString() == "退回项目30");
    }

    [Fact]
    public async Task Given_more_proposals_than_a_page_When_finance_opens_the_selection_Then_the_page_lists_fifty_and_links_to_the_rest()
    {
        await SeedAsync();
        using var finance = await app.SignInAsync("finance");

        var first = await finance.GetStringAsync($"/evaluations?FiscalYear={Year}");
        Assert.Equal(50, first.Split("name=\"Picked\"").Length - 1);
        Assert.Contains($"href=\"/evaluations?FiscalYear={Year}&amp;cp=2\" rel=\"next\"", first, StringComparison.Ordinal);

        var second = await finance.GetStringAsync($"/evaluations?FiscalYear={Year}&cp=2");
        Assert.Equal(6 + ManyReturned - 50, second.Split("name=\"Picked\"").Length - 1);
        Assert.Contains("退回项目01", second, StringComparison.Ordinal); // the smallest budget comes last
    }
}
