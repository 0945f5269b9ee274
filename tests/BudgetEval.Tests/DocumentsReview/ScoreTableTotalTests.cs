using System.Net;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.DocumentsReview;

/// <summary>The exported 评分表 ends with its 总分 row, as the report's 附表 does (100, 89.80, 良).</summary>
public sealed class ScoreTableTotalTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_the_completed_2021_evaluation_When_its_score_table_is_exported_Then_the_last_row_is_the_total_89_80_and_the_grade()
    {
        var id = (await EvaluationApi.JsonAsync(await app.ApiAsync("finance"), "/api/evaluations?fiscalYear=2021"))[0].GetProperty("id").GetGuid();
        using var unit = await app.SignInAsync("unit");

        var xlsx = await unit.GetAsync($"/evaluations/{id}?handler=Export&format=xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        var bytes = await xlsx.Content.ReadAsByteArrayAsync();
        var rows = XlsxText.FirstSheet(bytes);
        Assert.Equal(["总分", "", "", "100", "89.80", "等级：良", "", ""], rows[^1]); // number cells, shown 100.00 and 89.80
        var kinds = XlsxText.FirstSheetKinds(bytes)[^1];
        Assert.Equal((Web.SelfEvaluations.Import.CellKind.Number, Web.SelfEvaluations.Import.CellKind.Number), (kinds[3], kinds[4]));

        using var api = await app.ApiAsync("unit");
        var csv = await api.GetStringAsync($"/api/evaluations/{id}/scores/export.csv");
        Assert.EndsWith("\r\n总分,,,100,89.80,等级：良,,\r\n", csv, StringComparison.Ordinal);
    }
}
