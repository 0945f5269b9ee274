using System.Net;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.Evaluations;

/// <summary>The score table as .xlsx: from the page (cookie) and the API (token), and back in through the import.</summary>
public sealed class ScoreExportTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_scored_evaluation_When_its_table_is_exported_as_xlsx_and_imported_into_another_Then_the_total_is_the_same_89_80()
    {
        var api = new EvaluationApi(app);
        var source = await api.InCommentWindowAsync(2024); // scored with the sample table
        var target = await api.CommissionedAsync(2025);
        var evaluator = await app.ApiAsync("evaluator");
        await EvaluationApi.Ok(await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(evaluator, $"/api/evaluations/{target}/team", new { name = "江惠平", isLead = true, noConflict = true }));

        var xlsx = await evaluator.GetAsync($"/api/evaluations/{source}/scores/export.xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        var bytes = await xlsx.Content.ReadAsByteArrayAsync();
        Assert.Equal("PK", System.Text.Encoding.ASCII.GetString(bytes, 0, 2));

        var imported = await EvaluationApi.ImportAsync(evaluator, target, bytes, "评分表.xlsx");
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);

        var detail = await EvaluationApi.JsonAsync(await app.ApiAsync("finance"), $"/api/evaluations/{target}");
        Assert.Equal(89.80m, detail.GetProperty("totalScore").GetDecimal());
        Assert.Equal("良", detail.GetProperty("grade").GetString());
    }

    [Fact]
    public async Task Given_the_completed_demo_evaluation_When_the_unit_exports_from_the_page_Then_it_gets_the_xlsx_and_another_unit_gets_404()
    {
        var id = (await EvaluationApi.JsonAsync(await app.ApiAsync("finance"), "/api/evaluations?fiscalYear=2021"))[0].GetProperty("id").GetGuid();
        using var unit = await app.SignInAsync("unit");
        var page = await unit.GetStringAsync($"/evaluations/{id}");
        Assert.Contains("handler=Export&amp;format=xlsx", page, StringComparison.Ordinal);

        var response = await unit.GetAsync($"/evaluations/{id}?handler=Export&format=xlsx");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("PK", System.Text.Encoding.ASCII.GetString((await response.Content.ReadAsByteArrayAsync())[..2]));

        using var other = await app.SignInAsync("unit2");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/evaluations/{id}?handler=Export&format=xlsx")).StatusCode);
    }

    [Fact]
    public async Task Given_a_note_that_looks_like_a_formula_When_the_table_is_exported_as_csv_Then_excel_sees_text_and_the_import_reads_the_note_back()
    {
        var api = new EvaluationApi(app);
        var source = await api.CommissionedAsync(2024, "公式导出测试");
        var target = await api.CommissionedAsync(2024, "公式导入测试");
        var evaluator = await app.ApiAsync("evaluator");
        foreach (var id in new[] { source, target })
        {
            await EvaluationApi.Ok(await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(evaluator, $"/api/evaluations/{id}/team", new { name = "江惠平", isLead = true, noConflict = true }));
        }

        const string Formula = "=HYPERLINK(\"http://x\",\"点击\")";
        var csv = System.Text.Encoding.UTF8.GetString(BudgetEval.Web.Demo.SampleExternalEvaluation.IndicatorsCsv()).Split('\n');
        var first = csv[1].Split(',');
        first[5] = "\"" + Formula.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        csv[1] = string.Join(',', first);
        await EvaluationApi.Ok(await EvaluationApi.ImportAsync(evaluator, source, System.Text.Encoding.UTF8.GetBytes(string.Join('\n', csv))));

        var exported = await (await evaluator.GetAsync($"/api/evaluations/{source}/scores/export.csv")).Content.ReadAsStringAsync();
        var line = exported.Split("\r\n")[1];
        Assert.Contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"点击\"\")\",", line, StringComparison.Ordinal);
        Assert.DoesNotContain(",\"=HYPERLINK", exported, StringComparison.Ordinal);

        await EvaluationApi.Ok(await EvaluationApi.ImportAsync(evaluator, target, System.Text.Encoding.UTF8.GetBytes(exported)));
        var rows = (await EvaluationApi.JsonAsync(evaluator, $"/api/evaluations/{target}")).GetProperty("rows");
        Assert.Equal(Formula, rows[0].GetProperty("note").GetString());
    }
}
