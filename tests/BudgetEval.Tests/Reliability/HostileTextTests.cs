using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Rectifications;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.Reliability;

/// <summary>
/// Text a unit or a firm can save that used to break someone else's work: control characters in the bureau's
/// ledger export, a NUL, texts longer than their columns, endless comments, and an unreadable upload.
/// </summary>
public sealed class HostileTextTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_control_character_in_a_units_plan_When_the_bureau_exports_the_ledger_Then_the_workbook_is_built_without_it()
    {
        var api = new RectificationApi(app);
        var (id, _) = await api.RegisterAsync("控制字符测试问题", new DateOnly(2026, 12, 31));
        await api.PutOkAsync("unit", $"/api/findings/{id}/plan", new { measures = "措施\u0001控制字符", responsible = "张三", plannedDate = "2026-12-31", stamp = await api.StampAsync("unit", id) });

        using var finance = await app.ApiAsync("finance");
        var export = await finance.GetAsync("/api/findings/export.xlsx");

        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        using var workbook = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(await export.Content.ReadAsByteArrayAsync()), false);
        var text = workbook.WorkbookPart!.WorksheetParts.Single().Worksheet.InnerText;
        Assert.Contains("措施控制字符", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_nul_in_a_text_When_saved_Then_it_is_dropped_and_the_rest_is_saved()
    {
        var api = new RectificationApi(app);
        var (id, _) = await api.RegisterAsync("NUL测试问题", new DateOnly(2026, 12, 31));
        using var unit = await app.ApiAsync("unit");

        // PostgreSQL cannot store a NUL: it is dropped at input like any other control character (Shared.TextInput).
        var response = await unit.PutAsJsonAsync($"/api/findings/{id}/plan", new { measures = "措施\u0000", responsible = "张\u0000三", plannedDate = "2026-12-31", stamp = await api.StampAsync("unit", id) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var plan = (await api.FindingAsync("unit", id)).GetProperty("rectification").GetProperty("plan");
        Assert.Equal(("措施", "张三"), (plan.GetProperty("measures").GetString(), plan.GetProperty("responsible").GetString()));
    }

    [Fact]
    public async Task Given_texts_longer_than_their_columns_When_saved_Then_each_is_refused_by_name_before_anything_fails_later()
    {
        var api = new RectificationApi(app);
        var (id, _) = await api.RegisterAsync("超长文字测试问题", new DateOnly(2026, 12, 31));
        using var unit = await app.ApiAsync("unit");
        var responsible = await unit.PutAsJsonAsync($"/api/findings/{id}/plan", new { measures = "措施", responsible = new string('张', 101), plannedDate = "2026-12-31", stamp = await api.StampAsync("unit", id) });
        Assert.Contains("「责任人」不能超过 100 字", await responsible.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A firm's problem title becomes a finding's title (300) at the bureau's acceptance: refused when the firm saves it.
        var evaluation = await new EvaluationApi(app).CommissionedAsync(2024, "超长标题测试");
        using var evaluator = await app.ApiAsync("evaluator");
        await EvaluationApi.Ok(await evaluator.PostAsJsonAsync($"/api/evaluations/{evaluation}/team", new { name = "江惠平", isLead = true, noConflict = true }));
        var problems = await evaluator.PutAsJsonAsync($"/api/evaluations/{evaluation}/problems", new
        {
            expectedVersion = await EvaluationApi.VersionAsync(evaluator, evaluation),
            problems = new[] { new { category = "财务管理", title = new string('题', 400), detail = "具体情况" } },
        });
        var report = await evaluator.PutAsJsonAsync($"/api/evaluations/{evaluation}/report", new { expectedVersion = await EvaluationApi.VersionAsync(evaluator, evaluation), reportNumber = new string('号', 500) });

        Assert.Contains("问题1的「标题」不能超过 300 字", await problems.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("「报告文号」不能超过 100 字", await report.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var saved = await EvaluationApi.JsonAsync(evaluator, $"/api/evaluations/{evaluation}/report");
        Assert.Equal(0, saved.GetProperty("problems").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, saved.GetProperty("reportNumber").ValueKind);
    }

    [Fact]
    public async Task Given_a_comment_of_200000_characters_When_a_case_action_is_taken_Then_it_is_refused_and_the_case_does_not_move()
    {
        var cases = new RectificationApi(app).Cases;
        var (_, caseId) = await cases.CreateAsync();

        var response = await cases.FireAsync("unit", caseId, "submit", comment: new string('长', 200_000));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("意见不能超过 2000 字", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("draft", await cases.StateAsync(caseId));
    }

    [Fact]
    public async Task Given_a_locked_colleague_When_a_task_is_delegated_to_them_Then_it_is_refused_and_the_list_leaves_them_out()
    {
        var centre = await app.SocialGovernanceCentreAsync();
        Guid locked, open;
        using (var scope = app.Factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            async Task<Guid> CreateAsync(string login, string name)
            {
                var user = new AppUser { UserName = login, DisplayName = name, OrganisationId = centre, Email = $"{login}@demo.budgeteval.local" };
                Assert.True((await users.CreateAsync(user, "Demo@2026!x")).Succeeded);
                Assert.True((await users.AddToRoleAsync(user, Roles.UnitFiller)).Succeeded);
                return user.Id;
            }

            locked = await CreateAsync("lockedfiller", "锁定填报人");
            open = await CreateAsync("openfiller", "在岗填报人");
            var lockedUser = await users.FindByIdAsync(locked.ToString());
            Assert.True((await users.SetLockoutEndDateAsync(lockedUser!, DateTimeOffset.MaxValue)).Succeeded);
        }

        var cases = new RectificationApi(app).Cases;
        var (_, caseId) = await cases.CreateAsync();
        using var browser = await app.SignInAsync("unit");
        var page = await browser.GetStringAsync($"/cases/{caseId}");
        Assert.Contains("在岗填报人", page, StringComparison.Ordinal);
        Assert.DoesNotContain("锁定填报人", page, StringComparison.Ordinal);

        var item = await app.DbAsync(db => db.WorkItems.IgnoreQueryFilters().SingleAsync(w => w.InstanceId == caseId && w.Status == WorkItemStatus.Open));
        var unitUser = await app.DbAsync(db => db.Users.IgnoreQueryFilters().SingleAsync(u => u.UserName == "unit"));
        var actor = new WorkflowActor(unitUser.Id, unitUser.DisplayName, centre, BudgetEval.Web.Organisations.OrganisationKind.BudgetUnit, new HashSet<string> { Roles.UnitFiller });
        using (var scope = app.Factory.Services.CreateScope())
        {
            var refused = await scope.ServiceProvider.GetRequiredService<WorkflowEngine>().DelegateAsync(caseId, item.Id, locked, actor, await cases.VersionAsync(caseId), null, default);
            Assert.Equal(FireStatus.Invalid, refused.Status);
        }

        Assert.Null(await app.DbAsync(db => db.WorkItems.IgnoreQueryFilters().Where(w => w.Id == item.Id).Select(w => w.AssigneeUserId).SingleAsync()));

        // To a colleague who can sign in it works, and it is their 待办 now: they are told, in the app and by mail.
        using (var scope = app.Factory.Services.CreateScope())
        {
            var handed = await scope.ServiceProvider.GetRequiredService<WorkflowEngine>().DelegateAsync(caseId, item.Id, open, actor, await cases.VersionAsync(caseId), "请代为填报", default);
            Assert.Equal(FireStatus.Ok, handed.Status);
        }

        var notice = await app.DbAsync(db => db.Notifications.SingleAsync(n => n.RecipientUserId == open && n.Event == "TaskAssigned"));
        Assert.Contains("请代为填报", notice.Body, StringComparison.Ordinal);
        Assert.Equal(1, await app.DbAsync(db => db.Outbox.CountAsync(m => m.RecipientUserId == open && m.Event == "TaskAssigned")));
    }

    [Fact]
    public async Task Given_an_upload_whose_file_name_has_an_unpaired_quote_When_posted_Then_400_in_chinese()
    {
        var (id, _) = await new RectificationApi(app).Cases.CreateAsync();
        using var unit = await app.ApiAsync("unit");
        const string Boundary = "----b";
        var body = $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"q\"uo;te.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--{Boundary}--\r\n";
        using var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");

        var response = await unit.PostAsync($"/api/self-evaluations/{id}/attachments", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("上传的表单格式不正确", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
