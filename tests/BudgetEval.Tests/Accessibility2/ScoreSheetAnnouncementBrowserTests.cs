using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Evaluations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace BudgetEval.Tests.Accessibility2;

/// <summary>The 评分表's live total read out to a screen reader (polite status line), as the 自评表's is, in Chromium.</summary>
public sealed partial class ScoreSheetAnnouncementBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_the_firm_typing_a_score_When_typing_pauses_Then_the_status_line_says_the_new_total_and_grade_once()
    {
        // The centre's 2024 evaluation, selected, approved and commissioned through the API (real clock: due in 60 days).
        var centre = await browser.DbAsync(db => db.Organisations.Where(o => o.Name == DemoSeeder.SocialGovernanceCentre).Select(o => o.Id).SingleAsync());
        var firm = await browser.DbAsync(db => db.Organisations.Where(o => o.Name == DemoSeeder.XinCaiYuan).Select(o => o.Id).SingleAsync());
        using var finance = await browser.ApiAsync("finance");
        var selected = await finance.PostAsJsonAsync("/api/evaluations", new
        {
            fiscalYear = 2024,
            targets = new[] { new { organisationId = centre, kind = "DepartmentWide", reason = "预算规模大" } },
        });
        await EvaluationApi.Ok(selected);
        var id = JsonDocument.Parse(await selected.Content.ReadAsStringAsync()).RootElement[0].GetProperty("id").GetGuid();
        using var lead = await browser.ApiAsync("financelead");
        await EvaluationApi.Ok(await EvaluationApi.ActAsync(lead, id, "approve"));
        await EvaluationApi.Ok(await finance.PostAsJsonAsync($"/api/evaluations/{id}/commission", new
        {
            firmId = firm,
            reportDueDate = DateTime.UtcNow.AddDays(60).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            templateKey = EvaluationTemplates.DefaultKey,
        }));

        var page = await browser.SignInAsync("evaluator");
        await page.GotoAsync($"{browser.BaseUrl}/evaluations/{id}");
        var status = page.Locator("#evaluation-scores-status");
        await Assertions.Expect(status).ToHaveAttributeAsync("aria-live", "polite");
        await Assertions.Expect(status).ToHaveTextAsync(string.Empty); // nothing is said on load

        var first = page.Locator("input.score").First;
        await first.PressSequentiallyAsync("4.5");
        await Assertions.Expect(page.Locator("[data-testid=total]")).ToHaveTextAsync("4.50"); // the table follows at once
        await Assertions.Expect(status).ToHaveTextAsync(Announcement(), new() { Timeout = 10_000 });
        Assert.StartsWith("合计4.50，等级：", await status.TextContentAsync(), StringComparison.Ordinal);
    }

    [GeneratedRegex("^合计4\\.50，等级：—（尚有\\d+项未评分）$")]
    private static partial Regex Announcement();
}
