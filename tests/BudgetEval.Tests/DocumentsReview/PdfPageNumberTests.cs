using System.Net;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.SelfEvaluations;

namespace BudgetEval.Tests.DocumentsReview;

/// <summary>The printed reports number their pages at the foot (第 1 页，共 N 页), as the Word reports do.</summary>
public sealed partial class PdfPageNumberTests(AppFixture app) : IClassFixture<AppFixture>
{
    [GeneratedRegex(@"/Type\s*/Page(?!s)")]
    private static partial Regex PageObject();

    [Fact]
    public async Task Given_the_demo_reports_When_printed_to_pdf_Then_every_page_says_its_number_and_the_page_count()
    {
        var evaluation = (await EvaluationApi.JsonAsync(await app.ApiAsync("finance"), "/api/evaluations?fiscalYear=2021"))[0].GetProperty("id").GetGuid();
        using var api = await app.ApiAsync("unit");
        var selfEvaluation = await SelfEvaluationApiTests.CentreIdAsync(api);
        using var unit = await app.SignInAsync("unit");

        foreach (var url in new[] { $"/evaluations/{evaluation}/print.pdf", $"/self-evaluations/{selfEvaluation}/print.pdf" })
        {
            var response = await unit.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var pdf = await response.Content.ReadAsByteArrayAsync();
            var pages = PageObject().Count(System.Text.Encoding.Latin1.GetString(pdf));
            Assert.True(pages >= 2, $"{url}: {pages} page(s); the demo reports run over several");
            var flat = string.Concat(PdfText.Read(pdf).Where(c => !char.IsWhiteSpace(c)));
            for (var n = 1; n <= pages; n++)
            {
                Assert.Contains($"第{n}页，共{pages}页", flat, StringComparison.Ordinal);
            }
        }
    }
}
