using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Evaluations;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Templates;

/// <summary>
/// What a template change does to what uses it: nothing. Plans and evaluations keep the content they took; only
/// those created after an edit get the new content, and a retired template is no longer offered.
/// </summary>
public sealed class TemplateUseTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_plan_on_a_template_When_the_template_is_edited_and_retired_Then_the_plan_keeps_its_groups_and_new_plans_get_the_new_ones_until_it_is_retired()
    {
        using var admin = await app.ApiAsync("admin");
        using var finance = await app.ApiAsync("finance");
        var created = await TemplateApi.CreateAsync(admin, TemplateApi.SelfEvaluation("专项资金自评模板（使用）", ("产出指标", ["数量指标", "质量指标"]), ("效益指标", ["社会效益指标"])));
        var id = created.GetProperty("id").GetInt32();
        var key = created.GetProperty("key").GetString()!;
        Assert.Contains(await OfferedPlanTemplatesAsync(finance), t => t == key);

        var before = await CreatePlanAsync(finance, key, "望财绩〔2026〕81号");
        Assert.Equal(["产出指标:数量指标,质量指标", "效益指标:社会效益指标"], await PlanGroupsAsync(finance, before));

        await TemplateApi.PutAsync(admin, id, new
        {
            name = "专项资金自评模板（使用）",
            groups = new[] { new { level1 = "产出指标", level2 = new[] { "数量指标" } }, new { level1 = "满意度指标", level2 = new[] { "服务对象满意度指标" } } },
            expectedVersion = created.GetProperty("version").GetUInt32(),
        });
        var after = await CreatePlanAsync(finance, key, "望财绩〔2026〕82号");
        Assert.Equal(["产出指标:数量指标", "满意度指标:服务对象满意度指标"], await PlanGroupsAsync(finance, after));
        Assert.Equal(["产出指标:数量指标,质量指标", "效益指标:社会效益指标"], await PlanGroupsAsync(finance, before)); // unchanged

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/admin/templates/{id}/deactivate", null)).StatusCode);
        Assert.DoesNotContain(await OfferedPlanTemplatesAsync(finance), t => t == key);
        using var financePages = await app.SignInAsync("finance");
        Assert.DoesNotContain($"value=\"{key}\"", await financePages.GetStringAsync("/plans/new"), StringComparison.Ordinal);
        var refused = await finance.PostAsJsonAsync("/api/plans", Plan(key, "望财绩〔2026〕83号"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("指标模板不存在或已停用", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The plan that uses it still shows it (marked) and still publishes with its own groups.
        var page = await financePages.GetStringAsync($"/plans/{before}");
        Assert.Contains("专项资金自评模板（使用）（已停用，本计划继续使用）", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await finance.PostAsync($"/api/plans/{before}/publish", null)).StatusCode);
        Assert.Equal(["产出指标:数量指标,质量指标", "效益指标:社会效益指标"], await PlanGroupsAsync(finance, before));
    }

    [Fact]
    public async Task Given_an_evaluation_commissioned_on_a_template_When_the_template_is_edited_and_retired_Then_it_keeps_its_groups_rows_and_score_while_a_new_one_gets_the_new_rows()
    {
        using var admin = await app.ApiAsync("admin");
        using var finance = await app.ApiAsync("finance");
        var evaluations = new EvaluationApi(app);
        var created = await TemplateApi.CreateAsync(admin, TemplateApi.Evaluation("专项资金重点评价模板（使用）"));
        var id = created.GetProperty("id").GetInt32();
        var key = created.GetProperty("key").GetString()!;
        Assert.Contains(await OfferedEvaluationTemplatesAsync(finance), t => t.Key == key && t.WeightTotal == 100m);

        var before = await evaluations.SelectAndApproveAsync(2016, "专项资金项目甲");
        await CommissionAsync(finance, before, key);

        await TemplateApi.PutAsync(admin, id, new
        {
            name = "专项资金重点评价模板（使用）",
            groups = TemplateApi.Groups("决策", "过程", "产出", "效果"),
            rows = TemplateApi.Rows(("决策", "立项依据充分性", 5m), ("过程", "资金使用合规性", 25m), ("产出", "实际完成率", 40m), ("效果", "服务对象满意度", 30m)),
            expectedVersion = created.GetProperty("version").GetUInt32(),
        });
        var after = await evaluations.SelectAndApproveAsync(2016, "专项资金项目乙");
        await CommissionAsync(finance, after, key);

        var old = await LoadAsync(before);
        Assert.Equal(["决策", "过程", "产出", "效益"], old.Groups);
        Assert.Equal(["立项依据充分性", "资金使用合规性", "实际完成率", "社会效益"], old.Rows.Select(r => r.Level3));
        Assert.Equal([10m, 20m, 40m, 30m], old.Rows.Select(r => r.Weight));
        var fresh = await LoadAsync(after);
        Assert.Equal(["决策", "过程", "产出", "效果"], fresh.Groups);
        Assert.Equal([5m, 25m, 40m, 30m], fresh.Rows.Select(r => r.Weight));
        Assert.Equal(["决策", "过程", "产出", "效果"], EvaluationSubject.Sheet(fresh).Groups.Select(g => g.Name));

        // Retired: no longer offered or accepted for a commission, while the evaluation on it is scored as commissioned.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/admin/templates/{id}/deactivate", null)).StatusCode);
        Assert.DoesNotContain(await OfferedEvaluationTemplatesAsync(finance), t => t.Key == key);
        var third = await evaluations.SelectAndApproveAsync(2016, "专项资金项目丙");
        using var financePages = await app.SignInAsync("finance");
        var commissionForm = await financePages.GetStringAsync($"/evaluations/{third}");
        Assert.Contains($"<option value=\"{EvaluationTemplates.DecisionKey}\"", commissionForm, StringComparison.Ordinal); // the 委托 form's list
        Assert.DoesNotContain($"value=\"{key}\"", commissionForm, StringComparison.Ordinal);
        var refused = await finance.PostAsJsonAsync($"/api/evaluations/{third}/commission", Commission(await app.OrganisationIdAsync(DemoSeeder.XinCaiYuan), key));
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("评价指标模板不存在或已停用", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var evaluator = await app.ApiAsync("evaluator");
        var scores = await evaluator.PutAsJsonAsync($"/api/evaluations/{before}/scores", new
        {
            expectedVersion = await EvaluationApi.VersionAsync(evaluator, before),
            rows = new object[]
            {
                new { level1 = "决策", level3 = "立项依据充分性", score = 10m },
                new { level1 = "过程", level3 = "资金使用合规性", score = 18m, note = "个别支出审批不全" },
                new { level1 = "产出", level3 = "实际完成率", score = 40m },
                new { level1 = "效益", level3 = "社会效益", score = 27.5m, note = "部分达到预期" },
            },
        });
        Assert.Equal(HttpStatusCode.OK, scores.StatusCode);
        var sheet = EvaluationSubject.Sheet(await LoadAsync(before));
        Assert.Equal([("决策", 10m, 10m), ("过程", 20m, 18m), ("产出", 40m, 40m), ("效益", 30m, 27.5m)], sheet.Groups.Select(g => (g.Name, g.Weight, g.Score)));
        Assert.Equal(95.5m, sheet.Total);
        Assert.Empty(sheet.Incomplete);
        var detail = await EvaluationApi.JsonAsync(evaluator, $"/api/evaluations/{before}");
        Assert.Equal(95.5m, detail.GetProperty("totalScore").GetDecimal());
        Assert.Equal(["决策", "过程", "产出", "效益"], detail.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("name").GetString()));
    }

    private static object Plan(string templateId, string notice) => new
    {
        fiscalYear = 2025,
        title = $"2025年度专项资金绩效自评（{notice}）",
        noticeNumber = notice,
        deadline = "2026-03-31",
        templateId,
        targets = new object[] { new { organisationName = DemoSeeder.SocialGovernanceCentre, kind = "项目支出", projectName = $"专项资金{notice}", projectBudget = 100m } },
    };

    private static async Task<Guid> CreatePlanAsync(HttpClient finance, string templateId, string notice)
    {
        var response = await finance.PostAsJsonAsync("/api/plans", Plan(templateId, notice));
        await TemplateApi.SucceededAsync(response);
        var plan = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(templateId, plan.GetProperty("templateId").GetString());
        return plan.GetProperty("id").GetGuid();
    }

    private static async Task<List<string>> PlanGroupsAsync(HttpClient finance, Guid plan) =>
        JsonDocument.Parse(await finance.GetStringAsync($"/api/plans/{plan}")).RootElement.GetProperty("template").EnumerateArray()
            .Select(g => $"{g.GetProperty("level1").GetString()}:{string.Join(',', g.GetProperty("level2").EnumerateArray().Select(l => l.GetString()))}")
            .ToList();

    private static async Task<List<string>> OfferedPlanTemplatesAsync(HttpClient client) =>
        JsonDocument.Parse(await client.GetStringAsync("/api/plans/templates")).RootElement.EnumerateArray().Select(t => t.GetProperty("id").GetString()!).ToList();

    private static async Task<List<(string Key, decimal WeightTotal)>> OfferedEvaluationTemplatesAsync(HttpClient client) =>
        JsonDocument.Parse(await client.GetStringAsync("/api/evaluations/templates")).RootElement.EnumerateArray()
            .Select(t => (t.GetProperty("key").GetString()!, t.GetProperty("weightTotal").GetDecimal())).ToList();

    private static object Commission(Guid firm, string key) => new { firmId = firm, reportDueDate = "2026-06-30", templateKey = key };

    private async Task CommissionAsync(HttpClient finance, Guid evaluation, string key) =>
        await EvaluationApi.Ok(await finance.PostAsJsonAsync($"/api/evaluations/{evaluation}/commission", Commission(await app.OrganisationIdAsync(DemoSeeder.XinCaiYuan), key)));

    private Task<Evaluation> LoadAsync(Guid id) => app.DbAsync(db => db.Evaluations.IgnoreQueryFilters().AsNoTracking().SingleAsync(e => e.Id == id));
}
