using System.Net;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.Findings;

/// <summary>整改台账: the register as .xlsx, one row per finding, within the caller's scope.</summary>
public sealed class FindingLedgerTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_the_demo_register_When_the_ledger_is_exported_Then_it_has_a_row_per_finding_and_units_see_only_theirs()
    {
        using var finance = await app.ApiAsync("finance");
        var response = await finance.GetAsync("/api/findings/export.xlsx?fiscalYear=2021");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = XlsxText.FirstSheet(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("编号", rows[0][0]);
        Assert.Contains("整改期限", rows[0]);
        Assert.Equal(10, rows.Count); // the header and the nine 2021 findings of the centre
        Assert.All(rows.Skip(1), r => Assert.Equal("长沙市望城区社会治理服务中心", r[1]));
        Assert.Equal(2, rows.Skip(1).Count(r => r[10] == "已整改"));

        using var unit = await app.SignInAsync("unit");
        var page = await unit.GetAsync("/findings?handler=Export&fiscalYear=2021");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(10, XlsxText.FirstSheet(await page.Content.ReadAsByteArrayAsync()).Count);

        using var other = await app.SignInAsync("unit2");
        Assert.Single(XlsxText.FirstSheet(await (await other.GetAsync("/findings?handler=Export&fiscalYear=2021")).Content.ReadAsByteArrayAsync())); // the header only
    }
}
