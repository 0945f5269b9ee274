using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Plans;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace BudgetEval.Tests.SelfEvaluations;

/// <summary>The 自评表's print view and PDF fit A4 portrait: the indicator table, 改进措施 included, is no wider than the page body.</summary>
public sealed class SelfEvaluationPrintFitTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Measure = "下一步将加强网格员业务培训并按季度通报考核结果确保改进落实到位";

    [Fact]
    public async Task Given_a_row_with_a_measure_When_the_print_view_is_laid_out_on_a4_and_printed_to_pdf_Then_the_table_fits_the_body_and_the_measure_is_in_the_pdf()
    {
        var (id, page) = await PrintViewAsync(record =>
        {
            var last = record.Indicators.OrderBy(i => i.SortOrder).Last();
            (last.Reason, last.Measure) = ("部分街镇网格员流动较大。", Measure);
        });

        var widths = await page.EvaluateAsync<int[]>("""
            (() => { const t = document.querySelector('table.indicators'), b = document.body;
                     const last = t.querySelector('tbody tr:nth-last-child(2) td:last-child');
                     return [t.scrollWidth, t.getBoundingClientRect().right, last.getBoundingClientRect().right, b.clientWidth, b.getBoundingClientRect().right].map(Math.round); })()
            """);
        Assert.True(widths[0] <= widths[3], $"the indicator table is {widths[0]} px wide in a {widths[3]} px page body");
        Assert.True(widths[1] <= widths[4] && widths[2] <= widths[4], $"the table ends at {widths[1]} px and 改进措施 at {widths[2]} px, the body at {widths[4]} px");
        await Assertions.Expect(page.Locator("table.indicators td").Filter(new() { HasText = Measure })).ToHaveCountAsync(1);

        var pdf = await page.Context.APIRequest.GetAsync($"{browser.BaseUrl}/self-evaluations/{id}/print.pdf");
        Assert.Equal(200, pdf.Status);
        var text = PdfText.Read(await pdf.BodyAsync());
        var flat = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        Assert.Contains("改进措施", flat, StringComparison.Ordinal);
        Assert.Contains(Measure, flat, StringComparison.Ordinal); // wrapped over several lines of the cell, drawn in order
        Assert.DoesNotContain("返回自评表", flat, StringComparison.Ordinal); // the preview's way back is on screen only
        await Assertions.Expect(page.Locator("[data-testid=print-nav]")).ToBeHiddenAsync(); // print media, as emulated above
    }

    [Fact]
    public async Task Given_long_overall_goals_When_the_print_view_is_laid_out_on_a4_Then_the_label_column_keeps_several_characters_a_line()
    {
        var goals = string.Concat(Enumerable.Repeat("围绕社会治理网格化服务管理目标，推进网格员队伍建设、矛盾纠纷排查化解和平安建设宣传。", 6));
        var (_, page) = await PrintViewAsync(record => (record.GoalsPlanned, record.GoalsAchieved) = (goals, goals));

        var m = await page.EvaluateAsync<double[]>("""
            (() => { const th = document.querySelector('table.summary th'); return [th.clientWidth, parseFloat(getComputedStyle(th).fontSize)]; })()
            """);
        Assert.True(m[0] >= 4 * m[1], $"部门(单位)名称 is {m[0]} px wide at {m[1]} px type: fewer than four characters a line");
    }

    /// <summary>The centre's 部门整体 draft, changed by <paramref name="edit"/>, in its print view laid out as on A4 paper.</summary>
    private async Task<(Guid Id, IPage Page)> PrintViewAsync(Action<BudgetEval.Web.SelfEvaluations.SelfEvaluation> edit)
    {
        var id = await browser.DbAsync(async db =>
        {
            var centre = await db.Organisations.Where(o => o.Name == DemoSeeder.SocialGovernanceCentre).Select(o => o.Id).SingleAsync();
            var record = await db.SelfEvaluations.Include(s => s.Indicators)
                .FirstAsync(s => s.OrganisationId == centre && s.PlanId != null && s.Kind == EvaluationKind.DepartmentWide);
            edit(record);
            await db.SaveChangesAsync();
            return record.Id;
        });

        var page = await browser.SignInAsync("unit");
        // A4 portrait less the 12 mm side margins of print.css's @page: 186 mm at 96 px an inch.
        await page.SetViewportSizeAsync(703, 1000);
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await page.GotoAsync($"{browser.BaseUrl}/self-evaluations/{id}/print");
        return (id, page);
    }
}
