using System.Net;
using BudgetEval.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Evaluations;

/// <summary>The evaluation report as a PDF, printed by headless Chromium, with the report's own visibility.</summary>
public sealed class EvaluationPdfTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_the_completed_demo_evaluation_When_the_unit_downloads_the_pdf_Then_it_is_a_pdf_and_another_unit_gets_404()
    {
        var evaluation = (await EvaluationApi.JsonAsync(await app.ApiAsync("finance"), "/api/evaluations?fiscalYear=2021"))[0];
        var id = evaluation.GetProperty("id").GetGuid();

        using var unit = await app.SignInAsync("unit");
        var response = await unit.GetAsync($"/evaluations/{id}/print.pdf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        // Shown in the browser, saved under the report's Chinese title (RFC 6266's filename*, which Kestrel can send).
        Assert.Equal("inline", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"{evaluation.GetProperty("title").GetString()}.pdf", response.Content.Headers.ContentDisposition?.FileNameStar);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.True(bytes.Length > 20_000, "a report with its annex table should not be an empty page");

        using var other = await app.SignInAsync("unit2");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/evaluations/{id}/print.pdf")).StatusCode);

        // The download is an export like any other: one audit line, by the unit; the refused one leaves none.
        var title = evaluation.GetProperty("title").GetString();
        var audited = await app.DbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(a => a.Action == BudgetEval.Web.Audit.AuditActions.Export && a.Target == title && a.Detail == "评价报告（PDF）").ToListAsync());
        Assert.Equal("张晓燕（unit）", Assert.Single(audited).ActorName);
    }
}
