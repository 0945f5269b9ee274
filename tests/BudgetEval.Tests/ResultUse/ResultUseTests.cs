using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Rectifications;
using BudgetEval.Tests.SelfEvaluations;
using BudgetEval.Web.Findings;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.ResultUse;

/// <summary>结果应用: scores and grades per unit and project, rectification rate, the budget note by rule, publication and approval.</summary>
public sealed class ResultUseTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Centre = "长沙市望城区社会治理服务中心";

    [Fact]
    public async Task Given_the_demo_2021_evaluation_When_results_are_read_Then_the_centre_has_89_80_good_and_its_rate_and_note_follow_the_register()
    {
        using var finance = await app.ApiAsync("finance");
        var results = await EvaluationApi.JsonAsync(finance, "/api/results/2021");
        var row = Assert.Single(results.GetProperty("rows").EnumerateArray());
        var (total, rectified, unrectifiable) = await CountsAsync(2021);

        Assert.Equal(Centre, row.GetProperty("unitName").GetString());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("selfEvaluation").ValueKind);
        Assert.Equal(89.80m, row.GetProperty("evaluation").GetProperty("score").GetDecimal());
        Assert.Equal("良", row.GetProperty("evaluation").GetProperty("grade").GetString());
        Assert.Equal("良", row.GetProperty("finalGrade").GetString());
        var rect = row.GetProperty("rectification");
        Assert.Equal(total, rect.GetProperty("total").GetInt32());
        Assert.Equal(rectified, rect.GetProperty("rectified").GetInt32());
        var rate = Math.Round((decimal)rectified / (total - unrectifiable), 4, MidpointRounding.AwayFromZero);
        Assert.Equal(rate, rect.GetProperty("rate").GetDecimal());
        Assert.True(rate < 0.8m, "the sample's findings are mostly open");
        using (var page = await app.SignInAsync("finance")) // shown with one decimal, as the dashboard shows the same figure
        {
            var percent = Math.Round(rate * 100m, 1, MidpointRounding.AwayFromZero).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains($"<td class=\"num\" data-testid=\"rate\">{percent}%</td>", await page.GetStringAsync("/results?year=2021"), StringComparison.Ordinal);
        }

        var rules = await EvaluationApi.JsonAsync(finance, "/api/results/rules");
        Assert.Equal($"{rules.GetProperty("good").GetString()}；{rules.GetProperty("lowRectification").GetString()}", row.GetProperty("budgetNote").GetString());
    }

    [Fact]
    public async Task Given_the_centres_2022_self_evaluation_accepted_When_results_are_read_Then_it_shows_96_93_excellent_and_drafts_have_no_grade()
    {
        var caseApi = new RectificationApi(app);
        var unit = await caseApi.Cases.As("unit");
        var id = await SelfEvaluationApiTests.CentreIdAsync(unit);
        var caseId = (await SelfEvaluationApiTests.DetailAsync(unit, id)).GetProperty("caseId").GetGuid();
        var open = (await EvaluationApi.JsonAsync(unit, $"/api/self-evaluations/{id}/follow-up")).EnumerateArray().Where(i => i.GetProperty("needsStatement").GetBoolean());
        var statements = open.ToDictionary(i => i.GetProperty("findingId").GetGuid().ToString(), _ => "正在整改。");
        var stamps = await RectificationApi.FollowUpStampsAsync(unit, id);
        Assert.Equal(HttpStatusCode.NoContent, (await unit.PutAsJsonAsync($"/api/self-evaluations/{id}/follow-up", new { statements, stamps })).StatusCode);
        await caseApi.Cases.FireOkAsync("unit", caseId, "submit");
        await caseApi.Cases.FireOkAsync("unithead", caseId, "approve");

        using var finance = await app.ApiAsync("finance");
        var beforeAcceptance = Row(await EvaluationApi.JsonAsync(finance, "/api/results/2022?unit=社会治理&kind=DepartmentWide"), id);
        await caseApi.Cases.FireOkAsync("finance", caseId, "accept");
        var results = await EvaluationApi.JsonAsync(finance, "/api/results/2022");
        var row = Row(results, id);
        var selfEvaluations = await app.DbAsync(db => db.SelfEvaluations.CountAsync(s => s.FiscalYear == 2022));

        Assert.Equal(JsonValueKind.Null, beforeAcceptance.GetProperty("selfEvaluation").GetProperty("score").ValueKind); // only an accepted version counts
        Assert.Equal(96.93m, row.GetProperty("selfEvaluation").GetProperty("score").GetDecimal());
        Assert.Equal("优", row.GetProperty("finalGrade").GetString());
        Assert.StartsWith("绩效优良", row.GetProperty("budgetNote").GetString(), StringComparison.Ordinal);
        Assert.Equal(selfEvaluations, results.GetProperty("total").GetInt32());
        var drafts = results.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("selfEvaluation").GetProperty("id").GetGuid() != id).ToList();
        Assert.NotEmpty(drafts);
        Assert.All(drafts, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("finalGrade").ValueKind));
        Assert.All(drafts, r => Assert.StartsWith("评价结果未定，暂不提出预算建议", r.GetProperty("budgetNote").GetString(), StringComparison.Ordinal));
        Assert.Contains(drafts, r => r.GetProperty("unitName").GetString() != Centre && r.GetProperty("budgetNote").GetString() == "评价结果未定，暂不提出预算建议");
        Assert.Contains(drafts, r => r.GetProperty("unitName").GetString() == Centre && r.GetProperty("budgetNote").GetString()!.EndsWith("问题整改率偏低，新增预算从严审核", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Given_results_When_a_unit_or_a_firm_asks_Then_404_and_only_the_bureau_reads_them()
    {
        foreach (var user in new[] { "unit", "unithead", "evaluator" })
        {
            using var client = await app.ApiAsync(user);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/results/2021")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/results/rules")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/results/2021/approval", null)).StatusCode);
        }

        using var lead = await app.ApiAsync("financelead");
        Assert.Equal(HttpStatusCode.OK, (await lead.GetAsync("/api/results/2021")).StatusCode);
        var badYear = await lead.GetAsync("/api/results/1900");
        Assert.Equal(HttpStatusCode.BadRequest, badYear.StatusCode);
        Assert.Contains("年度", await badYear.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_note_rules_When_the_officer_changes_them_Then_notes_follow_a_stale_form_conflicts_and_bad_input_names_the_field()
    {
        using var finance = await app.ApiAsync("finance");
        using var lead = await app.ApiAsync("financelead");
        var rules = await EvaluationApi.JsonAsync(finance, "/api/results/rules");
        var version = rules.GetProperty("version").GetUInt32();
        object Input(string good, uint v, decimal threshold = 80m) => new
        {
            excellent = rules.GetProperty("excellent").GetString(), good, pass = rules.GetProperty("pass").GetString(), fail = rules.GetProperty("fail").GetString(),
            noGrade = rules.GetProperty("noGrade").GetString(), lowRectificationBelowPercent = threshold, lowRectification = "整改不力，从严审核", version = v,
        };

        var empty = await finance.PutAsJsonAsync("/api/results/rules", Input(" ", version));
        var outOfRange = await finance.PutAsJsonAsync("/api/results/rules", Input("维持", version, 120m));
        var byLead = await lead.PutAsJsonAsync("/api/results/rules", Input("维持", version));
        var saved = await finance.PutAsJsonAsync("/api/results/rules", Input("维持预算规模", version));
        var stale = await finance.PutAsJsonAsync("/api/results/rules", Input("另一个说法", version));
        var note = Assert.Single((await EvaluationApi.JsonAsync(finance, "/api/results/2021")).GetProperty("rows").EnumerateArray()).GetProperty("budgetNote").GetString();

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("等级为良", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, outOfRange.StatusCode);
        Assert.Contains("整改率低于", await outOfRange.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, byLead.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, saved.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("已被他人修改", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("维持预算规模；整改不力，从严审核", note);
        Assert.Equal(1, await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Action == "results.rules")));
    }

    [Fact]
    public async Task Given_a_publication_list_When_the_lead_approves_Then_rows_freeze_marks_lock_until_reopened_with_a_reason()
    {
        using var finance = await app.ApiAsync("finance");
        using var lead = await app.ApiAsync("financelead");
        var row = Assert.Single((await EvaluationApi.JsonAsync(finance, "/api/results/2021")).GetProperty("rows").EnumerateArray());
        var mark = $"/api/results/2021/publication/{row.GetProperty("subjectKind").GetString()}/{row.GetProperty("subjectId").GetGuid()}";

        Assert.Equal(HttpStatusCode.NoContent, (await finance.PutAsync(mark, null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await finance.PutAsync(mark, null)).StatusCode); // a repeated click changes nothing
        Assert.Equal(HttpStatusCode.Forbidden, (await lead.PutAsync(mark, null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await finance.PutAsync($"/api/results/2021/publication/Evaluation/{Guid.NewGuid()}", null)).StatusCode);
        var published = await EvaluationApi.JsonAsync(finance, "/api/results/2021?publishedOnly=true");
        Assert.Equal(1, published.GetProperty("total").GetInt32());
        Assert.Equal(1, await app.DbAsync(db => db.Set<BudgetEval.Web.ResultUse.ResultPublication>().CountAsync()));

        Assert.Equal(HttpStatusCode.Forbidden, (await finance.PostAsync("/api/results/2021/approval", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await lead.PostAsync("/api/results/2021/approval", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await lead.PostAsync("/api/results/2021/approval", null)).StatusCode);
        var locked = await finance.DeleteAsync(mark);
        Assert.Equal(HttpStatusCode.Conflict, locked.StatusCode);
        Assert.Contains("已审定", await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The approved rows are a snapshot: a finding closed afterwards does not move them.
        await app.DbAsync(db => db.Findings.Where(f => f.FiscalYear == 2021 && f.Status != FindingStatus.Rectified).Take(1)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.Status, FindingStatus.Rectified)));
        var frozen = await EvaluationApi.JsonAsync(finance, "/api/results/2021");
        Assert.NotEqual(JsonValueKind.Null, frozen.GetProperty("approved").ValueKind);
        Assert.Equal(row.GetProperty("rectification").GetProperty("rectified").GetInt32(),
            frozen.GetProperty("rows")[0].GetProperty("rectification").GetProperty("rectified").GetInt32());

        var noReason = await lead.PostAsJsonAsync("/api/results/2021/approval/reopen", new { reason = "" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("原因", await noReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await lead.PostAsJsonAsync("/api/results/2021/approval/reopen", new { reason = "整改情况有更新，重新汇总。" })).StatusCode);
        var live = await EvaluationApi.JsonAsync(finance, "/api/results/2021");
        Assert.Equal(JsonValueKind.Null, live.GetProperty("approved").ValueKind);
        Assert.Equal(row.GetProperty("rectification").GetProperty("rectified").GetInt32() + 1,
            live.GetProperty("rows")[0].GetProperty("rectification").GetProperty("rectified").GetInt32());
        Assert.Equal(HttpStatusCode.NoContent, (await finance.DeleteAsync(mark)).StatusCode);
        Assert.Equal(0, await app.DbAsync(db => db.Set<BudgetEval.Web.ResultUse.ResultPublication>().CountAsync()));
        Assert.Equal(4, await app.DbAsync(db => db.AuditEntries.CountAsync(a => (a.Action == "results.publication" || a.Action == "results.approval") && a.Target!.StartsWith("2021年度"))));
    }

    [Fact]
    public async Task Given_a_line_without_an_accepted_result_When_finance_marks_it_for_publication_Then_no_button_and_the_api_refuses_with_the_reason()
    {
        const string transport = "长沙市望城区交通运输局";
        using var finance = await app.ApiAsync("finance");
        var draft = (await EvaluationApi.JsonAsync(finance, "/api/results/2022?unit=" + Uri.EscapeDataString(transport))).GetProperty("rows").EnumerateArray()
            .Single(r => r.GetProperty("kind").GetString() == "DepartmentWide");
        Assert.Equal(JsonValueKind.Null, draft.GetProperty("evaluation").ValueKind);
        Assert.Equal("draft", draft.GetProperty("selfEvaluation").GetProperty("status").GetString());
        Assert.Equal("草稿", draft.GetProperty("selfEvaluation").GetProperty("statusLabel").GetString());
        var mark = $"/api/results/2022/publication/{draft.GetProperty("subjectKind").GetString()}/{draft.GetProperty("subjectId").GetGuid()}";

        var refused = await finance.PutAsync(mark, null);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains($"{transport}（部门整体支出）尚无审核通过的自评或已完成的重点评价", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await app.DbAsync(db => db.Set<BudgetEval.Web.ResultUse.ResultPublication>().CountAsync(p => p.FiscalYear == 2022)));
        Assert.Equal(HttpStatusCode.NoContent, (await finance.DeleteAsync(mark)).StatusCode); // taking a line off is always possible

        // On the page: the draft's line offers no 列入公开, a line with a completed evaluation does.
        using var browser = await app.SignInAsync("finance");
        var html = await browser.GetStringAsync("/results?year=2022&unit=" + Uri.EscapeDataString(transport));
        var line = System.Text.RegularExpressions.Regex.Match(html, $"<tr data-unit=\"{transport}\">(.*?)</tr>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        Assert.DoesNotContain("data-testid=\"mark\"", line, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"no-result\"", line, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"mark\"", await browser.GetStringAsync("/results?year=2021"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_year_of_more_lines_than_a_freezing_chunk_When_approved_Then_every_page_and_filter_reads_as_before_from_a_row_per_line()
    {
        // 2019: the centre's 部门整体 in the demo has no 2019, so the year is these projects alone.
        var lines = BudgetEval.Web.ResultUse.ResultsReport.FreezeChunk + 101;
        await app.DbAsync(db => db.Database.ExecuteSqlAsync($"""
            INSERT INTO budgeteval.self_evaluations ("Id", "OrganisationId", "FiscalYear", "Title", "Deadline", "Status", "IsLate", "CurrentVersion", "CreatedAt", "UpdatedAt", "FundsRowsJson", "Kind", "ProjectName")
            SELECT gen_random_uuid(), o."Id", 2019, '2019年度项目支出绩效自评', DATE '2020-03-31', 'draft', i % 7 = 0, 1, now(), now(), '[]', 'Project', '测试项目' || lpad(i::text, 5, '0')
            FROM budgeteval.organisations o, generate_series(1, {lines}) i WHERE o."Name" = {Centre}
            """));
        using (var browser = await app.SignInAsync("finance"))
        {
            // The year list: self-evaluation years (read by hopping through the index) and evaluation years, newest first.
            var years = System.Text.RegularExpressions.Regex.Matches(await browser.GetStringAsync("/results"), "<option value=\"(\\d{4})\"")
                .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            var expected = await app.DbAsync(async db => (await db.SelfEvaluations.Select(x => x.FiscalYear).Distinct().ToListAsync())
                .Union(await db.Evaluations.Select(x => x.FiscalYear).Distinct().ToListAsync()).OrderDescending().ToList());
            Assert.Equal(expected, years);
            Assert.Contains(2019, years);
        }

        using var finance = await app.ApiAsync("finance");
        using var lead = await app.ApiAsync("financelead");
        var lastPage = (lines + 49) / 50;
        var queries = new[] { "page=1", "page=57", $"page={lastPage}", "unit=服务中心&kind=Project&page=3", "kind=DepartmentWide", "publishedOnly=true" };
        async Task<List<string>> ReadAsync() => [.. await Task.WhenAll(queries.Select(async q =>
        {
            var view = await EvaluationApi.JsonAsync(finance, $"/api/results/2019?{q}");
            return $"{view.GetProperty("total").GetInt32()} {view.GetProperty("rows")}";
        }))];
        var live = await ReadAsync();
        Assert.StartsWith($"{lines} ", live[0], StringComparison.Ordinal);
        async Task<List<List<string>>> ExportAsync() =>
            XlsxText.FirstSheet(await finance.GetByteArrayAsync("/api/results/2019/export.xlsx?kind=Project"));
        var liveExport = await ExportAsync(); // completed in two chunks
        Assert.Equal(lines + 1, liveExport.Count);
        Assert.Equal("项目支出：测试项目05101", liveExport[^1][1]);
        Assert.Contains("测试项目05101", live[2], StringComparison.Ordinal); // the last line is on the last page

        using (var browser = await app.SignInAsync("finance"))
        {
            Assert.True(lines > BudgetEval.Web.ResultUse.PrintModel.PdfMaxLines);
            var pdf = await browser.GetAsync("/results/2019/print.pdf");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, pdf.StatusCode);
            Assert.Contains($"2019年度结果共 {lines} 项，超过 5000 项的汇总表不生成 PDF", await pdf.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await lead.PostAsync("/api/results/2019/approval", null)).StatusCode);

        Assert.Equal(lines, await app.DbAsync(db => db.Set<BudgetEval.Web.ResultUse.ResultApprovalRow>().CountAsync(r => r.FiscalYear == 2019)));
        Assert.Equal(live, await ReadAsync());
        Assert.Equal(liveExport, await ExportAsync()); // streamed from the frozen rows
        Assert.Equal(HttpStatusCode.NoContent, (await lead.PostAsJsonAsync("/api/results/2019/approval/reopen", new { reason = "测试撤销。" })).StatusCode);
        Assert.Equal(0, await app.DbAsync(db => db.Set<BudgetEval.Web.ResultUse.ResultApprovalRow>().CountAsync(r => r.FiscalYear == 2019)));
        Assert.Equal(live, await ReadAsync());
    }

    [Fact]
    public async Task Given_the_results_page_When_exported_and_printed_Then_the_xlsx_has_the_rows_and_the_annex_prints_as_pdf()
    {
        using var finance = await app.SignInAsync("finance");
        var page = await finance.GetAsync("/results?year=2022");
        var html = await page.Content.ReadAsStringAsync();
        var export = await finance.GetAsync("/results?handler=Export&year=2022");
        var rows = XlsxText.FirstSheet(await export.Content.ReadAsByteArrayAsync());
        var count = await app.DbAsync(db => db.SelfEvaluations.CountAsync(s => s.FiscalYear == 2022));
        var print = await finance.GetAsync("/results/2022/print");
        var printHtml = await print.Content.ReadAsStringAsync();
        var pdf = await finance.GetAsync("/results/2022/print.pdf");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(Centre, html, StringComparison.Ordinal);
        Assert.Contains("结果应用建议", html, StringComparison.Ordinal);
        // Each line's self-evaluation status leads to its 自评表.
        var links = System.Text.RegularExpressions.Regex.Matches(html, "href=\"(/self-evaluations/[^\"]+)\"").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Equal(count, links.Count);
        Assert.All(links, l => Assert.EndsWith("/form", l, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await finance.GetAsync(links[0])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("单位", rows[0][0]);
        Assert.Equal(count + 1, rows.Count);
        Assert.Contains(rows.Skip(1), r => r[0] == Centre);
        Assert.Contains("2022年度预算绩效评价结果汇总表", printHtml, StringComparison.Ordinal);
        Assert.Contains("未审定稿", printHtml, StringComparison.Ordinal);
        Assert.Equal(count, printHtml.Split("<tr>").Length - 2); // the header row and the table rows
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString((await pdf.Content.ReadAsByteArrayAsync())[..4]));

        using var unit = await app.SignInAsync("unit");
        var denied = await unit.GetAsync("/results?year=2022");
        Assert.NotEqual(HttpStatusCode.OK, denied.StatusCode);
        Assert.DoesNotContain("结果应用建议", await denied.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<(int Total, int Rectified, int Unrectifiable)> CountsAsync(int year) => await app.DbAsync(async db =>
    {
        var centre = await db.Organisations.Where(o => o.Name == Centre).Select(o => o.Id).SingleAsync();
        var findings = db.Findings.Where(f => f.OrganisationId == centre && f.FiscalYear > year - 3 && f.FiscalYear <= year);
        return (await findings.CountAsync(), await findings.CountAsync(f => f.Status == FindingStatus.Rectified), await findings.CountAsync(f => f.Status == FindingStatus.Unrectifiable));
    });

    private static JsonElement Row(JsonElement results, Guid selfEvaluationId) =>
        results.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("selfEvaluation").ValueKind == JsonValueKind.Object
            && r.GetProperty("selfEvaluation").GetProperty("id").GetGuid() == selfEvaluationId);
}
