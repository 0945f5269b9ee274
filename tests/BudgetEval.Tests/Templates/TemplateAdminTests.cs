using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Evaluations;
using BudgetEval.Web.Plans;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Templates;

/// <summary>
/// 指标模板管理 (/admin/templates, /api/admin/templates): what the administrator may save, the conflict, the audit
/// line, who may read and who may change. Each test works on templates of its own names.
/// </summary>
public sealed class TemplateAdminTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_the_migration_When_reading_the_templates_Then_the_four_built_in_ones_are_there_with_their_keys_and_content()
    {
        var stored = await app.DbAsync(db => db.IndicatorTemplates.AsNoTracking().OrderBy(t => t.Id).ToListAsync());
        Assert.Equal(["default", "national2020", EvaluationTemplates.DefaultKey, EvaluationTemplates.DecisionKey], stored.Take(4).Select(t => t.Key));
        foreach (var builtIn in IndicatorTemplates.All)
        {
            var row = stored.Single(t => t.Key == builtIn.Id);
            Assert.Equal(builtIn.Name, row.Name);
            Assert.Equal(JsonSerializer.Serialize(builtIn.Groups), JsonSerializer.Serialize(row.SelfEvaluationGroups));
        }

        foreach (var builtIn in EvaluationTemplates.All)
        {
            var row = stored.Single(t => t.Key == builtIn.Key).ToEvaluationTemplate();
            Assert.Equal(builtIn.Name, row.Name);
            Assert.Equal(builtIn.Groups, row.Groups);
            Assert.Equal(builtIn.Rows, row.Rows); // records: every 一级/二级/三级, 分值, 评分要点 and 评分标准
        }
    }

    [Fact]
    public async Task Given_a_template_with_several_wrong_values_When_saved_Then_one_answer_names_each_with_its_row_and_nothing_is_saved()
    {
        using var admin = await app.ApiAsync("admin");
        var before = await app.DbAsync(db => db.IndicatorTemplates.CountAsync());

        var response = await admin.PostAsJsonAsync("/api/admin/templates", new
        {
            kind = "Evaluation",
            name = " ",
            groups = TemplateApi.Groups("投入", "过程", "产出", "效果"),
            rows = new object[]
            {
                new { level1 = "投入", level2 = "目标设定", level3 = "绩效目标合理性", weight = 10m },
                new { level1 = "投人", level2 = "预算执行", level3 = "预算执行率", weight = 20m },
                new { level1 = "产出", level2 = "职责履行", level3 = "重点工作完成率", weight = 40.125m },
                new { level1 = "效果", level2 = "满意度", level3 = "满意度", weight = 29m },
            },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var messages = await TemplateApi.ProblemAsync(response);
        Assert.Contains("name: 「模板名称」：必填。", messages, StringComparison.Ordinal);
        Assert.Contains("rows[1].level1: 第2行「一级指标」：“投人”不是本模板的一级指标（投入、过程、产出、效果）。", messages, StringComparison.Ordinal);
        Assert.Contains("rows[2].weight: 第3行「分值」：最多两位小数。", messages, StringComparison.Ordinal);
        Assert.Contains("一级指标「过程」：下面没有指标行。", messages, StringComparison.Ordinal);
        Assert.Equal(before, await app.DbAsync(db => db.IndicatorTemplates.CountAsync()));

        // With readable weights the total is named, with what each group adds up to.
        var weights = await admin.PostAsJsonAsync("/api/admin/templates", new
        {
            kind = "Evaluation",
            name = "权重不足的模板",
            groups = TemplateApi.Groups("投入", "过程", "产出", "效果"),
            rows = TemplateApi.Rows(("投入", "甲", 10m), ("过程", "乙", 20m), ("产出", "丙", 40m), ("效果", "丁", 28.5m)),
        });
        Assert.Equal(HttpStatusCode.BadRequest, weights.StatusCode);
        Assert.Contains("「分值」：各行分值合计须为 100，现为 98.5（10 + 20 + 40 + 28.5）。", await TemplateApi.ProblemAsync(weights), StringComparison.Ordinal);

        var three = await admin.PostAsJsonAsync("/api/admin/templates", new { kind = "Evaluation", name = "三个一级", groups = TemplateApi.Groups("投入", "过程", "产出"), rows = TemplateApi.Rows(("投入", "甲", 100m)) });
        Assert.Contains("重点评价模板须有 4 个一级指标", await TemplateApi.ProblemAsync(three), StringComparison.Ordinal);

        var selfEvaluation = await admin.PostAsJsonAsync("/api/admin/templates", TemplateApi.SelfEvaluation("无二级的自评模板", ("产出指标", [])));
        Assert.Equal(HttpStatusCode.BadRequest, selfEvaluation.StatusCode);
        Assert.Contains("一级指标「产出指标」「二级指标」：至少填写一个。", await TemplateApi.ProblemAsync(selfEvaluation), StringComparison.Ordinal);
        Assert.Equal(before, await app.DbAsync(db => db.IndicatorTemplates.CountAsync()));
    }

    [Fact]
    public async Task Given_a_template_name_in_use_When_another_of_the_same_kind_takes_it_Then_refused_but_the_other_kind_may()
    {
        using var admin = await app.ApiAsync("admin");
        await TemplateApi.CreateAsync(admin, TemplateApi.Evaluation("专项资金绩效评价（重名）"));

        var again = await admin.PostAsJsonAsync("/api/admin/templates", TemplateApi.Evaluation("专项资金绩效评价（重名）"));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("已有重点评价指标模板“专项资金绩效评价（重名）”", await TemplateApi.ProblemAsync(again), StringComparison.Ordinal);
        Assert.Equal(1, await app.DbAsync(db => db.IndicatorTemplates.CountAsync(t => t.Name == "专项资金绩效评价（重名）")));

        await TemplateApi.CreateAsync(admin, TemplateApi.SelfEvaluation("专项资金绩效评价（重名）", ("产出指标", ["数量指标"])));
    }

    [Fact]
    public async Task Given_two_administrators_editing_one_template_When_the_second_saves_Then_409_and_the_first_edit_stays()
    {
        using var admin = await app.ApiAsync("admin");
        var created = await TemplateApi.CreateAsync(admin, TemplateApi.Evaluation("并发修改的模板"));
        var id = created.GetProperty("id").GetInt32();
        var read = created.GetProperty("version").GetUInt32();

        var first = await TemplateApi.PutAsync(admin, id, new
        {
            name = "并发修改的模板（第一人）",
            groups = TemplateApi.Groups("决策", "过程", "产出", "效益"),
            rows = TemplateApi.Rows(("决策", "甲", 25m), ("过程", "乙", 25m), ("产出", "丙", 25m), ("效益", "丁", 25m)),
            expectedVersion = read,
        });
        Assert.NotEqual(read, first.GetProperty("version").GetUInt32());

        var second = await admin.PutAsJsonAsync($"/api/admin/templates/{id}", new
        {
            name = "并发修改的模板（第二人）",
            groups = TemplateApi.Groups("决策", "过程", "产出", "效益"),
            rows = TemplateApi.Rows(("决策", "甲", 10m), ("过程", "乙", 20m), ("产出", "丙", 40m), ("效益", "丁", 30m)),
            expectedVersion = read,
        });
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("该指标模板已被他人修改，请刷新后重新编辑。", await TemplateApi.ProblemAsync(second), StringComparison.Ordinal);
        Assert.Equal("并发修改的模板（第一人）", await app.DbAsync(db => db.IndicatorTemplates.Where(t => t.Id == id).Select(t => t.Name).SingleAsync()));

        // The page's form carries the version too: a stale form is refused the same way.
        using var pages = await app.SignInAsync("admin");
        var form = await pages.GetStringAsync($"/admin/templates/{id}");
        var stale = await pages.PostAsync($"/admin/templates/{id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(form),
            ["kind"] = "Evaluation",
            ["Input.Version"] = read.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Name"] = "并发修改的模板（页面）",
            ["Input.Groups[0].Level1"] = "决策", ["Input.Groups[1].Level1"] = "过程", ["Input.Groups[2].Level1"] = "产出", ["Input.Groups[3].Level1"] = "效益",
            ["Input.Rows[0].Level1"] = "决策", ["Input.Rows[0].Level2"] = "二级", ["Input.Rows[0].Level3"] = "甲", ["Input.Rows[0].Weight"] = "100",
        }));
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("该指标模板已被他人修改，请刷新后重新编辑。", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("并发修改的模板（第一人）", await app.DbAsync(db => db.IndicatorTemplates.Where(t => t.Id == id).Select(t => t.Name).SingleAsync()));
    }

    [Fact]
    public async Task Given_the_administrator_When_creating_a_copy_on_the_page_and_retiring_it_Then_each_change_is_one_audit_line()
    {
        using var admin = await app.SignInAsync("admin");
        var sourceId = await app.DbAsync(db => db.IndicatorTemplates.Where(t => t.Key == "default").Select(t => t.Id).SingleAsync());
        var form = await admin.GetStringAsync($"/admin/templates/new?from={sourceId}");
        Assert.Contains("产出/效益/满意度（自评常用）（副本）", form, StringComparison.Ordinal);

        // A wrong value comes back on the form, named; nothing saved.
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(form),
            ["kind"] = "SelfEvaluation",
            ["CopiedFrom"] = "产出/效益/满意度（自评常用）",
            ["Input.Name"] = "专项资金自评模板（页面）",
            ["Input.Groups[0].Level1"] = "产出指标", ["Input.Groups[0].Level2"] = "数量指标\n质量指标",
            ["Input.Groups[1].Level1"] = "", ["Input.Groups[1].Level2"] = "经济效益指标",
        };
        var refused = await admin.PostAsync("/admin/templates/new", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("第2个一级指标「名称」：必填。", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await app.DbAsync(db => db.IndicatorTemplates.AnyAsync(t => t.Name == "专项资金自评模板（页面）")));

        fields["Input.Groups[1].Level1"] = "效益指标";
        var saved = await admin.PostAsync("/admin/templates/new", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var created = await app.DbAsync(db => db.IndicatorTemplates.SingleAsync(t => t.Name == "专项资金自评模板（页面）"));
        Assert.Equal(["产出指标", "效益指标"], created.SelfEvaluationGroups.Select(g => g.Level1));
        Assert.Equal(["数量指标", "质量指标"], created.SelfEvaluationGroups[0].Level2);
        Assert.StartsWith("custom-", created.Key, StringComparison.Ordinal);

        var list = await admin.GetStringAsync("/admin/templates");
        var toggled = await admin.PostAsync("/admin/templates?handler=Toggle", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(list),
            ["id"] = created.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));
        Assert.Equal(HttpStatusCode.Redirect, toggled.StatusCode);
        Assert.False(await app.DbAsync(db => db.IndicatorTemplates.Where(t => t.Id == created.Id).Select(t => t.IsActive).SingleAsync()));

        var audit = await app.DbAsync(db => db.AuditEntries.Where(a => a.Action == "indicator-template" && a.Target == "专项资金自评模板（页面）")
            .OrderBy(a => a.Id).Select(a => a.Detail).ToListAsync());
        Assert.Equal(2, audit.Count);
        Assert.StartsWith("新增自评指标模板（复制自“产出/效益/满意度（自评常用）”）：产出指标（数量指标、质量指标）；效益指标（经济效益指标）", audit[0], StringComparison.Ordinal);
        Assert.Equal("停用自评指标模板", audit[1]);
    }

    [Fact]
    public async Task Given_the_last_active_template_of_a_kind_When_retired_Then_422_and_it_stays_active()
    {
        using var admin = await app.ApiAsync("admin");
        var created = await TemplateApi.CreateAsync(admin, TemplateApi.Evaluation("唯一启用的模板"));
        var others = await app.DbAsync(db => db.IndicatorTemplates.Where(t => t.Kind == Web.Admin.Templates.TemplateKind.Evaluation && t.IsActive && t.Name != "唯一启用的模板")
            .Select(t => t.Id).ToListAsync());
        foreach (var other in others)
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/admin/templates/{other}/deactivate", null)).StatusCode);
        }

        try
        {
            var last = await admin.PostAsync($"/api/admin/templates/{created.GetProperty("id").GetInt32()}/deactivate", null);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, last.StatusCode);
            Assert.Contains("至少保留一个启用的重点评价指标模板", await TemplateApi.ProblemAsync(last), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var other in others)
            {
                await admin.PostAsync($"/api/admin/templates/{other}/activate", null);
            }
        }
    }

    [Fact]
    public async Task Given_finance_and_the_lead_When_opening_the_templates_Then_they_read_the_list_but_may_change_nothing_and_units_see_nothing()
    {
        using var financePages = await app.SignInAsync("finance");
        var page = await financePages.GetStringAsync("/admin/templates");
        Assert.Contains("部门整体支出（投入/过程/产出/效果）", page, StringComparison.Ordinal);
        Assert.DoesNotContain("/admin/templates/new", page, StringComparison.Ordinal); // no 新建, 编辑 or 复制 for them
        Assert.Equal(HttpStatusCode.NotFound, (await financePages.GetAsync("/admin/templates/new")).StatusCode);
        var toggle = await financePages.PostAsync("/admin/templates?handler=Toggle", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(page),
            ["id"] = "1",
        }));
        Assert.Equal(HttpStatusCode.Forbidden, toggle.StatusCode);

        using var lead = await app.ApiAsync("financelead");
        var list = JsonDocument.Parse(await lead.GetStringAsync("/api/admin/templates")).RootElement;
        Assert.True(list.GetArrayLength() >= 4);
        var refused = await lead.PostAsJsonAsync("/api/admin/templates", TemplateApi.Evaluation("领导新建的模板"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("只有系统管理员可以维护指标模板", await TemplateApi.ProblemAsync(refused), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await lead.PostAsync("/api/admin/templates/1/deactivate", null)).StatusCode);
        Assert.True(await app.DbAsync(db => db.IndicatorTemplates.Where(t => t.Id == 1).Select(t => t.IsActive).SingleAsync()));
        Assert.False(await app.DbAsync(db => db.IndicatorTemplates.AnyAsync(t => t.Name == "领导新建的模板")));

        using var unit = await app.ApiAsync("unit");
        Assert.Equal(HttpStatusCode.NotFound, (await unit.GetAsync("/api/admin/templates")).StatusCode);
        using var unitPages = await app.SignInAsync("unit");
        Assert.Equal(HttpStatusCode.NotFound, (await unitPages.GetAsync("/admin/templates")).StatusCode);
    }

    [Fact]
    public async Task Given_an_evaluation_template_on_the_page_When_a_group_is_renamed_Then_its_rows_follow_the_new_name_in_one_save()
    {
        using var api = await app.ApiAsync("admin");
        var created = await TemplateApi.CreateAsync(api, TemplateApi.Evaluation("改名的模板"));
        var id = created.GetProperty("id").GetInt32();
        using var admin = await app.SignInAsync("admin");
        var form = await admin.GetStringAsync($"/admin/templates/{id}");
        Assert.Contains("name=\"Input.Groups[3].Was\" value=\"效益\"", form, StringComparison.Ordinal);

        // 效益 becomes 效果 in the group box only; the row below still reads 效益, as the page showed it.
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(form),
            ["kind"] = "Evaluation",
            ["Input.Version"] = created.GetProperty("version").GetUInt32().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Name"] = "改名的模板",
        };
        string[] groups = ["决策", "过程", "产出", "效果"];
        string[] was = ["决策", "过程", "产出", "效益"];
        (string Level1, string Level3, string Weight)[] rows = [("决策", "立项依据充分性", "10"), ("过程", "资金使用合规性", "20"), ("产出", "实际完成率", "40"), ("效益", "社会效益", "30")];
        for (var i = 0; i < 4; i++)
        {
            fields[$"Input.Groups[{i}].Level1"] = groups[i];
            fields[$"Input.Groups[{i}].Was"] = was[i];
            fields[$"Input.Rows[{i}].Level1"] = rows[i].Level1;
            fields[$"Input.Rows[{i}].Level2"] = "二级";
            fields[$"Input.Rows[{i}].Level3"] = rows[i].Level3;
            fields[$"Input.Rows[{i}].Weight"] = rows[i].Weight;
        }

        var saved = await admin.PostAsync($"/admin/templates/{id}", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var stored = await app.DbAsync(db => db.IndicatorTemplates.SingleAsync(t => t.Id == id));
        Assert.Equal(groups, stored.EvaluationGroups);
        Assert.Equal("效果", stored.Rows.Single(r => r.Level3 == "社会效益").Level1);

        // Without the name it was shown under (an older page), a row under a name no group has is still refused.
        var page = await admin.GetStringAsync($"/admin/templates/{id}");
        fields["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(page);
        fields["Input.Version"] = (await app.DbAsync(db => db.IndicatorTemplates.Where(t => t.Id == id).Select(t => t.RowVersion).SingleAsync())).ToString(System.Globalization.CultureInfo.InvariantCulture);
        fields["Input.Groups[3].Level1"] = "成效";
        fields.Remove("Input.Groups[3].Was");
        fields["Input.Rows[3].Level1"] = "效果";
        var refused = await admin.PostAsync($"/admin/templates/{id}", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("效果", (await app.DbAsync(db => db.IndicatorTemplates.SingleAsync(t => t.Id == id))).Rows.Single(r => r.Level3 == "社会效益").Level1);
    }
}
