using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Admin;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Audit;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Users;
using Microsoft.EntityFrameworkCore;
using static BudgetEval.Tests.Infrastructure.XlsxBuilder;

namespace BudgetEval.Tests.AdminImport;

/// <summary>批量导入: organisations and users from one workbook, posted through the page as a browser would.</summary>
public partial class DirectoryImportTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly string[] UnitHeader = ["名称", "类别", "简称", "主管部门", "统一社会信用代码", "联系人", "联系电话"];
    private static readonly string[] UserHeader = ["用户名", "姓名", "所属单位", "角色", "电子邮箱", "主评人"];

    [Fact]
    public async Task Given_a_good_workbook_When_imported_Then_units_and_users_exist_and_each_signs_in_once_with_the_password_handed_out()
    {
        using var admin = await app.SignInAsync("admin");
        var file = new XlsxBuilder()
            .Sheet("单位",
            [
                Row(1, UnitHeader),
                // The 主管部门 of the second row is the first row's unit: allowed within one file, in either order.
                Row(2, "望城区导入测试下属中心", "预算单位", "下属中心", "望城区导入测试主管局", null, "李四", "１３８００００００００"),
                Row(3, "望城区导入测试主管局", "预算单位", "主管局", null, "９１４３０１００ＭＡ４Ｌ１２３４５Ｘ", "张三", "0731-88888888"),
                Row(4, "导入测试评价事务所", "第三方机构", null, null, null, null, null),
            ])
            .Sheet("用户",
            [
                Row(1, UserHeader),
                Row(2, "imp.filler", "导入填报人", "望城区导入测试下属中心", "单位填报人、单位负责人", "imp.filler@example.com", null),
                Row(3, "imp.lead", "导入主评人", "导入测试评价事务所", "评价人员", null, "是"),
                // An organisation that already exists is named by its full name.
                Row(4, "imp.centre", "导入中心人员", DemoSeeder.SocialGovernanceCentre, "单位填报人", null, "否"),
            ])
            .Build();

        var response = await PostAsync(admin, file);

        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, Errors(html));
        Assert.Contains("已导入 3 个单位、3 个用户。", html, StringComparison.Ordinal);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? string.Empty, StringComparison.Ordinal);

        // The page lists each password once; the download made in the same answer holds the same ones.
        var shown = PasswordRows().Matches(html).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        Assert.Equal(["imp.centre", "imp.filler", "imp.lead"], shown.Keys.Order());
        var data = DownloadLink().Match(html);
        Assert.True(data.Success, "no download link");
        var sheet = XlsxText.Sheets(Convert.FromBase64String(WebUtility.HtmlDecode(data.Groups[1].Value)))["初始密码"];
        Assert.Equal(["用户名", "姓名", "所属单位", "初始密码"], sheet[0]);
        Assert.Equal(shown, sheet.Skip(1).ToDictionary(r => r[0], r => r[3]));
        Assert.Equal(3, shown.Values.Distinct().Count());

        var units = await app.DbAsync(db => db.Organisations.IgnoreQueryFilters().AsNoTracking()
            .Where(o => o.Name.Contains("导入测试")).ToDictionaryAsync(o => o.Name));
        Assert.Equal(3, units.Count);
        Assert.Equal(units["望城区导入测试主管局"].Id, units["望城区导入测试下属中心"].ParentId);
        Assert.Equal("91430100MA4L12345X", units["望城区导入测试主管局"].CreditCode);
        Assert.Equal("13800000000", units["望城区导入测试下属中心"].ContactPhone);
        Assert.Equal(OrganisationKind.EvaluationFirm, units["导入测试评价事务所"].Kind);

        var lead = await app.DbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.UserName == "imp.lead"));
        Assert.True(lead.IsLeadEvaluator);
        Assert.True(lead.MustChangePassword);
        Assert.Equal(units["导入测试评价事务所"].Id, lead.OrganisationId);
        var fillerRoles = await app.DbAsync(db => (from u in db.Users
                                                   join ur in db.UserRoles on u.Id equals ur.UserId
                                                   join r in db.Roles on ur.RoleId equals r.Id
                                                   where u.UserName == "imp.filler"
                                                   select r.Name!).ToListAsync());
        Assert.Equal([Roles.UnitFiller, Roles.UnitHead], fillerRoles.Order());

        // Signed in with the password handed out, the user is sent to choose their own first.
        using var user = await app.SignInAsync("imp.filler", shown["imp.filler"]);
        var home = await user.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("/account/password", home.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await user.ChooseOwnPasswordAsync(shown["imp.filler"])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/inbox")).StatusCode);

        // Who imported how much, and that the password list was handed out; never the passwords themselves.
        var audit = await app.DbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(a => a.Action == AuditActions.DirectoryImported || (a.Action == AuditActions.Export && a.Target == "初始密码清单")).ToListAsync());
        Assert.Contains(audit, a => a.Action == AuditActions.DirectoryImported && a.Detail == "单位 3 个，用户 3 个" && a.ActorName!.Contains("admin", StringComparison.Ordinal));
        Assert.Contains(audit, a => a.Action == AuditActions.Export && a.Detail!.Contains("3 个账户", StringComparison.Ordinal));
        var allDetails = await app.DbAsync(db => db.AuditEntries.AsNoTracking().Select(a => a.Detail ?? string.Empty).ToListAsync());
        Assert.DoesNotContain(allDetails, d => shown.Values.Any(p => d.Contains(p, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Given_a_workbook_with_many_problems_When_imported_Then_every_problem_is_named_by_sheet_and_cell_and_nothing_is_saved()
    {
        using var admin = await app.SignInAsync("admin");
        var file = new XlsxBuilder()
            .Sheet("单位",
            [
                Row(1, UnitHeader),
                Row(2, "坏文件甲单位", "预算单位", null, "坏文件乙单位", null, null, null),
                Row(3, "坏文件乙单位", "预算单位", null, "坏文件甲单位", null, null, null),
                Row(4, "坏文件甲单位", "预算单位", null, null, null, null, null),
                Row(5, DemoSeeder.EducationBureau, "预算单位", null, null, null, null, null),
                Row(6, "坏文件丙单位", "事业单位", null, null, "123", null, null),
                Row(7, "坏文件丁机构", "第三方机构", null, "坏文件甲单位", null, null, null),
                Row(8, "坏文件戊单位", "预算单位", null, "不存在的主管局", null, null, null),
                // The same short name as an existing unit: most likely that unit under another spelling.
                Row(9, "坏文件己单位", "预算单位", "区教育局", null, null, null, null),
            ])
            .Sheet("用户",
            [
                Row(1, UserHeader),
                Row(2, "zhangsan", "示例：张三（导入前请删除本行）", "示例单位", "单位填报人", null, null),
                Row(3, "unit", "重名用户", DemoSeeder.SocialGovernanceCentre, "单位填报人", null, null),
                Row(4, "bad.role", "错配角色", DemoSeeder.SocialGovernanceCentre, "评价人员", "not-an-email", null),
                Row(5, "bad.org", "无此单位", "不存在的单位", "单位填报人", null, null),
                Row(6, "BAD.ROLE", "大小写重复", DemoSeeder.SocialGovernanceCentre, "科员", null, "也许"),
                Row(7, "张三", null, DemoSeeder.SocialGovernanceCentre, "单位填报人", null, null),
                Row(8, "short.org", "简称单位", "区社会治理服务中心", "单位填报人", null, null),
            ])
            .Build();
        var before = await CountsAsync();

        var response = await PostAsync(admin, file);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("导入失败，未保存任何数据", html, StringComparison.Ordinal);
        string[] expected =
        [
            "工作表「单位」单元格 D2（第2行「主管部门」）主管部门形成循环（第2行 → 第3行 → 第2行）。",
            "工作表「单位」单元格 A4（第4行「名称」）“坏文件甲单位”与第2行重复。",
            $"工作表「单位」单元格 A5（第5行「名称」）系统中已有名为“{DemoSeeder.EducationBureau}”的机构",
            "工作表「单位」单元格 B6（第6行「类别」）“事业单位”不是有效的类别",
            "工作表「单位」单元格 E6（第6行「统一社会信用代码」）“123”应为 18 位数字或大写字母。",
            "工作表「单位」单元格 D7（第7行「主管部门」）只有预算单位可以设置主管部门。",
            "工作表「单位」单元格 D8（第8行「主管部门」）“不存在的主管局”不存在",
            $"工作表「单位」单元格 C9（第9行「简称」）“区教育局”已是系统中“{DemoSeeder.EducationBureau}”的简称",
            "工作表「用户」第2行是模板的示例行，请删除这一行后再导入。",
            "工作表「用户」单元格 A3（第3行「用户名」）用户名“unit”已被使用。",
            "工作表「用户」单元格 D4（第4行「角色」）“评价人员”只能授予第三方机构的用户",
            "工作表「用户」单元格 E4（第4行「电子邮箱」）“not-an-email”格式不正确。",
            "工作表「用户」单元格 C5（第5行「所属单位」）“不存在的单位”不存在",
            "工作表「用户」单元格 A6（第6行「用户名」）“BAD.ROLE”与第4行重复",
            "工作表「用户」单元格 D6（第6行「角色」）“科员”不是有效的角色",
            "工作表「用户」单元格 F6（第6行「主评人」）“也许”应为“是”或“否”",
            "工作表「用户」单元格 A7（第7行「用户名」）“张三”只能包含英文字母、数字和 - . _ @。",
            "工作表「用户」单元格 B7（第7行「姓名」）未填写。",
            $"工作表「用户」单元格 C8（第8行「所属单位」）“区社会治理服务中心”不存在：既不是系统中已有的机构，也不在本文件的「单位」表中（“区社会治理服务中心”是系统中“{DemoSeeder.SocialGovernanceCentre}”的简称，请填写全称）。",
        ];
        var missing = expected.Where(e => !html.Contains(e, StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "missing:\n" + string.Join('\n', missing) + "\n\n" + Errors(html));

        // Listed as the file reads, sheet by sheet and row by row, whichever check found them.
        var at = expected.Select(e => html.IndexOf(e, StringComparison.Ordinal)).ToList();
        Assert.Equal(at.Order(), at);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Given_the_template_When_downloaded_and_imported_unchanged_Then_it_has_both_sheets_and_its_example_rows_are_refused()
    {
        using var admin = await app.SignInAsync("admin");

        var template = await admin.GetAsync("/admin/import?handler=Template");

        Assert.Equal(HttpStatusCode.OK, template.StatusCode);
        var bytes = await template.Content.ReadAsByteArrayAsync();
        var sheets = XlsxText.Sheets(bytes);
        Assert.Equal(UnitHeader, sheets["单位"][0]);
        Assert.Equal(UserHeader, sheets["用户"][0]);
        Assert.Equal(2, sheets["单位"].Count);
        Assert.Equal(2, sheets["用户"].Count);

        var before = await CountsAsync();
        var response = await PostAsync(admin, bytes);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("工作表「单位」第2行是模板的示例行，请删除这一行后再导入。", html, StringComparison.Ordinal);
        Assert.Contains("工作表「用户」第2行是模板的示例行，请删除这一行后再导入。", html, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());

        // The examples show valid rows: without their mark (and with the 主管部门 they name in the file) they import.
        static object?[] Unmarked(List<string> row) => [.. row.Select(c => (object?)c.Replace("（导入前请删除本行）", string.Empty, StringComparison.Ordinal))];
        var unit = Unmarked(sheets["单位"][1]);
        Assert.DoesNotContain("财政局", (string)unit[3]!, StringComparison.Ordinal); // a 主管部门 is a budget unit, never the bureau
        var followed = new XlsxBuilder()
            .Sheet("单位", [Row(1, UnitHeader), Row(2, unit), Row(3, unit[3], "预算单位")])
            .Sheet("用户", [Row(1, UserHeader), Row(2, Unmarked(sheets["用户"][1]))])
            .Build();
        var imported = await PostAsync(admin, followed);
        Assert.True(imported.StatusCode == HttpStatusCode.OK, Errors(await imported.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Given_the_admin_lists_When_opened_Then_they_lead_to_the_import_and_a_csv_or_no_file_is_refused_in_Chinese()
    {
        using var admin = await app.SignInAsync("admin");
        Assert.Contains("href=\"/admin/import\"", await admin.GetStringAsync("/admin/organisations"), StringComparison.Ordinal);
        Assert.Contains("href=\"/admin/import\"", await admin.GetStringAsync("/admin/users"), StringComparison.Ordinal);

        var csv = await PostAsync(admin, "名称,类别\n某单位,预算单位\n"u8.ToArray(), "单位.csv");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, csv.StatusCode);
        Assert.Contains("只能导入 .xlsx 工作簿", await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var headersOnly = await PostAsync(admin, new XlsxBuilder().Sheet("单位", [Row(1, UnitHeader)]).Sheet("用户", [Row(1, UserHeader)]).Build());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, headersOnly.StatusCode);
        Assert.Contains("文件中没有要导入的单位或用户", await headersOnly.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_workbook_with_only_the_user_sheet_When_imported_Then_the_accounts_of_existing_units_are_created_and_the_absent_sheet_is_named()
    {
        using var admin = await app.SignInAsync("admin");
        var file = new XlsxBuilder()
            .Sheet("用户", [Row(1, UserHeader), Row(2, "only.users", "只导用户", DemoSeeder.EducationBureau, "单位负责人", null, null)])
            .Build();

        var response = await PostAsync(admin, file);

        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, Errors(html));
        Assert.Contains("已导入 0 个单位、1 个用户。", html, StringComparison.Ordinal);
        Assert.Contains("文件中没有「单位」表，只导入了用户。", html, StringComparison.Ordinal);
        var orgId = await app.OrganisationIdAsync(DemoSeeder.EducationBureau);
        Assert.Equal(orgId, await app.DbAsync(db => db.Users.Where(u => u.UserName == "only.users").Select(u => u.OrganisationId).SingleAsync()));

        // A 单位 sheet that is there without its header is still a mistake to name, not a table to skip.
        var wrongHeader = new XlsxBuilder()
            .Sheet("单位", [Row(1, "单位名称", "类型"), Row(2, "某单位", "预算单位")])
            .Sheet("用户", [Row(1, UserHeader), Row(2, "only.users2", "只导用户二", DemoSeeder.EducationBureau, "单位负责人", null, null)])
            .Build();
        var refused = await PostAsync(admin, wrongHeader);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("没有找到表头行：名称,类别", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.UserName == "only.users2")));
    }

    [Theory]
    [InlineData("zip-of-text.xlsx", "无法读取 Excel 文件")]
    [InlineData("truncated.xlsx", "无法读取 Excel 文件")]
    [InlineData("formula-cells.xlsx", "没有找到表头行：名称,类别")]
    [InlineData("merged-header.xlsx", "没有找到表头行：名称,类别")]
    public async Task Given_a_bad_file_from_the_corpus_When_imported_Then_it_is_refused_once_in_Chinese_and_nothing_is_saved(string name, string expected)
    {
        using var admin = await app.SignInAsync("admin");
        var before = await CountsAsync();

        var response = await PostAsync(admin, BudgetEval.Tests.Reliability.Corpus.File(name), name);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Single(Regex.Matches(html, Regex.Escape(expected))); // both sheets' reads refuse a damaged file: said once
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Given_formulas_and_logical_values_in_the_cells_When_imported_Then_each_cell_is_named()
    {
        using var admin = await app.SignInAsync("admin");
        var file = new XlsxBuilder()
            .Sheet("单位", [Row(1, UnitHeader), Row(2, Raw("<f>\"公式\"&amp;\"单位\"</f><v>公式单位</v>", "t=\"str\""), "预算单位")])
            .Sheet("用户", [Row(1, UserHeader), Row(2, "bool.user", Bool(true), DemoSeeder.EducationBureau, "单位填报人")])
            .Build();

        var response = await PostAsync(admin, file);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("工作表「单位」单元格 A2（第2行「名称」）是公式，请复制后“选择性粘贴 → 数值”再导入。", html, StringComparison.Ordinal);
        Assert.Contains("工作表「用户」单元格 B2（第2行「姓名」）是逻辑值“TRUE”，应为文字。", html, StringComparison.Ordinal);
        Assert.False(await app.DbAsync(db => db.Organisations.AnyAsync(o => o.Name == "公式单位")));
    }

    private async Task<(int Organisations, int Users, int Audit)> CountsAsync() =>
        (await app.DbAsync(db => db.Organisations.IgnoreQueryFilters().CountAsync()),
         await app.DbAsync(db => db.Users.IgnoreQueryFilters().CountAsync()),
         await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Action == AuditActions.DirectoryImported)));

    private static Task<HttpResponseMessage> PostAsync(HttpClient admin, byte[] workbook, string fileName = "单位和用户.xlsx") =>
        AppFixture.PostWorkbookAsync(admin, "/admin/import", workbook, fileName);

    private static string Errors(string html) => ErrorBox().Match(html) is { Success: true } m ? m.Value : html[..Math.Min(html.Length, 2000)];

    [GeneratedRegex("<tr><td>([^<]+)</td><td>[^<]*</td><td>[^<]*</td><td><code>([^<]+)</code></td></tr>")]
    private static partial Regex PasswordRows();

    [GeneratedRegex("href=\"data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,([^\"]+)\"")]
    private static partial Regex DownloadLink();

    [GeneratedRegex("<div class=\"errors\"[\\s\\S]*?</div>")]
    private static partial Regex ErrorBox();
}
