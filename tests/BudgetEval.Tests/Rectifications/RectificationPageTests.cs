using System.Net;
using BudgetEval.Tests.Admin;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.Rectifications;

/// <summary>The finding page: the unit saves its plan there, other units do not see it.</summary>
public sealed class RectificationPageTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_new_finding_When_the_unit_saves_its_plan_on_the_finding_page_Then_the_page_shows_it_and_unit2_gets_not_found()
    {
        var api = new RectificationApi(app);
        var (id, caseId) = await api.RegisterAsync("差旅费报销审核不严", new DateOnly(2026, 5, 1));
        var unit = await app.SignInAsync("unit");

        // The stamp the page's plan form carries, as a browser sends it back.
        var opened = System.Text.RegularExpressions.Regex.Match(await unit.GetStringAsync($"/findings/{id}"), "name=\"stamp\" value=\"([0-9a-f]{16})\"").Groups[1].Value;
        var saved = await unit.PostFormAsync($"/findings/{id}",
            [new("measures", "逐笔复核差旅报销单据。"), new("responsible", "李主任"), new("plannedDate", "2026-04-20"), new("stamp", opened)], $"/findings/{id}?handler=Plan");
        var page = await unit.GetStringAsync($"/findings/{id}");
        var other = await (await app.SignInAsync("unit2")).GetAsync($"/findings/{id}");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("逐笔复核差旅报销单据。", page, StringComparison.Ordinal);
        Assert.Contains($"/cases/{caseId}", page, StringComparison.Ordinal);
        Assert.Contains("未整改", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }
}
