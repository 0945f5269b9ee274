using System.Net;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Findings;
using Microsoft.EntityFrameworkCore;

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
        var kinds = XlsxText.FirstSheetKinds(await response.Content.ReadAsByteArrayAsync());
        Assert.All(kinds.Skip(1), k => Assert.Equal((Web.SelfEvaluations.Import.CellKind.Number, Web.SelfEvaluations.Import.CellKind.Date), (k[2], k[9]))); // 年度 and 整改期限 sort and filter in Excel
        Assert.All(rows.Skip(1), r => Assert.Matches(@"^2\d{3}年\d{1,2}月\d{1,2}日$", r[9]));

        using var unit = await app.SignInAsync("unit");
        var page = await unit.GetAsync("/findings?handler=Export&fiscalYear=2021");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(10, XlsxText.FirstSheet(await page.Content.ReadAsByteArrayAsync()).Count);

        using var other = await app.SignInAsync("unit2");
        Assert.Single(XlsxText.FirstSheet(await (await other.GetAsync("/findings?handler=Export&fiscalYear=2021")).Content.ReadAsByteArrayAsync())); // the header only
    }

    [Fact]
    public async Task Given_more_findings_than_a_ledger_holds_When_exported_unfiltered_Then_refused_with_a_message_and_a_filtered_export_works()
    {
        await app.DbAsync(db => db.Database.ExecuteSqlAsync($"""
            INSERT INTO budgeteval.findings ("Id", "Number", "OrganisationId", "FiscalYear", "Category", "Title", "Detail", "Deadline", "Source", "Status",
                                             "RectifiedBeforeReport", "CreatedBy", "CreatedAt", "Extensions")
            SELECT gen_random_uuid(), 'T2018-' || lpad(i::text, 6, '0'), o."Id", 2018, '财务管理', '测试问题' || i, '批量导出测试。', DATE '2019-06-30', 'Audit', 'Open',
                   false, o."Id", now(), 0
            FROM budgeteval.organisations o, generate_series(1, {FindingLedger.MaxRows}) i WHERE o."Name" = '长沙市望城区社会治理服务中心'
            """));
        var auditsBefore = await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Target == "整改台账"));

        using var finance = await app.ApiAsync("finance");
        var refused = await finance.GetAsync("/api/findings/export.xlsx");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("超过 50,000 条", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var browser = await app.SignInAsync("finance");
        var page = await browser.GetAsync("/findings?handler=Export");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.StartsWith("text/html", page.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.Contains(FindingLedger.TooMany, WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(auditsBefore, await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Target == "整改台账"))); // nothing exported, nothing logged

        var year = await finance.GetAsync("/api/findings/export.xlsx?fiscalYear=2018"); // exactly the most a ledger holds
        Assert.Equal(HttpStatusCode.OK, year.StatusCode);
        Assert.Equal("PK", System.Text.Encoding.ASCII.GetString((await year.Content.ReadAsByteArrayAsync())[..2]));
    }
}
