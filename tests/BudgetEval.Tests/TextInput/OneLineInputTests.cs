using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BudgetEval.Tests.Admin;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Rectifications;
using BudgetEval.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.TextInput;

/// <summary>
/// A security tester's finding: line breaks and control characters typed or pasted into single-line fields were
/// stored as sent and travelled on into case and 待办 titles, mail subjects, file names and exports. Single-line
/// fields are now stored as one line; multi-line fields keep their lines (as LF) without other control characters.
/// </summary>
public sealed class OneLineInputTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string TesterTitle = "=HYPERLINK(\"http://evil.example\")\r\nBcc: attacker@evil.example\r\n<script>";
    private const string OneLine = "=HYPERLINK(\"http://evil.example\") Bcc: attacker@evil.example <script>";

    [Fact]
    public async Task Given_the_testers_title_When_a_self_evaluation_is_created_Then_record_case_and_todo_carry_one_line_and_the_summary_keeps_its_lines()
    {
        using var unit = await app.ApiAsync("unit");
        var created = await unit.PostAsJsonAsync("/api/self-evaluations", new
        {
            title = TesterTitle, fiscalYear = 2025, deadline = "2026-12-31", summary = "第一段\r\n第二段\u0000结束\r\n", totalBudget = 10m,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var json = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var (id, caseId) = (json.RootElement.GetProperty("id").GetGuid(), json.RootElement.GetProperty("caseId").GetGuid());

        var detail = await EvaluationApi.JsonAsync(unit, $"/api/self-evaluations/{id}");
        Assert.Equal(OneLine, detail.GetProperty("title").GetString());
        Assert.Equal("第一段\n第二段结束", detail.GetProperty("summary").GetString());
        var (caseTitle, todoTitles) = await TitlesAsync(caseId);
        Assert.Equal(OneLine, caseTitle);
        Assert.NotEmpty(todoTitles);
        Assert.All(todoTitles, t => Assert.Equal(OneLine, t));

        // The title is the export's file name: no encoded line break in the Content-Disposition header.
        var export = await unit.GetAsync($"/api/self-evaluations/{id}/export.xlsx");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.DoesNotContain("%0D", RawDisposition(export), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("%0A", RawDisposition(export), StringComparison.OrdinalIgnoreCase);

        // Renamed with a tab and a Word line separator: the case and its 待办 follow, still one line.
        var version = detail.GetProperty("version").GetUInt32();
        var renamed = await unit.PutAsJsonAsync($"/api/self-evaluations/{id}", new { title = "  2025年度\t自评\u2028（修订）  ", expectedVersion = version });
        Assert.True(renamed.IsSuccessStatusCode, await renamed.Content.ReadAsStringAsync());
        Assert.Equal("2025年度 自评 （修订）", (await EvaluationApi.JsonAsync(unit, $"/api/self-evaluations/{id}")).GetProperty("title").GetString());
        (caseTitle, todoTitles) = await TitlesAsync(caseId);
        Assert.Equal("2025年度 自评 （修订）", caseTitle);
        Assert.All(todoTitles, t => Assert.Equal("2025年度 自评 （修订）", t));
    }

    [Fact]
    public async Task Given_line_breaks_in_the_forms_one_line_cells_When_indicators_and_texts_are_saved_Then_names_are_one_line_and_text_areas_keep_lf()
    {
        using var unit = await app.ApiAsync("unit");
        var created = await unit.PostAsJsonAsync("/api/self-evaluations", new { title = "指标换行测试", fiscalYear = 2025, deadline = "2026-12-31", summary = "概述", totalBudget = 10m });
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

        var indicators = await unit.PutAsJsonAsync($"/api/self-evaluations/{id}/indicators", new
        {
            indicators = new[] { new { level1 = "产出\r\n指标", level2 = "数量指标", level3 = "培训\t人次", content = "第一行\r\n第二行", target = "≥100\n人次", actual = "120人次", weight = 5m, score = 5m, reason = (string?)null, measure = "措施\u0001一\r\n措施二" } },
            expectedVersion = await SelfEvaluations.SelfEvaluationApiTests.VersionAsync(unit, id),
        });
        Assert.True(indicators.IsSuccessStatusCode, await indicators.Content.ReadAsStringAsync());
        var text = await unit.PutAsJsonAsync($"/api/self-evaluations/{id}/text", new { goalsPlanned = "目标一\r\n目标二", report = new Dictionary<string, string> { ["basics"] = "基本\r情况" }, expectedVersion = await SelfEvaluations.SelfEvaluationApiTests.VersionAsync(unit, id) });
        Assert.True(text.IsSuccessStatusCode, await text.Content.ReadAsStringAsync());

        var row = await app.DbAsync(db => db.SelfEvaluationIndicators.AsNoTracking().SingleAsync(i => i.SelfEvaluationId == id));
        Assert.Equal(("产出 指标", "培训 人次", "≥100 人次"), (row.Level1, row.Level3, row.Target));
        Assert.Equal(("第一行\n第二行", "措施一\n措施二"), (row.Content, row.Measure));
        var se = await app.DbAsync(db => db.SelfEvaluations.AsNoTracking().SingleAsync(s => s.Id == id));
        Assert.Equal("目标一\n目标二", se.GoalsPlanned);
        Assert.Equal("基本\n情况", se.Report.Basics);
    }

    [Fact]
    public async Task Given_line_breaks_in_a_finding_When_registered_planned_and_corrected_Then_one_line_fields_are_one_line_and_an_unchanged_text_is_no_correction()
    {
        var api = new RectificationApi(app);
        using var finance = await app.ApiAsync("finance");
        var registered = await finance.PostAsJsonAsync("/api/findings", new
        {
            organisationId = await app.SocialGovernanceCentreAsync(), fiscalYear = 2025, category = "财务管理", title = "差旅费\r\n报销审核不严\u0000",
            detail = "审计发现：\r\n一、未附行程单。\r\n二、超标准报销。", source = "Audit", sourceDocument = "望审〔2026〕\n3号", deadline = "2026-12-31",
        });
        await EvaluationApi.Ok(registered);
        var id = JsonDocument.Parse(await registered.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

        var finding = await api.FindingAsync("finance", id);
        Assert.Equal("差旅费 报销审核不严", finding.GetProperty("finding").GetProperty("title").GetString());
        Assert.Equal("望审〔2026〕 3号", finding.GetProperty("finding").GetProperty("sourceDocument").GetString());
        Assert.Equal("审计发现：\n一、未附行程单。\n二、超标准报销。", finding.GetProperty("finding").GetProperty("detail").GetString());
        var caseId = finding.GetProperty("case").GetProperty("id").GetGuid();
        var (caseTitle, todoTitles) = await TitlesAsync(caseId);
        Assert.EndsWith(" 差旅费 报销审核不严", caseTitle, StringComparison.Ordinal);
        Assert.All(todoTitles.Append(caseTitle), t => Assert.DoesNotContain('\n', t));

        // The unit's plan with the stamp it loaded: saved (no false conflict), one-line 责任人, the measures' lines kept.
        var stamp = finding.GetProperty("stamp").GetString();
        await api.PutOkAsync("unit", $"/api/findings/{id}/plan", new { measures = "一、补齐行程单；\r\n二、追回超标准部分。", responsible = "张\r\n会计", plannedDate = "2026-12-31", stamp });
        finding = await api.FindingAsync("finance", id);
        var plan = finding.GetProperty("rectification").GetProperty("plan");
        Assert.Equal("张 会计", plan.GetProperty("responsible").GetString());
        Assert.Equal("一、补齐行程单；\n二、追回超标准部分。", plan.GetProperty("measures").GetString());

        // A browser posts a text area's lines as CRLF: sending the registration back unchanged is no correction...
        stamp = finding.GetProperty("stamp").GetString();
        var same = await finance.PutAsJsonAsync($"/api/findings/{id}", new
        {
            category = "财务管理", title = "差旅费 报销审核不严", detail = "审计发现：\r\n一、未附行程单。\r\n二、超标准报销。", sourceDocument = "望审〔2026〕 3号", reason = "核对", stamp,
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, same.StatusCode);
        Assert.Contains("没有需要更正的内容", await same.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // ...and a correction of the title alone does not report the description as changed.
        await api.PutOkAsync("finance", $"/api/findings/{id}", new
        {
            category = "财务管理", title = "差旅费报销\n审核不严", detail = "审计发现：\r\n一、未附行程单。\r\n二、超标准报销。", sourceDocument = "望审〔2026〕 3号", reason = "去掉空格", stamp,
        });
        Assert.Equal("差旅费报销 审核不严", (await api.FindingAsync("finance", id)).GetProperty("finding").GetProperty("title").GetString());
        var audit = await app.DbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.Action == BudgetEval.Web.Audit.AuditActions.FindingCorrected && a.Target!.Contains("差旅费报销 审核不严")).SingleAsync());
        Assert.Contains("问题：「差旅费 报销审核不严」→「差旅费报销 审核不严」", audit.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("问题描述及依据", audit.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_line_breaks_in_a_plans_fields_When_created_Then_title_notice_number_and_project_name_are_one_line()
    {
        using var finance = await app.ApiAsync("finance");
        var created = await finance.PostAsJsonAsync("/api/plans", new
        {
            fiscalYear = 2024,
            title = "2024年度\r\n绩效自评\t工作",
            noticeNumber = "望财绩〔2025〕\u00001号\n",
            deadline = "2025-03-31",
            targets = new object[]
            {
                new { organisationName = DemoSeeder.SocialGovernanceCentre, kind = "项目支出", projectName = "社会治理\r\n系统运行维护", projectBudget = 282m },
            },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

        var plan = await EvaluationApi.JsonAsync(finance, $"/api/plans/{id}");
        Assert.Equal("2024年度 绩效自评 工作", plan.GetProperty("title").GetString());
        Assert.Equal("望财绩〔2025〕1号", plan.GetProperty("noticeNumber").GetString());
        Assert.Equal("社会治理 系统运行维护", plan.GetProperty("targets")[0].GetProperty("projectName").GetString());

        // Published, the project name is in the self-evaluation's title, its case's and its 待办's: one line.
        Assert.Equal(HttpStatusCode.OK, (await finance.PostAsync($"/api/plans/{id}/publish", null)).StatusCode);
        var se = await app.DbAsync(db => db.SelfEvaluations.AsNoTracking().SingleAsync(s => s.PlanId == id));
        Assert.Equal("2024年度社会治理 系统运行维护项目支出绩效自评", se.Title);
        var (caseTitle, todoTitles) = await TitlesAsync(se.CaseId!.Value);
        Assert.All(todoTitles.Append(caseTitle), t => Assert.Equal(se.Title, t));
    }

    [Fact]
    public async Task Given_line_breaks_in_an_evaluations_team_report_number_and_problems_When_saved_Then_one_line_fields_are_one_line()
    {
        var evaluation = await new EvaluationApi(app).CommissionedAsync(2024, "换行测试项目");
        using var evaluator = await app.ApiAsync("evaluator");
        await EvaluationApi.Ok(await evaluator.PostAsJsonAsync($"/api/evaluations/{evaluation}/team", new { name = "江\r\n惠平", isLead = true, title = "项目\t经理", noConflict = true }));
        await EvaluationApi.Ok(await evaluator.PutAsJsonAsync($"/api/evaluations/{evaluation}/report", new { expectedVersion = await EvaluationApi.VersionAsync(evaluator, evaluation), reportNumber = "新财评\r\n〔2025〕8号" }));
        await EvaluationApi.Ok(await evaluator.PutAsJsonAsync($"/api/evaluations/{evaluation}/problems", new
        {
            expectedVersion = await EvaluationApi.VersionAsync(evaluator, evaluation),
            problems = new[] { new { category = "财务管理", title = "专项资金\r\n未专款专用", detail = "具体情况：\r\n挪用于日常开支。" } },
        }));

        var e = await app.DbAsync(db => db.Evaluations.AsNoTracking().SingleAsync(x => x.Id == evaluation));
        Assert.Equal(("江 惠平", "项目 经理"), (e.Team.Single().Name, e.Team.Single().Title));
        Assert.Equal("新财评 〔2025〕8号", e.ReportNumber);
        Assert.Equal(("专项资金 未专款专用", "具体情况：\n挪用于日常开支。"), (e.Problems.Single().Title, e.Problems.Single().Detail));
    }

    [Fact]
    public async Task Given_a_file_name_with_a_line_break_When_uploaded_and_downloaded_Then_the_content_disposition_has_none()
    {
        using var unit = await app.ApiAsync("unit");
        var created = await unit.PostAsJsonAsync("/api/self-evaluations", new { title = "附件名测试", fiscalYear = 2025, deadline = "2026-12-31", summary = "概述", totalBudget = 10m });
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        var (finding, _) = await new RectificationApi(app).RegisterAsync("佐证文件名测试", new DateOnly(2026, 12, 31));

        foreach (var (upload, download) in new[] { ($"/api/self-evaluations/{id}/attachments", $"/api/self-evaluations/{id}/attachments/"), ($"/api/findings/{finding}/evidence", $"/api/findings/{finding}/evidence/") })
        {
            // RFC 5987 lets a client send any character in the name, CR and LF included.
            const string Boundary = "----oneline";
            var body = $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.pdf\"; filename*=UTF-8''%E6%95%B4%E6%94%B9%0D%0ABcc%3A%20x%09%E6%8A%A5%E5%91%8A.pdf\r\n"
                + $"Content-Type: application/pdf\r\n\r\n%PDF-1.4\n% {Guid.NewGuid():N}\n%%EOF\n\r\n--{Boundary}--\r\n";
            using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
            var posted = await unit.PostAsync(upload, content);
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
            using var json = JsonDocument.Parse(await posted.Content.ReadAsStringAsync());
            Assert.Equal("整改 Bcc: x 报告.pdf", json.RootElement.GetProperty("fileName").GetString());

            var file = await unit.GetAsync(download + json.RootElement.GetProperty("id").GetGuid());
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            var disposition = RawDisposition(file);
            Assert.DoesNotContain("%0D", disposition, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("%0A", disposition, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("%09", disposition, StringComparison.OrdinalIgnoreCase);
            Assert.Equal("整改 Bcc: x 报告.pdf", file.Content.Headers.ContentDisposition!.FileNameStar);
        }
    }

    [Fact]
    public async Task Given_a_line_break_in_an_organisation_and_a_users_name_When_the_administrator_saves_them_Then_they_are_one_line()
    {
        using var admin = await app.SignInAsync("admin");
        var org = await admin.CreateOrganisationAsync("望城区\r\n换行测试中心");
        var user = await admin.CreateUserAsync("onelineuser", org, BudgetEval.Web.Users.Roles.UnitFiller);
        var fields = AdminForms.User("onelineuser2", "王\r\n\u0007五", org, AdminForms.StrongPassword, BudgetEval.Web.Users.Roles.UnitFiller);
        var second = await admin.PostFormAsync("/admin/users/new", fields);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);

        Assert.Equal("望城区 换行测试中心", await app.DbAsync(db => db.Organisations.Where(o => o.Id == org).Select(o => o.Name).SingleAsync()));
        Assert.NotEqual(Guid.Empty, user);
        Assert.Equal("王 五", await app.DbAsync(db => db.Users.Where(u => u.UserName == "onelineuser2").Select(u => u.DisplayName).SingleAsync()));
    }

    private Task<(string Case, List<string> Todos)> TitlesAsync(Guid caseId) =>
        app.DbAsync(async db => (
            await db.WorkflowInstances.IgnoreQueryFilters().Where(i => i.Id == caseId).Select(i => i.Title).SingleAsync(),
            await db.WorkItems.IgnoreQueryFilters().Where(w => w.InstanceId == caseId).Select(w => w.Title).ToListAsync()));

    private static string RawDisposition(HttpResponseMessage response) =>
        string.Join(";", response.Content.Headers.TryGetValues("Content-Disposition", out var values) ? values : []);
}
