using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Rectifications;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Evaluations;

namespace BudgetEval.Tests.SecondYear;

/// <summary>
/// One bureau through two consecutive years (fiscal 2031 and 2032, clear of the demo's years), as its users do it through
/// the API: plan, self-evaluation, external evaluation, findings and their rectification in year N; the next plan, the
/// unit's follow-up of last year's findings, a recurring finding, the 问题整改情况 proposal and the results in year N+1.
/// Every expected figure is worked out from what the test set up.
/// </summary>
public sealed class SecondYearWalkTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const int YearN = 2031;
    private static readonly DateTimeOffset MidYearN = new(2031, 6, 2, 1, 0, 0, TimeSpan.Zero); // 09:00 Beijing
    private static readonly DateTimeOffset EarlyN1 = new(2032, 1, 6, 1, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset EarlyN2 = new(2033, 1, 11, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Given_a_year_walked_end_to_end_When_the_next_year_starts_Then_follow_up_recurrence_proposal_and_results_follow_the_register()
    {
        var centre = await app.SocialGovernanceCentreAsync();

        // Mid 2031: an 审计 finding of 2030, closed in 2031 — before year N+1, so not followed up then.
        var (api, finance, unit) = await MoveClockAsync(MidYearN);
        var (old, oldCase) = await api.RegisterAsync(YearN - 1, "其他", "往来款长期挂账未清理", "区审计局审计发现。", "Audit", "望审〔2031〕5号", new DateOnly(2031, 8, 31));
        await api.PlanAndReportAsync(old, oldCase, "2031-07-31");
        await api.Cases.FireOkAsync("finance", oldCase, "verify", "整改到位。");

        // January 2032, year N: the plan, the unit's self-evaluation accepted.
        (api, finance, unit) = await MoveClockAsync(EarlyN1);
        var planN = await PublishPlanAsync(finance, centre, YearN, "望财绩〔2032〕1号", "2032-03-31");
        var selfN = await SelfEvaluationOfAsync(unit, planN);
        await FillAsync(unit, selfN);
        var selfNCase = (await EvaluationApi.JsonAsync(unit, $"/api/self-evaluations/{selfN}")).GetProperty("caseId").GetGuid();
        await api.Cases.FireOkAsync("unit", selfNCase, "submit");
        await api.Cases.FireOkAsync("unithead", selfNCase, "approve");
        await api.Cases.FireOkAsync("finance", selfNCase, "accept");

        // External evaluation of year N: the sample's table (89.80, 良) and four of its problems, accepted.
        var evaluationN = await EvaluateAsync(centre, YearN, "湘财苑专审字[2032]第8号", [1, 4, 7, 8]);
        var findings = (await EvaluationApi.JsonAsync(finance, $"/api/findings?unit={centre}&fiscalYear={YearN}")).EnumerateArray()
            .ToDictionary(f => f.GetProperty("title").GetString()!, f => f.GetProperty("id").GetGuid());
        Assert.Equal(4, findings.Count);
        var (audit, auditCase) = await api.RegisterAsync(YearN, "资产管理", "公务用车使用登记不全", "区审计局审计发现。", "Audit", "望审〔2032〕2号", new DateOnly(2032, 3, 31));

        // Rectification during 2032: two rectified, one partly (new deadline), the audit one 无法整改, one left open.
        foreach (var title in new[] { "政府采购执行率偏低", "个别项目建设未完成" })
        {
            var caseId = await CaseOfAsync(api, findings[title]);
            await api.PlanAndReportAsync(findings[title], caseId, "2032-02-28");
            await api.Cases.FireOkAsync("finance", caseId, "verify", "整改到位。");
        }

        var partial = findings["部分资产账实不符"];
        var partialCase = await CaseOfAsync(api, partial);
        await api.PlanAndReportAsync(partial, partialCase, "2032-02-28");
        await api.PutOkAsync("finance", $"/api/findings/{partial}/next-deadline", new { deadline = "2032-09-30", stamp = await api.StampAsync("finance", partial) });
        await api.Cases.FireOkAsync("finance", partialCase, "partial", "尚有对讲机未完成账务处理。");
        await api.PlanAndReportAsync(audit, auditCase, "2032-02-28");
        await api.Cases.FireOkAsync("finance", auditCase, "cannotRectify", "车辆已报废，无法补登。");
        var open = findings["绩效目标完成率待提高"];
        var openDeadline = RectificationApi.Date((await api.FindingAsync("finance", open)).GetProperty("finding").GetProperty("deadline"));

        // January 2033, year N+1: the bureau starts next year's plan from this one.
        (api, finance, unit) = await MoveClockAsync(EarlyN2);
        using (var page = await app.SignInAsync("finance"))
        {
            var copied = await page.GetAsync($"/plans/new?from={planN}");
            Assert.Equal(HttpStatusCode.OK, copied.StatusCode);
            Assert.Contains($"{YearN + 1}年度", WebUtility.HtmlDecode(await copied.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }

        var planN1 = await PublishPlanAsync(finance, centre, YearN + 1, "望财绩〔2033〕1号", "2033-03-31");
        var selfN1 = await SelfEvaluationOfAsync(unit, planN1);
        var detailN1 = await EvaluationApi.JsonAsync(unit, $"/api/self-evaluations/{selfN1}");
        Assert.Equal(SampleSelfEvaluation.Functions, detailN1.GetProperty("header").GetProperty("functions").GetString()); // carried from year N
        await FillAsync(unit, selfN1);

        // 上年及以前发现问题的整改情况: 2029–2031, not closed or closed during 2032; not the 2030 one closed in 2031.
        var items = await EvaluationApi.JsonAsync(unit, $"/api/self-evaluations/{selfN1}/follow-up");
        var listed = items.EnumerateArray().ToDictionary(i => i.GetProperty("title").GetString()!);
        Assert.Equal(
            new[] { "个别项目建设未完成", "公务用车使用登记不全", "政府采购执行率偏低", "绩效目标完成率待提高", "部分资产账实不符" },
            listed.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("已整改", listed["政府采购执行率偏低"].GetProperty("statusLabel").GetString());
        Assert.Equal("已整改", listed["个别项目建设未完成"].GetProperty("statusLabel").GetString());
        Assert.Equal("部分整改", listed["部分资产账实不符"].GetProperty("statusLabel").GetString());
        Assert.Equal(new DateOnly(2032, 9, 30), RectificationApi.Date(listed["部分资产账实不符"].GetProperty("deadline")));
        Assert.Equal("无法整改", listed["公务用车使用登记不全"].GetProperty("statusLabel").GetString());
        Assert.Equal(openDeadline, RectificationApi.Date(listed["绩效目标完成率待提高"].GetProperty("deadline")));
        Assert.True(listed["绩效目标完成率待提高"].GetProperty("overdue").GetBoolean());
        Assert.True(listed["部分资产账实不符"].GetProperty("overdue").GetBoolean());
        Assert.False(listed["政府采购执行率偏低"].GetProperty("overdue").GetBoolean());

        // A status line for each, saved and shown in the list, the print view and the Word download.
        var statements = listed.Values.ToDictionary(i => i.GetProperty("findingId").GetGuid().ToString(), i => $"{i.GetProperty("title").GetString()}：整改情况说明。");
        var put = await unit.PutAsJsonAsync($"/api/self-evaluations/{selfN1}/follow-up", new { statements, stamps = RectificationApi.FollowUpStamps(items) });
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        var saved = await EvaluationApi.JsonAsync(unit, $"/api/self-evaluations/{selfN1}/follow-up");
        Assert.All(saved.EnumerateArray(), i => Assert.Equal($"{i.GetProperty("title").GetString()}：整改情况说明。", i.GetProperty("statement").GetString()));
        using (var page = await app.SignInAsync("unit"))
        {
            var print = WebUtility.HtmlDecode(await page.GetStringAsync($"/self-evaluations/{selfN1}/print"));
            Assert.All(statements.Values, s => Assert.Contains(s, print, StringComparison.Ordinal));
        }

        var word = await DocxTextAsync(unit, $"/api/self-evaluations/{selfN1}/export.docx");
        Assert.All(statements.Values, s => Assert.Contains(s, word, StringComparison.Ordinal));

        // The Excel export carries them on a sheet of their own (it had the 自评表 alone), and still imports as it is.
        var xlsx = await unit.GetByteArrayAsync($"/api/self-evaluations/{selfN1}/export.xlsx");
        var sheet = XlsxText.Sheets(xlsx)["上年问题整改情况"];
        Assert.Equal(["编号", "年度", "问题", "状态", "整改期限", "整改情况说明"], sheet[0]);
        Assert.Equal(statements.Values.Order(StringComparer.Ordinal), sheet.Skip(1).Select(r => r[5]).Order(StringComparer.Ordinal));
        Assert.Contains(sheet, r => r[2] == "部分资产账实不符" && r[3] == "部分整改");
        using (var reimport = new MultipartFormDataContent())
        {
            var file = new ByteArrayContent(xlsx);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
            reimport.Add(file, "file", "export.xlsx");
            await EvaluationApi.Ok(await unit.PostAsync($"/api/self-evaluations/{selfN1}/indicators/import", reimport));
        }

        // A new 财务管理 finding of 2032: recurring (2031 had 部分资产账实不符); none of 2031's is (2030 had only 其他).
        var (recurring, _) = await api.RegisterAsync(YearN + 1, "财务管理", "会议费超标准列支", "区审计局审计发现。", "Audit", "望审〔2033〕1号", new DateOnly(2033, 4, 30));
        Assert.True((await api.FindingAsync("finance", recurring)).GetProperty("finding").GetProperty("recurring").GetBoolean());
        var flagged = (await EvaluationApi.JsonAsync(finance, $"/api/findings?unit={centre}")).EnumerateArray()
            .Where(f => f.GetProperty("fiscalYear").GetInt32() >= YearN - 1 && f.GetProperty("recurring").GetBoolean())
            .Select(f => f.GetProperty("title").GetString()).ToList();
        Assert.Equal(["会议费超标准列支"], flagged);

        // The unit evaluated again: 问题整改情况 proposed from 2029–2031 — six findings, four closed (3 已整改, 1 无法整改): half marks.
        var evaluationN1 = await CommissionAsync(centre, YearN + 1);
        var evaluator = await api.Cases.As("evaluator");
        await EvaluationApi.Ok(await EvaluationApi.ImportAsync(evaluator, evaluationN1, SampleExternalEvaluation.IndicatorsCsv()));
        var proposal = (await EvaluationApi.JsonAsync(evaluator, $"/api/evaluations/{evaluationN1}")).GetProperty("rectificationProposal");
        Assert.Equal(6, proposal.GetProperty("total").GetInt32());
        Assert.Equal(4, proposal.GetProperty("closed").GetInt32());
        Assert.Equal(proposal.GetProperty("weight").GetDecimal() / 2, proposal.GetProperty("score").GetDecimal());

        // 结果应用. 2031: self-evaluation 96.93 优 (the sample form), evaluation 89.80 良 → 良; findings of 2029–2031:
        // 6, 已整改 3, 无法整改 1 → 3 / 5. 2032: no accepted self-evaluation yet; findings of 2030–2032 add the new one → 3 / 6.
        var resultN = await ResultRowAsync(finance, YearN);
        Assert.Equal(96.93m, resultN.GetProperty("selfEvaluation").GetProperty("score").GetDecimal());
        Assert.Equal("优", resultN.GetProperty("selfEvaluation").GetProperty("grade").GetString());
        Assert.Equal(89.80m, resultN.GetProperty("evaluation").GetProperty("score").GetDecimal());
        Assert.Equal("良", resultN.GetProperty("finalGrade").GetString());
        AssertRate(resultN, total: 6, rectified: 3, rate: 0.6m);
        var resultN1 = await ResultRowAsync(finance, YearN + 1);
        AssertRate(resultN1, total: 7, rectified: 3, rate: 0.5m);

        // The bureau's dashboard for 2031 counts that year's findings alone: 5, 已整改 2, 无法整改 1 → 2 / 4 = 50.0 %.
        var dashboard = await EvaluationApi.JsonAsync(finance, $"/api/dashboards/bureau?year={YearN}&unit={centre}");
        var funnel = dashboard.GetProperty("charts").EnumerateArray().Single(c => c.GetProperty("key").GetString() == "funnel");
        var funnelValues = Values(funnel);
        Assert.Equal(5m, funnelValues["问题总数"]);
        Assert.Equal(2m, funnelValues["已整改"]);
        Assert.Equal(1m, funnelValues["无法整改"]);
        Assert.Equal(1m, funnelValues["部分整改"]);
        _ = evaluationN;
    }

    /// <summary>The clock moved to a later day, and the users signed in again there (an access token lasts an hour).</summary>
    private async Task<(RectificationApi Api, HttpClient Finance, HttpClient Unit)> MoveClockAsync(DateTimeOffset to)
    {
        app.Clock.Set(to);
        var api = new RectificationApi(app);
        return (api, await api.Cases.As("finance"), await api.Cases.As("unit"));
    }

    private static void AssertRate(JsonElement row, int total, int rectified, decimal rate)
    {
        var rect = row.GetProperty("rectification");
        Assert.Equal(total, rect.GetProperty("total").GetInt32());
        Assert.Equal(rectified, rect.GetProperty("rectified").GetInt32());
        Assert.Equal(rate, rect.GetProperty("rate").GetDecimal());
    }

    private static Dictionary<string, decimal> Values(JsonElement chart)
    {
        var labels = chart.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!).ToList();
        var values = chart.GetProperty("series")[0].GetProperty("values").EnumerateArray().Select(v => v.GetDecimal()).ToList();
        return labels.Zip(values).ToDictionary(p => p.First, p => p.Second);
    }

    private static async Task<JsonElement> ResultRowAsync(HttpClient finance, int year) =>
        Assert.Single((await EvaluationApi.JsonAsync(finance, $"/api/results/{year}?unit={Uri.EscapeDataString(DemoSeeder.SocialGovernanceCentre)}&kind=DepartmentWide")).GetProperty("rows").EnumerateArray());

    private static async Task<Guid> CaseOfAsync(RectificationApi api, Guid finding) =>
        (await api.FindingAsync("finance", finding)).GetProperty("case").GetProperty("id").GetGuid();

    private static async Task<Guid> PublishPlanAsync(HttpClient finance, Guid centre, int year, string notice, string deadline)
    {
        var created = await finance.PostAsJsonAsync("/api/plans", new
        {
            fiscalYear = year,
            title = $"{year}年度绩效自评工作",
            noticeNumber = notice,
            deadline,
            targets = new object[] { new { organisationId = centre, kind = "DepartmentWide" } },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        await EvaluationApi.Ok(await finance.PostAsync($"/api/plans/{id}/publish", null));
        return id;
    }

    private static async Task<Guid> SelfEvaluationOfAsync(HttpClient client, Guid plan) =>
        (await EvaluationApi.JsonAsync(client, "/api/self-evaluations")).EnumerateArray()
            .Single(s => s.TryGetProperty("planId", out var p) && p.ValueKind == JsonValueKind.String && p.GetGuid() == plan).GetProperty("id").GetGuid();

    /// <summary>The sample's form typed in by the unit: funds, the indicator file, the header, goals and report.</summary>
    private static async Task FillAsync(HttpClient unit, Guid id)
    {
        async Task<uint> Version() => (await EvaluationApi.JsonAsync(unit, $"/api/self-evaluations/{id}")).GetProperty("version").GetUInt32();
        var funds = await unit.PutAsJsonAsync($"/api/self-evaluations/{id}/funds", new { budget = SampleSelfEvaluation.Budget, executed = SampleSelfEvaluation.Executed, upperTransfer = SampleSelfEvaluation.UpperTransfer, expectedVersion = await Version() });
        await EvaluationApi.Ok(funds);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(SampleSelfEvaluation.IndicatorsCsv());
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "sample.csv");
        await EvaluationApi.Ok(await unit.PostAsync($"/api/self-evaluations/{id}/indicators/import", form));
        await EvaluationApi.Ok(await unit.PutAsJsonAsync($"/api/self-evaluations/{id}/text", new
        {
            goalsPlanned = SampleSelfEvaluation.GoalsPlanned,
            goalsAchieved = SampleSelfEvaluation.GoalsAchieved,
            functions = SampleSelfEvaluation.Functions,
            independentUnits = SampleSelfEvaluation.IndependentUnits,
            report = new Dictionary<string, string>
            {
                ["basics"] = SampleSelfEvaluation.Functions,
                ["budget"] = SampleSelfEvaluation.BudgetSpending,
                ["performance"] = SampleSelfEvaluation.Performance,
                ["problems"] = SampleSelfEvaluation.Problems,
                ["nextSteps"] = SampleSelfEvaluation.NextSteps,
            },
            expectedVersion = await Version(),
        }));
    }

    private async Task<Guid> CommissionAsync(Guid centre, int year)
    {
        var finance = await app.ApiAsync("finance");
        var selected = await EvaluationApi.SelectCentreAsync(finance, centre, year);
        await EvaluationApi.Ok(selected);
        var id = JsonDocument.Parse(await selected.Content.ReadAsStringAsync()).RootElement[0].GetProperty("id").GetGuid();
        await EvaluationApi.Ok(await EvaluationApi.ActAsync(await app.ApiAsync("financelead"), id, "approve"));
        var due = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime).AddDays(90).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await EvaluationApi.Ok(await finance.PostAsJsonAsync($"/api/evaluations/{id}/commission", new { firmId = await app.OrganisationIdAsync(DemoSeeder.XinCaiYuan), reportDueDate = due, templateKey = EvaluationTemplates.DefaultKey }));
        var evaluator = await app.ApiAsync("evaluator");
        await EvaluationApi.Ok(await evaluator.PostAsJsonAsync($"/api/evaluations/{id}/team", new { name = "江惠平", isLead = true, noConflict = true }));
        return id;
    }

    /// <summary>Selected, approved, commissioned, scored with the sample's table, reported with the sample's problems given, commented and accepted.</summary>
    private async Task<Guid> EvaluateAsync(Guid centre, int year, string reportNumber, int[] problems)
    {
        var id = await CommissionAsync(centre, year);
        var evaluator = await app.ApiAsync("evaluator");
        await EvaluationApi.Ok(await EvaluationApi.ImportAsync(evaluator, id, SampleExternalEvaluation.IndicatorsCsv()));
        await EvaluationApi.Ok(await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/report", new { expectedVersion = await EvaluationApi.VersionAsync(evaluator, id), sections = SampleExternalEvaluation.Sections }));
        await EvaluationApi.Ok(await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/problems", new { expectedVersion = await EvaluationApi.VersionAsync(evaluator, id), problems = SampleExternalEvaluation.Problems.Where(p => problems.Contains(p.No)) }));
        await EvaluationApi.Ok(await EvaluationApi.ActAsync(evaluator, id, "submitDraft"));
        var unit = await app.ApiAsync("unit");
        await EvaluationApi.Ok(await unit.PutAsJsonAsync($"/api/evaluations/{id}/comments", new { expectedVersion = await EvaluationApi.VersionAsync(unit, id), general = "无异议。" }));
        await EvaluationApi.Ok(await EvaluationApi.ActAsync(unit, id, "comment", "已反馈意见"));
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await EvaluationApi.Ok(await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/report", new { expectedVersion = await EvaluationApi.VersionAsync(evaluator, id), reportNumber, reportDate = today }));
        await EvaluationApi.Ok(await EvaluationApi.ActAsync(evaluator, id, "submitFinal"));
        await EvaluationApi.Ok(await EvaluationApi.ActAsync(await app.ApiAsync("finance"), id, "accept"));
        return id;
    }

    private static async Task<string> DocxTextAsync(HttpClient client, string url)
    {
        var bytes = await client.GetByteArrayAsync(url);
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes));
        using var reader = new StreamReader(zip.GetEntry("word/document.xml")!.Open());
        return System.Text.RegularExpressions.Regex.Replace(await reader.ReadToEndAsync(), "<[^>]+>", string.Empty);
    }
}
