using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.Evaluations;

/// <summary>
/// The evaluator's 评价指标评分表 at 1280 px: the score and explanation inputs have room for what is typed into them,
/// and the short 一级/二级 names stay on one line (reported by the firm review: 38 px scores, 1–2 characters a line).
/// </summary>
public sealed class ScoreSheetWidthBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_a_commissioned_evaluation_When_the_evaluator_opens_the_score_sheet_Then_inputs_have_room_and_group_names_stay_on_one_line()
    {
        var (id, _) = await EvaluationApi.CommissionedAsync(browser, 2024);

        var page = await browser.SignInAsync("evaluator");
        await page.GotoAsync($"{browser.BaseUrl}/evaluations/{id}");
        var m = await page.EvaluateAsync<double[]>("""
            (() => { const t = document.getElementById('evaluation-scores'), row = t.querySelector('tbody tr.score-row');
                     const lines = td => { const r = document.createRange(); r.selectNodeContents(td); return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; };
                     return [row.querySelector('input.score').clientWidth, row.querySelector('input[name=note]').clientWidth,
                             parseFloat(getComputedStyle(row).fontSize), lines(row.children[0]), lines(row.children[1])]; })()
            """);

        Assert.True(m[0] >= 3 * m[2], $"得分 input is {m[0]} px at {m[2]} px type: not room for 22.80");
        Assert.True(m[1] >= 12 * m[2], $"评分说明 input is {m[1]} px at {m[2]} px type");
        Assert.Equal(1, m[3]); // 投入
        Assert.Equal(1, m[4]); // 目标设定
    }
}
