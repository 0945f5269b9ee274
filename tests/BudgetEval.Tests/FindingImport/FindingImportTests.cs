using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.SelfEvaluations;
using BudgetEval.Web.Audit;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Findings;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using static BudgetEval.Tests.Infrastructure.XlsxBuilder;

namespace BudgetEval.Tests.FindingImport;

/// <summary>
/// 问题台账批量登记: the bureau's existing 整改台账 from one workbook, posted through the page as a browser would and
/// through the API, against real PostgreSQL. Each test uses its own titles, so they do not depend on their order.
/// </summary>
public sealed partial class FindingImportTests(AppFixture app, ITestOutputHelper output) : IClassFixture<AppFixture>
{
    private static readonly string[] Header =
        ["单位", "年度", "来源", "问题类别", "问题", "问题描述", "来源文号", "来源日期", "对应指标", "整改建议", "整改期限", "是否已整改", "整改完成日期", "整改说明"];

    private const string HealthCode = "91430122MA4L00001X";

    [Fact]
    public async Task Given_a_good_workbook_When_imported_Then_every_row_is_registered_the_open_ones_with_their_case_and_notice_and_the_fixed_one_as_rectified()
    {
        await app.DbAsync(db => db.Organisations.Where(o => o.Name == "长沙市望城区卫生健康局").ExecuteUpdateAsync(s => s.SetProperty(o => o.CreditCode, HealthCode)));
        using var finance = await app.SignInAsync("finance");
        var file = new XlsxBuilder()
            .Styles(14, "yyyy\"年\"m\"月\"d\"日\"")
            .Sheet("问题",
            [
                Row(1, Header),
                // 单位 merged down over rows 2–3 (a ledger grouped by unit): both rows are the centre's.
                Row(2, DemoSeeder.SocialGovernanceCentre, 2023, "审计", "财务管理", "好文件审计问题甲", "区审计局发现：报销票据不全。", "望审〔2024〕3号", Styled(45366, 1), "成本指标", "补齐票据。", Styled(45473, 2), "否"),
                Row(3, null, "２０２３年", "巡察", "资产管理", "好文件巡察问题乙", "巡察反馈：资产未入账。", "望治党组〔2024〕2号", "2024/2/1", null, null, "2024年5月31日"),
                // By short name; a pre-system third-party evaluation; no deadline (60 days from today, as by hand).
                Row(4, "区教育局", 2022, "第三方评价", "项目管理", "好文件评价问题丙", "项目绩效目标不明确。", "湘财苑专审字[2023]第5号", "2023-06-30"),
                // By full-width credit code; fixed before it was registered.
                Row(5, "９１４３０１２２ＭＡ４Ｌ０００01Ｘ", 2021, "自评", "预算绩效管理", "好文件自评问题丁", "自评发现绩效指标偏少。", null, null, null, null, "2022-01-31", "是", "2022-03-01", "已补充指标。"),
            ], "A2:A3")
            .Build();
        var before = await CountsAsync();

        var response = await PostPageAsync(finance, file);

        var html = await FindingImportPage.ResultAsync(finance, response, Errors);
        Assert.Contains("已登记 4 个问题：3 个未整改（已发出整改通知），1 个登记时已整改。", html, StringComparison.Ordinal);

        var findings = await app.DbAsync(db => db.Findings.AsNoTracking().Where(f => f.Title.StartsWith("好文件")).OrderBy(f => f.Title).ToListAsync());
        Assert.Equal(["好文件审计问题甲", "好文件巡察问题乙", "好文件自评问题丁", "好文件评价问题丙"], findings.Select(f => f.Title).Order(StringComparer.Ordinal));
        var byTitle = findings.ToDictionary(f => f.Title);
        var centre = await app.SocialGovernanceCentreAsync();
        Assert.Equal(centre, byTitle["好文件审计问题甲"].OrganisationId);
        Assert.Equal(centre, byTitle["好文件巡察问题乙"].OrganisationId);
        Assert.Equal(await app.OrganisationIdAsync(DemoSeeder.EducationBureau), byTitle["好文件评价问题丙"].OrganisationId);
        Assert.Equal(await app.OrganisationIdAsync("长沙市望城区卫生健康局"), byTitle["好文件自评问题丁"].OrganisationId);

        var audit = byTitle["好文件审计问题甲"];
        Assert.Equal((2023, FindingSource.Audit, "望审〔2024〕3号", "成本指标"), (audit.FiscalYear, audit.Source, audit.SourceDocument, audit.IndicatorRow));
        Assert.Equal(new DateOnly(2024, 3, 15), audit.SourceDate); // 45366 as a date cell
        Assert.Equal(new DateOnly(2024, 6, 30), audit.Deadline);   // 45473 shown as 2024年6月30日
        Assert.Equal(FindingStatus.Open, audit.Status);
        Assert.Equal((2023, new DateOnly(2024, 2, 1), new DateOnly(2024, 5, 31)), (byTitle["好文件巡察问题乙"].FiscalYear, byTitle["好文件巡察问题乙"].SourceDate, byTitle["好文件巡察问题乙"].Deadline));
        Assert.Equal(new DateOnly(2026, 5, 6), byTitle["好文件评价问题丙"].Deadline); // as hand registration: 60 days on, moved past 劳动节
        Assert.Null(byTitle["好文件评价问题丙"].EvaluationId);

        var fixedOne = byTitle["好文件自评问题丁"];
        Assert.Equal((FindingStatus.Rectified, true, new DateOnly(2022, 3, 1), "已补充指标。"), (fixedOne.Status, fixedOne.RectifiedBeforeReport, fixedOne.RectifiedOn, fixedOne.RectifiedEvidence));
        Assert.Equal("登记时已整改", FindingLabels.RectifiedEarly(fixedOne));

        // Each open one has its rectification case; the fixed one has none.
        var ids = findings.Select(f => f.Id).ToList();
        var cases = await app.DbAsync(db => db.WorkflowInstances.IgnoreQueryFilters().Where(i => ids.Contains(i.SubjectId)).Select(i => new { i.SubjectId, i.State, i.Title }).ToListAsync());
        Assert.Equal(findings.Where(f => f.Status == FindingStatus.Open).Select(f => f.Id).Order(), cases.Select(c => c.SubjectId).Order());
        Assert.All(cases, c => Assert.StartsWith("整改：", c.Title, StringComparison.Ordinal));

        // The centre's user gets the 整改通知 of each of its two, in the inbox and (through the outbox) by mail.
        var notices = await app.DbAsync(db => db.Notifications.Where(n => n.Event == "FindingNotice" && n.Title.Contains("好文件"))
            .Join(db.Users, n => n.RecipientUserId, u => u.Id, (n, u) => new { u.UserName, n.Title }).ToListAsync());
        Assert.Equal([$"整改通知：{audit.Number} 好文件审计问题甲", $"整改通知：{byTitle["好文件巡察问题乙"].Number} 好文件巡察问题乙"],
            notices.Where(n => n.UserName == "unit").Select(n => n.Title).Order(StringComparer.Ordinal));
        // Both by one mail listing them; the 教育局's one finding comes as the usual single 整改通知.
        var centreMail = Assert.Single(await app.DbAsync(db => db.Outbox.Where(m => m.ToAddress == "unit@demo.budgeteval.local" && m.Html.Contains("好文件"))
            .Select(m => new { m.Event, m.Subject, m.Html }).ToListAsync()));
        Assert.Equal(("FindingNoticeSummary", "【预算绩效】整改通知：2项问题需要整改"), (centreMail.Event, centreMail.Subject));
        Assert.Contains(audit.Number, centreMail.Html, StringComparison.Ordinal);
        Assert.Contains(byTitle["好文件巡察问题乙"].Number, centreMail.Html, StringComparison.Ordinal);
        Assert.Equal(("FindingNotice", $"【预算绩效】整改通知：{byTitle["好文件评价问题丙"].Number} 好文件评价问题丙"), Assert.Single(await app.DbAsync(db => db.Outbox
            .Where(m => m.ToAddress == "unit2@demo.budgeteval.local" && m.Html.Contains("好文件")).Select(m => new ValueTuple<string, string>(m.Event!, m.Subject)).ToListAsync())));
        var after = await CountsAsync();
        Assert.Equal(before.Findings + 4, after.Findings);
        Assert.Equal(before.Cases + 3, after.Cases);
        Assert.True(after.Outbox > before.Outbox, $"outbox {before.Outbox} → {after.Outbox}");
        Assert.Equal(before.Audit + 1, after.Audit);
        var line = await app.DbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.Action == AuditActions.FindingsImported).OrderBy(a => a.Id).LastAsync());
        Assert.Equal("问题 4 条（单位 3 个，其中登记时已整改 1 条）", line.Detail);
        Assert.Contains("finance", line.ActorName!, StringComparison.Ordinal);

        // The result lists each unit with a link to the register filtered to it (and its year when it has one).
        Assert.Contains($"href=\"/findings?Unit={centre}&FiscalYear=2023\"", html, StringComparison.Ordinal);
        var listed = await finance.GetStringAsync($"/findings?Unit={centre}&FiscalYear=2023");
        Assert.Contains("好文件审计问题甲", listed, StringComparison.Ordinal);
        Assert.Contains("好文件巡察问题乙", listed, StringComparison.Ordinal);

        // The same file again registers nothing: every row is already in the register.
        var again = await PostPageAsync(finance, file);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        var againHtml = WebUtility.HtmlDecode(await again.Content.ReadAsStringAsync());
        Assert.Contains($"单元格 E2（第2行「问题」）系统中已登记该单位2023年度的同名问题（编号 {audit.Number}），不会重复登记：请删除这一行。", againHtml, StringComparison.Ordinal);
        Assert.Equal(after, await CountsAsync());
    }

    [Fact]
    public async Task Given_a_workbook_with_many_problems_When_imported_Then_every_problem_is_named_by_cell_and_nothing_is_saved()
    {
        using var finance = await app.SignInAsync("finance");
        var hidden = "<row r=\"12\" hidden=\"1\">" + Row(12, DemoSeeder.EducationBureau, 2023, "审计", "财务管理", "隐藏行问题", "d", "望审〔2024〕9号")[12..];
        var file = new XlsxBuilder()
            .Sheet("问题",
            [
                Row(1, Header),
                Row(2, "不存在的单位", 2023, "审计", "财务管理", "坏文件问题一", "d", "望审〔2024〕1号"),
                Row(3, DemoSeeder.EducationBureau, "二〇二三", "审核", "不存在的类别", "坏文件问题二", null, "望审〔2024〕1号"),
                Row(4, DemoSeeder.EducationBureau, 2023, "巡察", "财务管理", "坏文件问题三", "d", null, "2024-03-01", null, null, "2024-02-01"),
                Row(5, DemoSeeder.EducationBureau, 2031, "审计", "财务管理", "坏文件问题四", "d", "望审〔2024〕1号", "9999-01-01", null, null, "2024-13-45"),
                Row(6, DemoSeeder.EducationBureau, 2023, "审计", "财务管理", "坏文件问题五", "d", "望审〔2024〕1号"),
                Row(7, DemoSeeder.EducationBureau, 2023, "审计", "财务管理", "坏文件问题五", "d", "望审〔2024〕1号"),
                Row(8, DemoSeeder.EducationBureau, 2023, "自评", "财务管理", "坏文件问题六", "d", null, null, null, null, null, "是"),
                Row(9, DemoSeeder.EducationBureau, 2023, "自评", "财务管理", "坏文件问题七", "d", null, null, null, null, null, "否", "2024-01-01"),
                Row(10, "示例：长沙市望城区XX中心（导入前请删除本行）", 2023, "审计", "财务管理", "示例问题", "d", "x"),
                Row(11, "区", 2023, "自评", "财务管理", "坏文件问题八", Raw("<f>\"公式\"</f><v>公式</v>", "t=\"str\""), null, null, null, null, null, Bool(true), "2024-01-01"),
                hidden,
            ])
            .Build();
        var before = await CountsAsync();

        var response = await PostPageAsync(finance, file);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("导入失败，未登记任何问题", html, StringComparison.Ordinal);
        string[] expected =
        [
            "单元格 A2（第2行「单位」）找不到「不存在的单位」，请填写单位全称、简称或统一社会信用代码。",
            "单元格 B3（第3行「年度」）“二〇二三”不是年份",
            "单元格 C3（第3行「来源」）“审核”不是有效的来源，应为「审计」「巡察」「第三方评价」或「自评」。",
            "单元格 D3（第3行「问题类别」）“不存在的类别”不是有效的问题类别，应为预算绩效管理、财务管理、资产管理、业务管理、项目管理、整改落实、其他之一。",
            "单元格 F3（第3行「问题描述」）未填写。",
            "单元格 G4（第4行「来源文号」）未填写。",
            "单元格 K4（第4行「整改期限」）不能早于「来源日期」。",
            "单元格 B5（第5行「年度」）不能晚于本年度（2026）。",
            "单元格 H5（第5行「来源日期」）9999-01-01 超出范围",
            "单元格 K5（第5行「整改期限」）“2024-13-45”不是有效的日期",
            "单元格 E7（第7行「问题」）与第6行重复（同一单位、年度的问题名称相同）。",
            "单元格 M8（第8行「整改完成日期」）已整改的问题须填写整改完成日期。",
            "单元格 M9（第9行「整改完成日期」）只有已整改的问题填写整改完成日期",
            "第10行是模板的示例行，请删除这一行后再导入。",
            "单元格 A11（第11行「单位」）「区」对应多个单位",
            "单元格 F11（第11行「问题描述」）是公式，请复制后“选择性粘贴 → 数值”再导入。",
            "第12行是隐藏行",
        ];
        var missing = expected.Where(e => !html.Contains(e, StringComparison.Ordinal)).ToList();
        Assert.DoesNotMatch("第\\d+行(「[^」]+」)）?\\1", html); // the column is named once, not 「年度」）「年度」
        Assert.True(missing.Count == 0, "missing:\n" + string.Join('\n', missing) + "\n\n" + Errors(html));
        Assert.Equal(before, await CountsAsync());
        Assert.False(await app.DbAsync(db => db.Findings.AnyAsync(f => f.Title.StartsWith("坏文件"))));

        // The API names the same problems with their rows and columns, and saves nothing either.
        var api = await app.ApiAsync("finance");
        var refused = await PostApiAsync(api, file);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        var errors = problem.RootElement.GetProperty("errors").EnumerateArray().ToList();
        Assert.Contains(errors, e => e.GetProperty("row").GetInt32() == 2 && e.GetProperty("column").GetString() == "单位");
        Assert.Contains(errors, e => e.GetProperty("row").GetInt32() == 7 && e.GetProperty("column").GetString() == "问题");
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Given_the_template_When_downloaded_and_imported_Then_its_example_row_is_refused_and_without_its_mark_it_registers()
    {
        using var finance = await app.SignInAsync("finance");

        var template = await finance.GetAsync("/findings/import?handler=Template");

        Assert.Equal(HttpStatusCode.OK, template.StatusCode);
        var bytes = await template.Content.ReadAsByteArrayAsync();
        var sheets = XlsxText.Sheets(bytes);
        Assert.Equal(Header, sheets["问题"][0]);
        Assert.Equal(2, sheets["问题"].Count);
        Assert.Contains(sheets["填写说明"], r => r[0].Contains("问题类别：预算绩效管理、财务管理", StringComparison.Ordinal));

        var refused = await PostPageAsync(finance, bytes);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("工作表「问题」第2行是模板的示例行，请删除这一行后再导入。", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        // The example is a valid row: under a real unit's name and without its mark, it registers as written.
        var example = sheets["问题"][1].Select(c => (object?)c).ToArray();
        example[0] = DemoSeeder.SocialGovernanceCentre;
        var followed = new XlsxBuilder().Sheet("问题", [Row(1, Header), Row(2, example)]).Build();
        await FindingImportPage.ResultAsync(finance, await PostPageAsync(finance, followed), Errors);
        Assert.True(await app.DbAsync(db => db.Findings.AnyAsync(f => f.Title == (string)example[4]! && f.Source == FindingSource.Audit)));

        // An exported 整改台账 is a report, not a registration file: it is named as such.
        var ledger = await finance.GetAsync("/findings?handler=Export&FiscalYear=2021");
        var fromLedger = await PostPageAsync(finance, await ledger.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, fromLedger.StatusCode);
        Assert.Contains("这是“导出整改台账”的文件", WebUtility.HtmlDecode(await fromLedger.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_the_sheet_saved_as_a_GBK_csv_by_Chinese_Excel_When_imported_on_the_page_Then_its_row_is_registered()
    {
        using var finance = await app.SignInAsync("finance");
        var page = WebUtility.HtmlDecode(await finance.GetStringAsync("/findings/import"));
        Assert.Contains("也可以是「问题」表另存的 .csv 文件，UTF-8 或 GBK 编码", page, StringComparison.Ordinal);

        // What 另存为 CSV of Chinese Excel writes: GB18030 (GBK) without a byte-order mark.
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var csv = string.Join("\r\n", string.Join(',', Header), $"{DemoSeeder.SocialGovernanceCentre},2023,审计,财务管理,逗号文件审计问题,区审计局发现：会议费超标准。,望审〔2024〕8号,2024-03-15,,,2024-06-30,否,,") + "\r\n";
        var response = await PostPageAsync(finance, System.Text.Encoding.GetEncoding("GB18030").GetBytes(csv), "整改台账.csv");

        await FindingImportPage.ResultAsync(finance, response, Errors);
        var finding = await app.DbAsync(db => db.Findings.AsNoTracking().SingleAsync(f => f.Title == "逗号文件审计问题"));
        Assert.Equal((2023, "望审〔2024〕8号", new DateOnly(2024, 6, 30), FindingStatus.Open), (finding.FiscalYear, finding.SourceDocument, finding.Deadline, finding.Status));
        Assert.Equal("区审计局发现：会议费超标准。", finding.Detail);
    }

    [Fact]
    public async Task Given_a_unit_a_firm_or_the_lead_When_they_try_the_import_Then_they_are_refused_and_the_register_links_to_it_for_the_officer_only()
    {
        var file = new XlsxBuilder().Sheet("问题", [Row(1, Header), Row(2, DemoSeeder.SocialGovernanceCentre, 2023, "自评", "其他", "越权导入的问题", "d")]).Build();
        foreach (var user in new[] { "unit", "evaluator", "financelead" })
        {
            using var pages = await app.SignInAsync(user);
            Assert.Equal(HttpStatusCode.NotFound, (await pages.GetAsync("/findings/import")).StatusCode);
            Assert.DoesNotContain("/findings/import", await pages.GetStringAsync("/findings"), StringComparison.Ordinal);
            var api = await app.ApiAsync(user);
            Assert.Equal(HttpStatusCode.Forbidden, (await PostApiAsync(api, file)).StatusCode);
        }

        using var finance = await app.SignInAsync("finance");
        Assert.Contains("href=\"/findings/import\"", await finance.GetStringAsync("/findings"), StringComparison.Ordinal);
        Assert.False(await app.DbAsync(db => db.Findings.AnyAsync(f => f.Title == "越权导入的问题")));
    }

    [Fact]
    public async Task Given_an_open_finding_of_an_earlier_year_imported_When_the_unit_opens_its_next_self_evaluation_Then_it_is_on_the_follow_up_list()
    {
        // The centre's 2022 self-evaluation (the demo's draft) follows up its findings of 2019–2021.
        var api = await app.ApiAsync("finance");
        var file = new XlsxBuilder().Sheet("问题",
        [
            Row(1, Header),
            Row(2, DemoSeeder.SocialGovernanceCentre, 2021, "审计", "财务管理", "跟踪清单导入问题", "审计发现。", "望审〔2022〕8号", "2022-04-01", null, null, "2022-09-30"),
        ]).Build();

        var response = await PostApiAsync(api, file);

        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(response.StatusCode == HttpStatusCode.OK, answer.RootElement.ToString());
        Assert.Equal(1, answer.RootElement.GetProperty("registered").GetInt32());
        Assert.Equal(1, answer.RootElement.GetProperty("open").GetInt32());
        var id = answer.RootElement.GetProperty("findings")[0].GetProperty("id").GetGuid();
        Assert.Equal(2, answer.RootElement.GetProperty("findings")[0].GetProperty("row").GetInt32());

        var unit = await app.ApiAsync("unit");
        var selfEvaluation = await SelfEvaluationApiTests.CentreIdAsync(unit);
        var items = await EvaluationApi.JsonAsync(unit, $"/api/self-evaluations/{selfEvaluation}/follow-up");
        var item = Assert.Single(items.EnumerateArray(), i => i.GetProperty("findingId").GetGuid() == id);
        Assert.True(item.GetProperty("needsStatement").GetBoolean());
        Assert.Equal("跟踪清单导入问题", item.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Given_three_hundred_rows_When_imported_Then_all_are_registered_with_consecutive_numbers_and_the_time_is_reported()
    {
        var units = new[] { DemoSeeder.SocialGovernanceCentre, DemoSeeder.EducationBureau, "长沙市望城区民政局", "长沙市望城区交通运输局", "区住建局", "区文旅体局" };
        var rows = new List<string> { Row(1, Header) };
        for (var i = 0; i < 300; i++)
        {
            rows.Add(Row(i + 2, units[i % units.Length], 2019 + (i % 3), i % 2 == 0 ? "审计" : "巡察", "业务管理", $"批量导入问题{i:000}",
                "历年台账中的问题，整改尚未完成。", $"望审〔2020〕{i}号", "2020-05-01", null, "按期整改。", "2020-12-31"));
        }

        var file = new XlsxBuilder().Sheet("问题", rows).Build();
        var api = await app.ApiAsync("finance");
        var before = await CountsAsync();

        var clock = Stopwatch.StartNew();
        var response = await PostApiAsync(api, file);
        clock.Stop();

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        output.WriteLine($"300 rows imported in {clock.ElapsedMilliseconds} ms");
        var after = await CountsAsync();
        Assert.Equal(before.Findings + 300, after.Findings);
        Assert.Equal(before.Cases + 300, after.Cases);
        var numbers = await app.DbAsync(db => db.Findings.Where(f => f.Title.StartsWith("批量导入问题") && f.FiscalYear == 2019 && f.Source == FindingSource.Audit)
            .OrderBy(f => f.Number).Select(f => f.Number).ToListAsync());
        Assert.Equal(Enumerable.Range(1, numbers.Count).Select(n => $"2019-审计-{n:000}"), numbers);
    }

    [Fact]
    public async Task Given_the_api_document_When_read_Then_the_import_is_an_upload_whose_refusal_lists_row_column_and_message()
    {
        using var anonymous = app.Anonymous();
        using var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json"));

        var operation = document.RootElement.GetProperty("paths").GetProperty("/api/findings/import").GetProperty("post");

        Assert.True(operation.GetProperty("requestBody").GetProperty("content").TryGetProperty("multipart/form-data", out _));
        // The file's errors by row and column first; the request's own (e.g. an unreadable form) by field as the alternative.
        Assert.Equal("#/components/schemas/ImportProblem", operation.GetProperty("responses").GetProperty("400").GetProperty("content")
            .GetProperty("application/problem+json").GetProperty("schema").GetProperty("oneOf")[0].GetProperty("$ref").GetString());
        Assert.True(operation.GetProperty("responses").TryGetProperty("403", out _));
    }

    private async Task<(int Findings, int Cases, int Notifications, int Outbox, int Audit)> CountsAsync() =>
        (await app.DbAsync(db => db.Findings.IgnoreQueryFilters().CountAsync()),
         await app.DbAsync(db => db.WorkflowInstances.IgnoreQueryFilters().CountAsync(i => i.DefinitionId == "rectification")),
         await app.DbAsync(db => db.Notifications.IgnoreQueryFilters().CountAsync()),
         await app.DbAsync(db => db.Outbox.IgnoreQueryFilters().CountAsync()),
         await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Action == AuditActions.FindingsImported)));

    private static Task<HttpResponseMessage> PostPageAsync(HttpClient client, byte[] workbook, string fileName = "整改台账导入.xlsx") =>
        FindingImportPage.PostAsync(client, workbook, fileName);

    private static async Task<HttpResponseMessage> PostApiAsync(HttpClient api, byte[] workbook)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(workbook);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        form.Add(file, "file", "整改台账导入.xlsx");
        return await api.PostAsync("/api/findings/import", form);
    }

    internal static string Errors(string html) => ErrorBox().Match(html) is { Success: true } m ? m.Value : html[..Math.Min(html.Length, 2000)];

    [GeneratedRegex("<div class=\"errors\"[\\s\\S]*?</div>")]
    private static partial Regex ErrorBox();
}
