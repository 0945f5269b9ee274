using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Rectifications;
using BudgetEval.Tests.SelfEvaluations;
using BudgetEval.Web.SelfEvaluations.Import;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Reliability;

/// <summary>
/// The bad-input corpus (tests/corpus plus inputs generated here) sent to every entry point that takes a
/// file or a field. A refused input answers 4xx with a Chinese message naming the field or cell, the
/// application tables are byte-for-byte unchanged (<see cref="DbFingerprint"/>), and /healthz still answers.
/// Each case's name reads "input → entry point", as listed in docs/reliability.md.
/// </summary>
[Trait("Category", "Corpus")]
public sealed class BadInputCorpusTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly string IndicatorHeader = string.Join(',', IndicatorFile.Header);

    [Theory]
    [InlineData("zip-of-text.xlsx → 自评表导入 API", "无法读取 Excel 文件")]
    [InlineData("truncated.xlsx → 自评表导入 API", "无法读取 Excel 文件")]
    [InlineData("formula-cells.xlsx → 自评表导入 API", "单元格 G3（第3行「分值」）是公式")]
    [InlineData("merged-header.xlsx → 自评表导入 API", "第1行表头含合并单元格（A1:B1）")]
    [InlineData("boolean-score.xlsx → 自评表导入 API", "单元格 G3（第3行「分值」）是逻辑值，应为数字。")]
    [InlineData("merged-score.xlsx → 自评表导入 API", "单元格 G2:G3（第2至3行「分值」）是合并单元格")]
    [InlineData("merged-score.xlsx → 自评表页面导入", "单元格 G2:G3（第2至3行「分值」）是合并单元格")]
    [InlineData("row-below-total.xlsx → 自评表导入 API", "第5行在「总分」行（第4行）之下，不会被导入")]
    [InlineData("hidden-rows.xlsx → 自评表导入 API", "第3、4行是隐藏行：为免导入看不到的内容，请在 Excel 中取消隐藏并核对")]
    [InlineData("hidden-rows.xlsx → 自评表页面导入", "第3、4行是隐藏行")]
    [InlineData("hidden-column.xlsx → 自评表导入 API", "H列（表头「得分」）是隐藏列")]
    [InlineData("hidden-sheet.xlsx → 自评表导入 API", "表格在隐藏的工作表「绩效指标」中")]
    [InlineData("indicators-gbk-score-above-weight.csv (GBK) → 自评表导入 API", "第3行「得分」“8”超过「分值」（5）")]
    [InlineData("indicators-score-above-weight.csv → 自评表导入 API", "第3行「得分」“8”超过「分值」（5）")]
    [InlineData("indicators-negative-and-huge.csv → 自评表导入 API", "第2行「分值」“-10”不能为负数")]
    [InlineData("10,000 rows (generated) → 自评表导入 API", "指标行数为 10000，超过 2000 行的上限")]
    [InlineData("truncated.xlsx → 自评表页面导入", "无法读取 Excel 文件")]
    [InlineData("formula-cells.xlsx → 自评表页面导入", "是公式")]
    [InlineData("scores-score-above-weight.csv → 评分表导入 API", "第3行「得分」")]
    [InlineData("zip-of-text.xlsx → 评分表导入 API", "无法读取 Excel 文件")]
    [InlineData("zip-of-text.xlsx renamed 材料.xlsx → 自评附件 API", "文件内容与扩展名 .xlsx 不符")]
    [InlineData("truncated.xlsx renamed 材料.xlsx → 自评附件 API", "文件内容与扩展名 .xlsx 不符")]
    [InlineData("overlong file name (240 characters) → 自评附件 API", "文件名过长（不超过 200 个字符）")]
    [InlineData("the same file twice → 自评附件 API", "已上传过（内容相同），未重复保存")]
    [InlineData("zip-of-text.xlsx renamed 佐证.xlsx → 整改佐证 API", "文件内容与扩展名 .xlsx 不符")]
    [InlineData("overlong file name (240 characters) → 整改佐证 API", "文件名过长")]
    [InlineData("overlong file name (240 characters) → 整改佐证页面", "文件名过长")]
    [InlineData("calendar-dates-out-of-range.csv → 工作日历导入页面", "日期「2027-02-30」无效")]
    [InlineData("negative 预算数 → 自评资金 API", "不能为负数")]
    [InlineData("huge 预算数 (1e20 万元) → 自评资金 API", "金额过大")]
    [InlineData("huge totalBudget (1e17) → 新建自评 API", "全年预算数过大")]
    [InlineData("negative totalBudget → 新建自评 API", "全年预算数不能为负数")]
    [InlineData("deadline 9999-12-31 → 新建自评 API", "「截止日期」9999-12-31 超出范围")]
    [InlineData("deadline 2026-02-30 (no such date) → 新建自评 API", "字段「deadline」的值无效")]
    [InlineData("totalBudget \"很多\" (text for a number) → 新建自评 API", "字段「totalBudget」的值无效")]
    [InlineData("deadline 1900-01-01 → 新建评价计划 API", "「截止日期」1900-01-01 超出范围")]
    [InlineData("得分 above 分值 → 自评指标 API", "第1行的得分（9）超过分值（5）")]
    [InlineData("requested deadline 9999-12-31 → 整改延期 API", "「延期后的期限」9999-12-31 超出范围")]
    [InlineData("malformed JSON → 自评文字 API", "请求内容不是有效的 JSON")]
    public async Task Given_bad_input_When_sent_Then_a_chinese_error_names_it_and_nothing_is_saved(string input, string expected)
    {
        var send = await PrepareAsync(input);
        var before = await DbFingerprint.TakeAsync(app.Database.ConnectionString);

        var response = await send();

        var text = await Corpus.ReadableAsync(response);
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{input}: {(int)response.StatusCode} {text}");
        Assert.True(text.Contains(expected, StringComparison.Ordinal), $"{input}: expected 「{expected}」 in {text}");
        Assert.Equal(before, await DbFingerprint.TakeAsync(app.Database.ConnectionString));
        using var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
    }

    /// <summary>Sets up what the case needs (a draft, a finding, a first upload) and returns the one request under test.</summary>
    private async Task<Func<Task<HttpResponseMessage>>> PrepareAsync(string input)
    {
        var unit = await app.ApiAsync("unit");
        var entry = input[(input.LastIndexOf('→') + 2)..];
        var file = input.Split(' ')[0];
        var overlong = new string('长', 236) + ".pdf";
        var pdf = Corpus.File("sample.pdf");
        switch (entry)
        {
            case "自评表导入 API":
            {
                var id = await DraftAsync(unit);
                var (name, bytes) = file == "10,000"
                    ? ("many.csv", Encoding.UTF8.GetBytes(IndicatorHeader + "\n" + string.Concat(Enumerable.Repeat("产出指标,数量指标,x,y,1,1,1,1,,\n", 10_000))))
                    : (file, Corpus.File(file));
                return () => unit.PostAsync($"/api/self-evaluations/{id}/indicators/import", Corpus.Multipart(name, bytes));
            }

            case "自评表页面导入":
            {
                var id = await DraftAsync(unit);
                var browser = await app.SignInAsync("unit");
                var token = AppFixture.AntiforgeryToken(await browser.GetStringAsync($"/self-evaluations/{id}/form"));
                return () => browser.PostAsync($"/self-evaluations/{id}/form?handler=import", Corpus.Multipart(file, Corpus.File(file), token));
            }

            case "评分表导入 API":
            {
                var evaluation = await new EvaluationApi(app).CommissionedAsync(2023, project: file); // one evaluation per file
                var evaluator = await app.ApiAsync("evaluator");
                await EvaluationApi.Ok(await evaluator.PostAsJsonAsync($"/api/evaluations/{evaluation}/team", new { name = "江惠平", isLead = true, noConflict = true }));
                return () => EvaluationApi.ImportAsync(evaluator, evaluation, Corpus.File(file), file); // with the version it reads, as a client sends it
            }

            case "自评附件 API":
            {
                var id = await DraftAsync(unit);
                var url = $"/api/self-evaluations/{id}/attachments";
                if (input.StartsWith("the same", StringComparison.Ordinal))
                {
                    Assert.Equal(HttpStatusCode.Created, (await unit.PostAsync(url, Corpus.Multipart("说明.pdf", pdf))).StatusCode);
                    return () => unit.PostAsync(url, Corpus.Multipart("说明.pdf", pdf));
                }

                return input.StartsWith("overlong", StringComparison.Ordinal)
                    ? () => unit.PostAsync(url, Corpus.Multipart(overlong, pdf))
                    : () => unit.PostAsync(url, Corpus.Multipart("材料.xlsx", Corpus.File(file)));
            }

            case "整改佐证 API":
            {
                var (finding, _) = await new RectificationApi(app).RegisterAsync("佐证测试" + Guid.NewGuid().ToString("N")[..6], new DateOnly(2026, 6, 30));
                var url = $"/api/findings/{finding}/evidence";
                return input.StartsWith("overlong", StringComparison.Ordinal)
                    ? () => unit.PostAsync(url, Corpus.Multipart(overlong, pdf))
                    : () => unit.PostAsync(url, Corpus.Multipart("佐证.xlsx", Corpus.File(file)));
            }

            case "整改佐证页面":
            {
                var (finding, _) = await new RectificationApi(app).RegisterAsync("佐证页面测试" + Guid.NewGuid().ToString("N")[..6], new DateOnly(2026, 6, 30));
                var browser = await app.SignInAsync("unit");
                var token = AppFixture.AntiforgeryToken(await browser.GetStringAsync($"/findings/{finding}"));
                return () => browser.PostAsync($"/findings/{finding}?handler=evidence", Corpus.Multipart(overlong, pdf, token));
            }

            case "工作日历导入页面":
            {
                var admin = await app.SignInAsync("admin");
                var token = AppFixture.AntiforgeryToken(await admin.GetStringAsync("/admin/calendar?year=2027"));
                return () => admin.PostAsync("/admin/calendar?year=2027&handler=import", Corpus.Multipart(file, Corpus.File(file), token));
            }

            case "自评资金 API":
            {
                var id = await DraftAsync(unit);
                var budget = input.StartsWith("negative", StringComparison.Ordinal) ? -100m : 100_000_000_000_000_000_000m;
                var expectedVersion = await SelfEvaluationApiTests.VersionAsync(unit, id);
                return () => unit.PutAsJsonAsync($"/api/self-evaluations/{id}/funds", new { budget, executed = 1m, upperTransfer = 0m, expectedVersion });
            }

            case "新建自评 API":
            {
                var body = input switch
                {
                    _ when input.StartsWith("huge", StringComparison.Ordinal) => """{"title":"超大预算","fiscalYear":2025,"deadline":"2026-12-31","totalBudget":100000000000000000}""",
                    _ when input.StartsWith("negative", StringComparison.Ordinal) => """{"title":"负预算","fiscalYear":2025,"deadline":"2026-12-31","totalBudget":-5}""",
                    _ when input.Contains("9999", StringComparison.Ordinal) => """{"title":"远期","fiscalYear":2025,"deadline":"9999-12-31","totalBudget":5}""",
                    _ when input.Contains("02-30", StringComparison.Ordinal) => """{"title":"无此日","fiscalYear":2025,"deadline":"2026-02-30","totalBudget":5}""",
                    _ => """{"title":"文字金额","fiscalYear":2025,"deadline":"2026-12-31","totalBudget":"很多"}""",
                };
                return () => unit.PostAsync("/api/self-evaluations", new StringContent(body, Encoding.UTF8, "application/json"));
            }

            case "新建评价计划 API":
            {
                var finance = await app.ApiAsync("finance");
                return () => finance.PostAsJsonAsync("/api/plans", new { fiscalYear = 2025, title = "远古计划", deadline = "1900-01-01", templateId = "default" });
            }

            case "自评指标 API":
            {
                var id = await DraftAsync(unit);
                var expectedVersion = await SelfEvaluationApiTests.VersionAsync(unit, id);
                return () => unit.PutAsJsonAsync($"/api/self-evaluations/{id}/indicators", new
                {
                    indicators = new[] { new { level1 = "产出指标", level2 = "数量指标", level3 = "接通率", weight = 5m, score = 9m } },
                    expectedVersion,
                });
            }

            case "整改延期 API":
            {
                var rectifications = new RectificationApi(app);
                var (finding, _) = await rectifications.RegisterAsync("延期测试" + Guid.NewGuid().ToString("N")[..6], new DateOnly(2026, 6, 30));
                var stamp = await rectifications.StampAsync("unit", finding);
                return () => unit.PutAsJsonAsync($"/api/findings/{finding}/requested-deadline", new { deadline = "9999-12-31", stamp });
            }

            case "自评文字 API":
            {
                var id = await DraftAsync(unit);
                return () => unit.PutAsync($"/api/self-evaluations/{id}/text", new StringContent("{\"goalsPlanned\": \"未闭合", Encoding.UTF8, "application/json"));
            }

            default:
                throw new InvalidOperationException("no entry point for " + input);
        }
    }

    [Fact]
    public async Task Given_the_same_evidence_posted_twice_When_the_second_arrives_Then_it_answers_with_the_first_version_and_saves_nothing()
    {
        var unit = await app.ApiAsync("unit");
        var pdf = Corpus.File("sample.pdf");
        var (finding, _) = await new RectificationApi(app).RegisterAsync("重复提交" + Guid.NewGuid().ToString("N")[..6], new DateOnly(2026, 6, 30));
        var first = await unit.PostAsync($"/api/findings/{finding}/evidence", Corpus.Multipart("整改报告.pdf", pdf));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var before = await DbFingerprint.TakeAsync(app.Database.ConnectionString);

        var second = await unit.PostAsync($"/api/findings/{finding}/evidence", Corpus.Multipart("整改报告.pdf", pdf));

        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(1, JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetInt32());
        Assert.Equal(before, await DbFingerprint.TakeAsync(app.Database.ConnectionString));
    }

    [Fact]
    public async Task Given_the_same_evidence_posted_sixteen_times_at_once_When_all_arrive_Then_one_file_is_stored_and_every_answer_names_it()
    {
        var unit = await app.ApiAsync("unit");
        var pdf = Corpus.File("sample.pdf");
        var (finding, _) = await new RectificationApi(app).RegisterAsync("并发提交" + Guid.NewGuid().ToString("N")[..6], new DateOnly(2026, 6, 30));

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => unit.PostAsync($"/api/findings/{finding}/evidence", Corpus.Multipart("整改报告.pdf", pdf))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        Assert.Single(answers.Select(a => a.Headers.Location).Distinct());
        Assert.Equal(1, await app.DbAsync(db => db.FindingEvidence.CountAsync(e => e.FindingId == finding)));
    }

    [Fact]
    public async Task Given_a_gbk_calendar_csv_When_imported_Then_its_chinese_names_are_saved_decoded()
    {
        var admin = await app.SignInAsync("admin");
        var token = AppFixture.AntiforgeryToken(await admin.GetStringAsync("/admin/calendar?year=2027"));
        var response = await admin.PostAsync("/admin/calendar?year=2027&handler=import", Corpus.Multipart("calendar-gbk.csv", Corpus.File("calendar-gbk.csv"), token));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var names = await app.DbAsync(db => db.CalendarDays.Where(d => d.Date.Year == 2027).Select(d => d.Name).ToListAsync());
        Assert.Equal(["国庆节", "国庆节"], names);
    }

    [Fact]
    public async Task Given_merged_category_cells_When_imported_Then_the_top_value_fills_the_merged_rows()
    {
        var unit = await app.ApiAsync("unit");
        var id = await DraftAsync(unit);
        var response = await unit.PostAsync($"/api/self-evaluations/{id}/indicators/import", Corpus.Multipart("merged-category.xlsx", Corpus.File("merged-category.xlsx")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var indicators = (await SelfEvaluationApiTests.DetailAsync(unit, id)).GetProperty("indicators").EnumerateArray().ToList();
        Assert.Equal(["产出指标", "产出指标"], indicators.Select(i => i.GetProperty("level1").GetString()));
    }

    [Theory]
    [InlineData("../../../etc/evil.pdf", "evil.pdf")]
    [InlineData("..\\..\\windows\\evil.pdf", "evil.pdf")]
    [InlineData("整改佐证材料（第一批）.pdf", "整改佐证材料（第一批）.pdf")]
    public async Task Given_a_file_name_with_a_path_or_chinese_When_uploaded_Then_only_the_name_is_kept_and_served_back_as_attachment(string sent, string kept)
    {
        var unit = await app.ApiAsync("unit");
        var pdf = Corpus.File("sample.pdf");
        var (finding, _) = await new RectificationApi(app).RegisterAsync("文件名测试" + Guid.NewGuid().ToString("N")[..6], new DateOnly(2026, 6, 30));

        var evidence = await unit.PostAsync($"/api/findings/{finding}/evidence", Corpus.Multipart(sent, pdf));
        Assert.Equal(HttpStatusCode.Created, evidence.StatusCode);
        using var json = JsonDocument.Parse(await evidence.Content.ReadAsStringAsync());
        Assert.Equal(kept, json.RootElement.GetProperty("fileName").GetString());

        var download = await unit.GetAsync(evidence.Headers.Location);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(kept, download.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());

        var id = await DraftAsync(unit);
        var attachment = await unit.PostAsync($"/api/self-evaluations/{id}/attachments", Corpus.Multipart(sent, pdf));
        Assert.Equal(HttpStatusCode.Created, attachment.StatusCode);
        Assert.Equal(kept, JsonDocument.Parse(await attachment.Content.ReadAsStringAsync()).RootElement.GetProperty("fileName").GetString());
    }

    /// <summary>A fresh draft of the unit's own (the demo draft is shared by other cases of this class).</summary>
    private static async Task<Guid> DraftAsync(HttpClient unit)
    {
        var created = await unit.PostAsJsonAsync("/api/self-evaluations", new { title = "语料测试自评", fiscalYear = 2025, deadline = "2026-12-31", summary = "概述", totalBudget = 100m });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var json = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("id").GetGuid();
    }
}
