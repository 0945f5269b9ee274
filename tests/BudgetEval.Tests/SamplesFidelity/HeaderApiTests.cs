using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.SelfEvaluations;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.SamplesFidelity;

/// <summary>The header fields over the JSON API: read in GET, saved by PUT …/text, a bad count named, documented in the OpenAPI schema.</summary>
public sealed class HeaderApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_the_centre_form_When_the_header_is_written_and_read_back_over_the_api_Then_both_fields_round_trip()
    {
        var unit = await app.ApiAsync("unit");
        var id = await SampleHeader.CentreDraftAsync(app);

        var saved = await unit.PutAsJsonAsync($"/api/self-evaluations/{id}/text", new
        {
            functions = "一、负责网格化体系建设。\n二、负责热线受理。",
            independentUnits = 3,
            expectedVersion = await SelfEvaluationApiTests.VersionAsync(unit, id),
        });

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var header = (await SelfEvaluationApiTests.DetailAsync(unit, id)).GetProperty("header");
        Assert.Equal(3, header.GetProperty("independentUnits").GetInt32());
        Assert.Equal("一、负责网格化体系建设。\n二、负责热线受理。", header.GetProperty("functions").GetString());

        // Left out, they stay as they are.
        Assert.Equal(HttpStatusCode.OK, (await unit.PutAsJsonAsync($"/api/self-evaluations/{id}/text", new { goalsPlanned = "年度目标", expectedVersion = await SelfEvaluationApiTests.VersionAsync(unit, id) })).StatusCode);
        Assert.Equal(3, (await SelfEvaluationApiTests.DetailAsync(unit, id)).GetProperty("header").GetProperty("independentUnits").GetInt32());
    }

    [Fact]
    public async Task Given_the_centre_form_When_the_count_is_negative_or_not_a_number_Then_the_api_refuses_naming_the_field_and_nothing_is_saved()
    {
        var unit = await app.ApiAsync("unit");
        var id = await SampleHeader.CentreDraftAsync(app);
        var before = await app.DbAsync(db => db.SelfEvaluations.AsNoTracking().Where(s => s.Id == id).Select(s => new { s.IndependentUnits, s.Functions, s.RowVersion }).SingleAsync());
        var version = await SelfEvaluationApiTests.VersionAsync(unit, id);

        var negative = await unit.PutAsJsonAsync($"/api/self-evaluations/{id}/text", new { independentUnits = -1, functions = "不应保存", expectedVersion = version });
        var text = await unit.PutAsync($"/api/self-evaluations/{id}/text",
            new StringContent($$"""{"independentUnits":"abc","expectedVersion":{{version}}}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        var problem = JsonDocument.Parse(await negative.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("「所属独立核算单位个数」-1无效：所属独立核算单位个数须为不小于0的整数。", problem.GetProperty("errors").GetProperty("independentUnits")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, text.StatusCode);
        Assert.Contains("independentUnits", await text.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var after = await app.DbAsync(db => db.SelfEvaluations.AsNoTracking().Where(s => s.Id == id).Select(s => new { s.IndependentUnits, s.Functions, s.RowVersion }).SingleAsync());
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Given_a_project_self_evaluation_When_the_header_fields_are_sent_Then_they_are_refused_by_name()
    {
        var unit = await app.ApiAsync("unit");
        var id = await SampleHeader.CentreProjectAsync(app);

        var refused = await unit.PutAsJsonAsync($"/api/self-evaluations/{id}/text", new { functions = "职能", expectedVersion = await SelfEvaluationApiTests.VersionAsync(unit, id) });

        Assert.False(refused.IsSuccessStatusCode);
        var errors = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Contains("只有部门整体支出绩效自评有「部门职能概述」", errors.GetProperty("functions")[0].GetString(), StringComparison.Ordinal);
        Assert.Null(await app.DbAsync(db => db.SelfEvaluations.Where(s => s.Id == id).Select(s => s.Functions).SingleAsync()));
    }

    [Fact]
    public async Task Given_the_api_document_Then_the_text_body_and_the_detail_describe_both_fields()
    {
        using var client = app.Anonymous();
        var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;
        var schemas = document.GetProperty("components").GetProperty("schemas");

        var text = schemas.GetProperty("TextRequest").GetProperty("properties");
        var header = schemas.GetProperty("HeaderDto").GetProperty("properties");

        Assert.True(text.TryGetProperty("functions", out _));
        Assert.True(text.TryGetProperty("independentUnits", out var units));
        Assert.Contains("integer", units.ToString(), StringComparison.Ordinal);
        Assert.True(header.TryGetProperty("independentUnits", out _));
        Assert.True(header.TryGetProperty("functions", out _));
        Assert.True(schemas.GetProperty("SelfEvaluationDetail").GetProperty("properties").TryGetProperty("header", out _));
    }
}
