using BudgetEval.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BudgetEval.Tests.DocumentsReview;

/// <summary>The 结果汇总表 annex laid out on A4 landscape with its own columns, not the 自评表's.</summary>
public sealed class ResultsPrintLayoutTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_the_2021_results_When_printed_on_a4_landscape_Then_the_unit_name_gets_room_and_the_score_headers_stay_on_one_line()
    {
        var page = await browser.SignInAsync("finance");
        // A4 landscape less the 12 mm margins of print.css's @page wide: 273 mm at 96 px an inch.
        await page.SetViewportSizeAsync(1032, 800);
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await page.GotoAsync($"{browser.BaseUrl}/results/2021/print");

        var annex = page.Locator("[data-testid=annex]");
        await Assertions.Expect(annex.Locator("td").Filter(new() { HasText = "长沙市望城区社会治理服务中心" })).ToHaveCountAsync(1);
        var widths = await annex.EvaluateAsync<double[]>("t => [...t.querySelectorAll('thead th')].map(th => th.getBoundingClientRect().width)");
        var header = await annex.EvaluateAsync<double>("t => t.querySelector('thead tr').getBoundingClientRect().height");
        Assert.True(widths[1] > 1.5 * widths[3], $"单位 is {widths[1]:0} px beside 自评得分's {widths[3]:0} px");
        Assert.True(widths[9] > 2 * widths[8], $"结果应用建议 is {widths[9]:0} px beside 整改率's {widths[8]:0} px");
        Assert.True(header < 32, $"the header row is {header:0} px high: a heading (重点评价得分) wraps onto a second line"); // one line is about 25 px
    }
}
