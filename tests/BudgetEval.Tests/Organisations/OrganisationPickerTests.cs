using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Plans;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Organisations;

/// <summary>
/// The bureau's unit pickers at province scale: once there are more active units than a drop-down should
/// hold, 重点评价, 问题台账 and 评价计划 show search fields, read at most a bounded number of rows, and
/// resolve what was typed on the server, with a Chinese error naming the field when it names no or several units.
/// </summary>
public sealed partial class OrganisationPickerTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const int Extra = ProvinceUnits.Count;

    private static string UnitName(int i) => ProvinceUnits.Name(i);

    private Task EnsureProvinceAsync() => app.DbAsync(ProvinceUnits.EnsureAsync);

    private async Task<PickedOrganisation> ResolveAsync(string? text) =>
        await app.DbAsync(db => OrganisationPicker.ResolveAsync(OrganisationPicker.ActiveUnits(db.Organisations), text, CancellationToken.None));

    private Task<Guid> IdOfAsync(string name) => app.DbAsync(db => db.Organisations.Where(o => o.Name == name).Select(o => o.Id).SingleAsync());

    [Fact]
    public async Task Given_typed_text_When_resolving_Then_id_name_short_name_code_or_unique_part_name_one_unit_and_anything_else_is_a_named_error()
    {
        await EnsureProvinceAsync();
        var seventh = await IdOfAsync(UnitName(7));

        Assert.Equal(PickedOrganisation.None, await ResolveAsync("  "));
        Assert.Equal(seventh, (await ResolveAsync(seventh.ToString())).Id);
        Assert.Equal(seventh, (await ResolveAsync(UnitName(7))).Id);
        Assert.Equal(seventh, (await ResolveAsync(" 12430100T00070000 ")).Id);
        Assert.Equal(await IdOfAsync(UnitName(10)), (await ResolveAsync("测试0010")).Id);
        Assert.Equal(await IdOfAsync(UnitName(123)), (await ResolveAsync("单位0123")).Id); // a unique part of the name

        var sameShort = await ResolveAsync("同简称单位");
        Assert.Null(sameShort.Id);
        Assert.Contains($"对应 2 个单位（{UnitName(7)}、{UnitName(8)}）", sameShort.Error, StringComparison.Ordinal);

        var many = await ResolveAsync("省测试单位01");
        Assert.Null(many.Id);
        Assert.Contains("对应多个单位", many.Error, StringComparison.Ordinal);
        Assert.Contains(" 等", many.Error, StringComparison.Ordinal); // 0100–0199: more than are shown

        Assert.Contains("找不到「不存在的单位」", (await ResolveAsync("不存在的单位")).Error, StringComparison.Ordinal);
        var inactive = await ResolveAsync((await IdOfAsync(UnitName(9))).ToString());
        Assert.Null(inactive.Id);
        Assert.NotNull(inactive.Error);
        Assert.NotNull((await ResolveAsync(UnitName(9))).Error);
    }

    [Fact]
    public async Task Given_more_units_than_a_list_holds_When_the_bureau_opens_its_forms_Then_search_fields_replace_drop_downs_and_checkboxes()
    {
        await EnsureProvinceAsync();
        using var finance = await app.SignInAsync("finance");

        foreach (var (url, field) in new[] { ("/evaluations", "ManualUnit"), ("/findings", "organisationId"), ("/plans/new", "project-unit-0") })
        {
            var html = await finance.GetStringAsync(url);
            Assert.Matches($"<input type=\"text\" id=\"{field}\"[^>]*data-suggest=\"/organisations\\?handler=suggest&amp;kind=BudgetUnit\"", html);
            Assert.DoesNotContain(UnitName(Extra), html, StringComparison.Ordinal); // no unit is listed
            Assert.DoesNotContain($"<select id=\"{field}\"", html, StringComparison.Ordinal);
            Assert.Contains("/js/organisation-search.js", html, StringComparison.Ordinal); // only pages with a search field load it
        }

        var plan = await finance.GetStringAsync("/plans/new");
        Assert.Contains("<textarea id=\"unit-list\" name=\"Input.UnitList\"", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"Input.Units\"", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_search_field_When_asking_for_suggestions_Then_at_most_ten_active_units_of_the_kind_come_back()
    {
        await EnsureProvinceAsync();
        using var finance = await app.SignInAsync("finance");

        using var many = JsonDocument.Parse(await finance.GetStringAsync("/organisations?handler=suggest&kind=BudgetUnit&q=" + Uri.EscapeDataString("省测试单位00")));
        var names = many.RootElement.EnumerateArray().Select(o => o.GetProperty("name").GetString()).ToList();
        Assert.Equal(OrganisationPicker.ShownMatches, names.Count);
        Assert.All(names, n => Assert.StartsWith("省测试单位00", n, StringComparison.Ordinal));
        Assert.DoesNotContain(UnitName(9), names); // inactive

        using var byCode = JsonDocument.Parse(await finance.GetStringAsync("/organisations?handler=suggest&kind=BudgetUnit&q=12430100T0123"));
        var found = byCode.RootElement.EnumerateArray().Single();
        Assert.Equal(UnitName(123), found.GetProperty("name").GetString());
        Assert.Contains("12430100T0123", found.GetProperty("label").GetString(), StringComparison.Ordinal); // so the browser keeps it for what was typed

        using var unit = await app.SignInAsync("unit");
        Assert.Equal(HttpStatusCode.NotFound, (await unit.GetAsync("/organisations?handler=suggest&q=" + Uri.EscapeDataString("省测试"))).StatusCode);
    }

    [Fact]
    public async Task Given_the_register_form_When_a_unit_is_typed_Then_a_unique_name_registers_and_an_ambiguous_one_is_refused_with_nothing_saved()
    {
        await EnsureProvinceAsync();
        using var finance = await app.SignInAsync("finance");
        Dictionary<string, string> Form(string unit) => new()
        {
            ["organisationId"] = unit, ["year"] = "2025", ["source"] = "Audit", ["sourceDocument"] = "湘审〔2025〕8号", ["sourceDate"] = "2025-10-09",
            ["category"] = "财务管理", ["title"] = "往来款长期挂账", ["detail"] = "审计发现。",
        };

        var before = await app.DbAsync(db => db.Findings.CountAsync());
        var refused = await PostAsync(finance, "/findings?FiscalYear=2021", "/findings?FiscalYear=2021", Form("省测试单位01"));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Contains("责任单位：「省测试单位01」对应多个单位", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.Contains("value=\"省测试单位01\"", page, StringComparison.Ordinal); // what was typed is kept, every field
        Assert.Contains("value=\"湘审〔2025〕8号\"", page, StringComparison.Ordinal);
        Assert.Contains("value=\"往来款长期挂账\"", page, StringComparison.Ordinal);
        Assert.Contains(">审计发现。</textarea>", page, StringComparison.Ordinal);
        // The form's 来源 (Audit) is not taken for the list's 来源 filter: the 2021 ledger still lists its 第三方评价 findings.
        Assert.Contains("2021-第三方评价-001", page, StringComparison.Ordinal);
        Assert.Equal(before, await app.DbAsync(db => db.Findings.CountAsync()));

        var registered = await PostAsync(finance, "/findings", "/findings", Form(UnitName(42)));
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        var unitId = await IdOfAsync(UnitName(42));
        Assert.Equal(1, await app.DbAsync(db => db.Findings.CountAsync(f => f.OrganisationId == unitId && f.Title == "往来款长期挂账")));
    }

    [Fact]
    public async Task Given_the_plan_form_of_a_province_When_units_are_listed_one_per_line_Then_bad_lines_are_named_and_good_ones_become_targets()
    {
        await EnsureProvinceAsync();
        using var finance = await app.SignInAsync("finance");
        Dictionary<string, string> Form(string units, string projectUnit) => new()
        {
            ["Input.FiscalYear"] = "2025", ["Input.Title"] = "全省绩效自评", ["Input.NoticeNumber"] = "湘财绩〔2026〕2号", ["Input.Deadline"] = "2026-04-30",
            ["Input.TemplateId"] = "national2020", ["Input.FundsWeight"] = "10", ["Input.FundsRule"] = "Linear", ["Input.IndicatorTotal"] = "90",
            ["Input.Excellent"] = "90", ["Input.Good"] = "80", ["Input.Pass"] = "60", ["Input.UnitList"] = units,
            ["Input.Projects[0].OrganisationId"] = projectUnit, ["Input.Projects[0].Name"] = "信息系统运维", ["Input.Projects[0].Budget"] = "120",
        };

        var plans = await app.DbAsync(db => db.Plans.CountAsync());
        var refused = await PostAsync(finance, "/plans/new", "/plans/new", Form($"{UnitName(1)}\r\n不存在的单位\r\n\r\n同简称单位", "省测试单位02"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var page = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("覆盖单位第2行：找不到「不存在的单位」", page, StringComparison.Ordinal);
        Assert.Contains("覆盖单位第4行：「同简称单位」对应 2 个单位", page, StringComparison.Ordinal);
        Assert.Contains("项目支出第1行「单位」：「省测试单位02」对应多个单位", page, StringComparison.Ordinal);
        Assert.Equal(plans, await app.DbAsync(db => db.Plans.CountAsync()));

        var created = await PostAsync(finance, "/plans/new", "/plans/new", Form($"{UnitName(1)}\n测试0002\n12430100T00030000\n{UnitName(1)}", UnitName(4)));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var id = Guid.Parse(PlanUrl().Match(created.Headers.Location!.ToString()).Groups[1].Value);
        var targets = await app.DbAsync(db => db.Plans.Where(p => p.Id == id).SelectMany(p => p.Targets)
            .Join(db.Organisations, t => t.OrganisationId, o => o.Id, (t, o) => new { o.Name, t.Kind }).ToListAsync());
        Assert.Equal([UnitName(1), UnitName(2), UnitName(3)], targets.Where(t => t.Kind == EvaluationKind.DepartmentWide).Select(t => t.Name).Order());
        Assert.Equal(UnitName(4), targets.Single(t => t.Kind == EvaluationKind.Project).Name);

        // Opened again, the form lists the covered units by name, one per line, and shows the project's unit by name.
        var edit = WebUtility.HtmlDecode(await finance.GetStringAsync($"/plans/{id}"));
        Assert.Equal($"{UnitName(1)}\n{UnitName(2)}\n{UnitName(3)}", UnitListText().Match(edit).Groups[1].Value.Trim().ReplaceLineEndings("\n"));
        Assert.Matches($"id=\"project-unit-0\"[^>]*value=\"{UnitName(4)}\"|value=\"{UnitName(4)}\"[^>]*id=\"project-unit-0\"", edit);
    }

    [Fact]
    public async Task Given_a_published_plan_over_the_province_When_opened_Then_targets_are_counted_and_listed_a_page_at_a_time()
    {
        await EnsureProvinceAsync();
        using var finance = await app.SignInAsync("finance");
        var lines = string.Join("\n", Enumerable.Range(1, Extra).Where(i => i != 9).Select(UnitName)); // 0009 is inactive
        var created = await PostAsync(finance, "/plans/new", "/plans/new", new()
        {
            ["Input.FiscalYear"] = "2016", ["Input.Title"] = "全省2016年度绩效自评", ["Input.NoticeNumber"] = "湘财绩〔2017〕1号", ["Input.Deadline"] = "2017-03-31",
            ["Input.TemplateId"] = "national2020", ["Input.FundsWeight"] = "10", ["Input.FundsRule"] = "Linear", ["Input.IndicatorTotal"] = "90",
            ["Input.Excellent"] = "90", ["Input.Good"] = "80", ["Input.Pass"] = "60", ["Input.UnitList"] = lines,
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var id = PlanUrl().Match(created.Headers.Location!.ToString()).Groups[1].Value;
        var published = await PostAsync(finance, $"/plans/{id}", $"/plans/{id}?handler=publish", []);
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);

        var page = WebUtility.HtmlDecode(await finance.GetStringAsync($"/plans/{id}"));
        Assert.Contains($"部门整体支出绩效自评 {Extra - 1} 个单位；项目支出绩效自评 0 个项目", page, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"Input.UnitList\"", page, StringComparison.Ordinal);
        Assert.Equal(50, page.Split("/form\">自评表</a>").Length - 1);
        Assert.Contains($"{UnitName(1)} · 部门整体支出", page, StringComparison.Ordinal);
        Assert.Contains($"/plans/{id}?tp=2\" rel=\"next\"", page, StringComparison.Ordinal);

        var last = WebUtility.HtmlDecode(await finance.GetStringAsync($"/plans/{id}?tp=5"));
        Assert.Equal(Extra - 1 - 200, last.Split("/form\">自评表</a>").Length - 1);
        Assert.Contains($"{UnitName(Extra)} · 部门整体支出", last, StringComparison.Ordinal);

        var filtered = WebUtility.HtmlDecode(await finance.GetStringAsync($"/plans/{id}?tq=" + Uri.EscapeDataString("省测试单位012")));
        Assert.Equal(10, filtered.Split("/form\">自评表</a>").Length - 1);
    }

    [Fact]
    public async Task Given_the_selection_form_When_the_added_unit_names_none_Then_the_error_names_the_field_and_nothing_is_selected()
    {
        await EnsureProvinceAsync();
        using var finance = await app.SignInAsync("finance");
        var before = await app.DbAsync(db => db.Evaluations.CountAsync());
        var refused = await PostAsync(finance, "/evaluations?FiscalYear=2025", "/evaluations?handler=Select", new()
        {
            ["FiscalYear"] = "2025", ["ManualUnit"] = "不存在的单位", ["ManualKind"] = "DepartmentWide", ["ManualReason"] = "专项检查",
        });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("另行添加「预算单位」：找不到「不存在的单位」", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(before, await app.DbAsync(db => db.Evaluations.CountAsync()));

        var selected = await PostAsync(finance, "/evaluations?FiscalYear=2025", "/evaluations?handler=Select", new()
        {
            ["FiscalYear"] = "2025", ["ManualUnit"] = "测试0077", ["ManualKind"] = "DepartmentWide", ["ManualReason"] = "专项检查",
        });
        Assert.Equal(HttpStatusCode.Redirect, selected.StatusCode);
        var unitId = await IdOfAsync(UnitName(77));
        Assert.Equal(1, await app.DbAsync(db => db.Evaluations.CountAsync(e => e.OrganisationId == unitId && e.FiscalYear == 2025)));
    }

    [Fact]
    public async Task Given_a_province_of_firms_When_commissioning_Then_the_firm_is_typed_and_a_name_that_is_not_one_firm_is_refused_with_nothing_changed()
    {
        await app.DbAsync(async db =>
        {
            for (var i = 1; i <= Extra; i++)
            {
                db.Organisations.Add(new Organisation
                {
                    Id = Guid.NewGuid(), Name = $"省测试评价机构{i:D4}", Kind = OrganisationKind.EvaluationFirm, CreatedAt = DateTimeOffset.UtcNow,
                });
            }

            return await db.SaveChangesAsync();
        });
        var id = await new Evaluations.EvaluationApi(app).SelectAndApproveAsync(2023);
        using var finance = await app.SignInAsync("finance");
        var form = await finance.GetStringAsync($"/evaluations/{id}");
        Assert.Matches("<input type=\"text\" id=\"firmId\" name=\"firmId\"[^>]*data-suggest=\"/organisations\\?handler=suggest&amp;kind=EvaluationFirm\"", form);
        Assert.DoesNotContain("省测试评价机构0001</option>", form, StringComparison.Ordinal);
        Dictionary<string, string> Commission(string firm) => new() { ["firmId"] = firm, ["reportDueDate"] = "2027-06-30", ["templateKey"] = Web.Evaluations.EvaluationTemplates.DefaultKey };

        var refused = await PostAsync(finance, $"/evaluations/{id}", $"/evaluations/{id}?handler=Commission", Commission("省测试评价机构00"));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("「评价机构」：「省测试评价机构00」对应多个机构", page, StringComparison.Ordinal);
        Assert.Contains("value=\"省测试评价机构00\"", page, StringComparison.Ordinal);
        var unit = await PostAsync(finance, $"/evaluations/{id}", $"/evaluations/{id}?handler=Commission", Commission(UnitName(5)));
        Assert.Contains($"「评价机构」：找不到「{UnitName(5)}」，请填写机构全称", WebUtility.HtmlDecode(await unit.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal((null, "commissioning"), await app.DbAsync(db => db.Evaluations.Where(e => e.Id == id).Select(e => new ValueTuple<Guid?, string>(e.FirmId, e.Status)).SingleAsync()));

        var commissioned = await PostAsync(finance, $"/evaluations/{id}", $"/evaluations/{id}?handler=Commission", Commission("省测试评价机构0123"));
        Assert.Equal(HttpStatusCode.Redirect, commissioned.StatusCode);
        var firmId = await IdOfAsync("省测试评价机构0123");
        Assert.Equal(firmId, await app.DbAsync(db => db.Evaluations.Where(e => e.Id == id).Select(e => e.FirmId).SingleAsync()));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string formUrl, string action, Dictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(formUrl);
        fields["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(page);
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("<textarea id=\"unit-list\"[^>]*>([^<]*)</textarea>")]
    private static partial Regex UnitListText();

    [GeneratedRegex("/plans/([0-9a-f-]{36})")]
    private static partial Regex PlanUrl();
}
