using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.ApiFixes;

/// <summary>
/// The creating calls honour Idempotency-Key: the same key and body answer the first answer (status and body)
/// without creating again; the same key with another body answers 422; without the header each call creates.
/// </summary>
public sealed class ApiIdempotentCreateTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await client.SendAsync(request);
    }

    private async Task<Guid> CentreAsync() =>
        await app.DbAsync(db => db.Organisations.Where(o => o.Name == DemoSeeder.SocialGovernanceCentre).Select(o => o.Id).SingleAsync());

    private static object Finding(Guid unit, string title) => new
    {
        organisationId = unit, fiscalYear = 2020, category = "财务管理", title, detail = "审计发现。",
        source = "Audit", sourceDocument = "望审〔2020〕1号", sourceDate = "2020-10-01",
    };

    [Fact]
    public async Task Given_the_same_key_When_a_finding_is_posted_twice_Then_one_finding_and_the_same_answer_and_another_body_is_422()
    {
        var finance = await app.ApiAsync("finance");
        var centre = await CentreAsync();

        var first = await PostAsync(finance, "/api/findings", Finding(centre, "幂等问题甲"), "finding-key-1");
        var again = await PostAsync(finance, "/api/findings", Finding(centre, "幂等问题甲"), "finding-key-1");
        var other = await PostAsync(finance, "/api/findings", Finding(centre, "幂等问题乙"), "finding-key-1");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal((HttpStatusCode)422, other.StatusCode);
        Assert.Contains("Idempotency-Key 已用于另一请求", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await app.DbAsync(db => db.Findings.CountAsync(f => f.Title == "幂等问题甲")));
        Assert.Equal(0, await app.DbAsync(db => db.Findings.CountAsync(f => f.Title == "幂等问题乙")));
    }

    [Fact]
    public async Task Given_no_key_When_a_finding_is_posted_twice_Then_two_findings()
    {
        var finance = await app.ApiAsync("finance");
        var centre = await CentreAsync();

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(finance, "/api/findings", Finding(centre, "无幂等键问题"), null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(finance, "/api/findings", Finding(centre, "无幂等键问题"), null)).StatusCode);

        Assert.Equal(2, await app.DbAsync(db => db.Findings.CountAsync(f => f.Title == "无幂等键问题")));
    }

    [Fact]
    public async Task Given_the_same_key_When_an_evaluation_is_selected_again_and_four_times_at_once_Then_every_answer_is_the_first_one()
    {
        var finance = await app.ApiAsync("finance");
        var body = new { fiscalYear = 2020, targets = new[] { new { organisationId = await CentreAsync(), kind = "DepartmentWide", reason = "预算规模大" } } };

        var first = await PostAsync(finance, "/api/evaluations", body, "select-key-1");
        var repeats = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostAsync(finance, "/api/evaluations", body, "select-key-1")));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var expected = await first.Content.ReadAsStringAsync();
        foreach (var r in repeats)
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal(expected, await r.Content.ReadAsStringAsync());
        }

        Assert.Equal(1, await app.DbAsync(db => db.Evaluations.CountAsync(e => e.FiscalYear == 2020)));
    }

    [Fact]
    public async Task Given_the_same_key_When_a_plan_is_posted_twice_Then_one_plan_and_201_with_its_location_both_times()
    {
        var finance = await app.ApiAsync("finance");
        var body = new
        {
            fiscalYear = 2019, title = "幂等计划", deadline = "2025-03-31",
            targets = new object[] { new { organisationName = DemoSeeder.EducationBureau, kind = "DepartmentWide" } },
        };

        var first = await PostAsync(finance, "/api/plans", body, "plan-key-1");
        var again = await PostAsync(finance, "/api/plans", body, "plan-key-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(1, await app.DbAsync(db => db.Plans.CountAsync(p => p.Title == "幂等计划")));
    }

    [Fact]
    public async Task Given_a_refused_plan_When_the_corrected_one_reuses_the_key_Then_it_is_created()
    {
        var finance = await app.ApiAsync("finance");
        object Body(string deadline) => new
        {
            fiscalYear = 2018, title = "幂等计划（更正后）", deadline,
            targets = new object[] { new { organisationName = DemoSeeder.EducationBureau, kind = "DepartmentWide" } },
        };

        var refused = await PostAsync(finance, "/api/plans", Body("9999-12-31"), "plan-key-2");
        var corrected = await PostAsync(finance, "/api/plans", Body("2025-03-31"), "plan-key-2");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
    }

    [Fact]
    public async Task Given_the_same_key_When_a_self_evaluation_is_posted_with_another_body_Then_422_and_no_second_record()
    {
        var unit = await app.ApiAsync("unit");
        var first = await PostAsync(unit, "/api/self-evaluations", new { title = "幂等自评甲", fiscalYear = 2017, deadline = "2026-03-31" }, "se-key-1");
        var other = await PostAsync(unit, "/api/self-evaluations", new { title = "幂等自评乙", fiscalYear = 2017, deadline = "2026-03-31" }, "se-key-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal((HttpStatusCode)422, other.StatusCode);
        Assert.Equal(0, await app.DbAsync(db => db.SelfEvaluations.CountAsync(s => s.Title == "幂等自评乙")));
    }

    [Fact]
    public async Task Given_a_200_character_key_When_a_self_evaluation_is_created_twice_Then_one_record()
    {
        var unit = await app.ApiAsync("unit");
        var key = new string('k', 200);
        var body = new { title = "长幂等键自评", fiscalYear = 2016, deadline = "2026-03-31" };

        var first = await PostAsync(unit, "/api/self-evaluations", body, key);
        var again = await PostAsync(unit, "/api/self-evaluations", body, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(1, await app.DbAsync(db => db.SelfEvaluations.CountAsync(s => s.Title == "长幂等键自评")));
    }
}
