using System.Net;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Users;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Admin;

/// <summary>
/// The admin forms at province scale: with more budget units than a drop-down may hold, the 所属单位,
/// 主管部门 and 单位 fields become search fields, and what is typed there is resolved (or refused) on the server.
/// </summary>
public partial class AdminPickerProvinceTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const int ExtraUnits = 250;
    private const string Prefix = "湖南省测试预算单位";
    private const string Grandchild = "湖南省测试下属单位"; // under 望城一中, itself under 区教育局

    private static string UnitName(int i) => $"{Prefix}{i:D3}";

    private static string CreditCode(int i) => $"12430000MB{i:D8}";

    /// <summary>Adds the province's units once per fixture (the tests of a class share one database).</summary>
    private Task EnsureProvinceAsync() => app.DbAsync(async db =>
    {
        if (await db.Organisations.AnyAsync(o => o.Name == Grandchild))
        {
            return 0;
        }

        var now = DateTimeOffset.UtcNow;
        var school = await db.Organisations.Where(o => o.Name == "长沙市望城区第一中学").Select(o => o.Id).SingleAsync();
        for (var i = 0; i < ExtraUnits; i++)
        {
            db.Organisations.Add(new Organisation
            {
                Id = Guid.CreateVersion7(now),
                Name = UnitName(i),
                ShortName = $"测试单位简称{i:D3}",
                CreditCode = CreditCode(i),
                Kind = OrganisationKind.BudgetUnit,
                CreatedAt = now,
            });
        }

        db.Organisations.Add(new Organisation
        {
            Id = Guid.CreateVersion7(now),
            Name = Grandchild,
            Kind = OrganisationKind.BudgetUnit,
            ParentId = school,
            CreatedAt = now,
        });
        return await db.SaveChangesAsync();
    });

    [Fact]
    public async Task Given_a_province_When_opening_the_admin_forms_Then_they_show_search_fields_not_hundreds_of_options()
    {
        await EnsureProvinceAsync();
        using var admin = await app.SignInAsync("admin");
        var unitId = await app.SocialGovernanceCentreAsync();
        var unitUserId = await app.DbAsync(db => db.Users.Where(u => u.UserName == "unit").Select(u => u.Id).SingleAsync());
        var educationId = await app.OrganisationIdAsync(DemoSeeder.EducationBureau);

        var newUser = await admin.GetStringAsync("/admin/users/new");
        var editUser = await admin.GetStringAsync($"/admin/users/{unitUserId}");
        var newOrg = await admin.GetStringAsync("/admin/organisations/new");
        var editOrg = await admin.GetStringAsync($"/admin/organisations/{await app.OrganisationIdAsync("长沙市望城区第一中学")}");
        var users = await admin.GetStringAsync("/admin/users");
        var usersOfUnit = await admin.GetStringAsync($"/admin/users?org={unitId}");

        foreach (var html in new[] { newUser, editUser })
        {
            Assert.DoesNotContain("<select id=\"Input_OrganisationId\"", html, StringComparison.Ordinal);
            Assert.Contains("<input type=\"text\" id=\"Input_OrganisationId\" name=\"Input.OrganisationId\"", html, StringComparison.Ordinal);
            Assert.True(Options(html) < 20, $"{Options(html)} options");
        }

        foreach (var html in new[] { newOrg, editOrg })
        {
            Assert.DoesNotContain("<select id=\"Input_ParentId\"", html, StringComparison.Ordinal);
            Assert.Contains("<input type=\"text\" id=\"Input_ParentId\" name=\"Input.ParentId\"", html, StringComparison.Ordinal);
            Assert.True(Options(html) < 20, $"{Options(html)} options");
        }

        foreach (var html in new[] { users, usersOfUnit })
        {
            Assert.DoesNotContain("<select id=\"org\"", html, StringComparison.Ordinal);
            Assert.Contains("<input type=\"text\" id=\"org\" name=\"org\"", html, StringComparison.Ordinal);
            Assert.True(Options(html) < 20, $"{Options(html)} options");
        }

        // An id the field holds is shown by name: the edited user's unit, the edited school's 主管部门, the filter's unit.
        Assert.Matches($"id=\"Input_OrganisationId\"[^>]*value=\"{DemoSeeder.SocialGovernanceCentre}\"", editUser);
        Assert.Matches($"id=\"Input_ParentId\"[^>]*value=\"{DemoSeeder.EducationBureau}\"", editOrg);
        Assert.Matches($"id=\"org\"[^>]*value=\"{DemoSeeder.SocialGovernanceCentre}\"", usersOfUnit);
        Assert.DoesNotContain(educationId.ToString(), editOrg.Split("id=\"Input_ParentId\"")[1].Split('>')[0], StringComparison.Ordinal);

        // The old ?org=<id> link still filters.
        Assert.Contains("张晓燕", usersOfUnit, StringComparison.Ordinal);
        Assert.DoesNotContain("江惠平", usersOfUnit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_province_When_typing_a_unique_name_short_name_or_code_Then_the_user_and_the_parent_are_saved()
    {
        await EnsureProvinceAsync();
        using var admin = await app.SignInAsync("admin");
        var expectedUnit = await app.OrganisationIdAsync(UnitName(137));
        var expectedParent = await app.OrganisationIdAsync(UnitName(42));
        var expectedOther = await app.OrganisationIdAsync(UnitName(7));

        var byName = await admin.PostFormAsync("/admin/users/new",
            Fields(AdminForms.User("typedname", "按名称", Guid.Empty, AdminForms.StrongPassword, Roles.UnitFiller), UnitName(137)));
        var byShortName = await admin.PostFormAsync("/admin/users/new",
            Fields(AdminForms.User("typedshort", "按简称", Guid.Empty, AdminForms.StrongPassword, Roles.UnitFiller), "测试单位简称007"));
        var parentByCode = await admin.PostFormAsync("/admin/organisations/new", AdminForms.Organisation("湖南省测试新建下级单位", parentId: CreditCode(42)));
        var parentByPart = await admin.PostFormAsync("/admin/organisations/new", AdminForms.Organisation("湖南省测试新建下级单位二", parentId: "预算单位199"));

        var user = AdminForms.IdFromRedirect(byName, "/admin/users/");
        Assert.Equal(expectedUnit, await app.DbAsync(db => db.Users.Where(u => u.Id == user).Select(u => u.OrganisationId).SingleAsync()));
        var other = AdminForms.IdFromRedirect(byShortName, "/admin/users/");
        Assert.Equal(expectedOther, await app.DbAsync(db => db.Users.Where(u => u.Id == other).Select(u => u.OrganisationId).SingleAsync()));
        var child = AdminForms.IdFromRedirect(parentByCode, "/admin/organisations/");
        Assert.Equal(expectedParent, await app.DbAsync(db => db.Organisations.Where(o => o.Id == child).Select(o => o.ParentId).SingleAsync()));
        var child2 = AdminForms.IdFromRedirect(parentByPart, "/admin/organisations/");
        Assert.Equal(await app.OrganisationIdAsync(UnitName(199)),
            await app.DbAsync(db => db.Organisations.Where(o => o.Id == child2).Select(o => o.ParentId).SingleAsync()));

        // The users list filters by a typed name too, and its field shows the name.
        var listed = await admin.GetStringAsync("/admin/users?org=" + Uri.EscapeDataString(UnitName(137)));
        Assert.Contains("<td>typedname</td>", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("<td>typedshort</td>", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("张晓燕", listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_province_When_editing_a_user_with_an_id_posted_Then_it_still_saves()
    {
        await EnsureProvinceAsync();
        using var admin = await app.SignInAsync("admin");
        var target = await app.OrganisationIdAsync(UnitName(3));
        var id = await admin.CreateUserAsync("moveme", await app.SocialGovernanceCentreAsync(), Roles.UnitFiller);
        var page = $"/admin/users/{id}";
        var stamp = AdminForms.HiddenValue(await admin.GetStringAsync(page), "Input.ConcurrencyStamp");

        var response = await admin.PostFormAsync(page,
        [
            new("Input.DisplayName", "搬迁"),
            new("Input.OrganisationId", target.ToString()),
            new("Input.Roles", Roles.UnitFiller),
            new("Input.ConcurrencyStamp", stamp),
        ]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(target, await app.DbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.OrganisationId).SingleAsync()));
        Assert.Matches($"id=\"Input_OrganisationId\"[^>]*value=\"{UnitName(3)}\"", await admin.GetStringAsync(page));
    }

    [Theory]
    [InlineData(Prefix, "对应多个单位", "ambiguousorg")]
    [InlineData("不存在的省级单位", "找不到「不存在的省级单位」", "unknownorg")]
    public async Task Given_a_province_When_typing_an_ambiguous_or_unknown_unit_Then_the_field_is_named_and_nothing_is_saved(string typed, string message, string userName)
    {
        await EnsureProvinceAsync();
        using var admin = await app.SignInAsync("admin");
        var organisations = await app.DbAsync(db => db.Organisations.CountAsync());

        var user = await admin.PostFormAsync("/admin/users/new",
            Fields(AdminForms.User(userName, "无单位", Guid.Empty, AdminForms.StrongPassword, Roles.UnitFiller), typed));
        var org = await admin.PostFormAsync("/admin/organisations/new", AdminForms.Organisation("湖南省测试无主管部门单位", parentId: typed));
        var list = await admin.GetAsync("/admin/users?org=" + Uri.EscapeDataString(typed));

        Assert.Equal(HttpStatusCode.OK, user.StatusCode);
        var userHtml = await user.Content.ReadAsStringAsync();
        Assert.Matches($"所属单位：[^<]*{Regex.Escape(message)}", userHtml);
        Assert.Matches($"id=\"Input_OrganisationId\"[^>]*value=\"{typed}\"", userHtml); // what was typed is kept
        Assert.Equal(HttpStatusCode.OK, org.StatusCode);
        var orgHtml = await org.Content.ReadAsStringAsync();
        Assert.Matches($"主管部门：[^<]*{Regex.Escape(message)}", orgHtml);
        Assert.Matches($"id=\"Input_ParentId\"[^>]*value=\"{typed}\"", orgHtml);
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.UserName == userName)));
        Assert.Equal(organisations, await app.DbAsync(db => db.Organisations.CountAsync()));

        // The users list says so, and lists nobody rather than everybody.
        var listHtml = await list.Content.ReadAsStringAsync();
        Assert.Matches($"单位：[^<]*{Regex.Escape(message)}", listHtml);
        Assert.DoesNotContain("张晓燕", listHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("<td>admin</td>", listHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_province_When_choosing_a_descendant_or_itself_as_the_parent_Then_it_is_refused()
    {
        await EnsureProvinceAsync();
        using var admin = await app.SignInAsync("admin");
        var educationId = await app.OrganisationIdAsync(DemoSeeder.EducationBureau);
        var page = $"/admin/organisations/{educationId}";
        var version = uint.Parse(AdminForms.HiddenValue(await admin.GetStringAsync(page), "Input.RowVersion"), System.Globalization.CultureInfo.InvariantCulture);

        var child = await admin.PostFormAsync(page, AdminForms.Organisation(DemoSeeder.EducationBureau, rowVersion: version, parentId: "望城一中"));
        var grandchild = await admin.PostFormAsync(page, AdminForms.Organisation(DemoSeeder.EducationBureau, rowVersion: version, parentId: Grandchild));
        var grandchildById = await admin.PostFormAsync(page,
            AdminForms.Organisation(DemoSeeder.EducationBureau, rowVersion: version, parentId: (await app.OrganisationIdAsync(Grandchild)).ToString()));
        var itself = await admin.PostFormAsync(page, AdminForms.Organisation(DemoSeeder.EducationBureau, rowVersion: version, parentId: "区教育局"));

        foreach (var response in new[] { child, grandchild, grandchildById })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("主管部门：不能选择本机构的下属单位（会形成循环）。", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Contains("主管部门：不能选择机构自身。", await itself.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await app.DbAsync(db => db.Organisations.Where(o => o.Id == educationId).Select(o => o.ParentId).SingleAsync()));

        // An unrelated unit is accepted, typed by name.
        var ok = await admin.PostFormAsync(page, AdminForms.Organisation(DemoSeeder.EducationBureau, rowVersion: version, parentId: UnitName(5)));
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Equal(await app.OrganisationIdAsync(UnitName(5)),
            await app.DbAsync(db => db.Organisations.Where(o => o.Id == educationId).Select(o => o.ParentId).SingleAsync()));
    }

    /// <summary>The user form's fields with 所属单位 replaced by what was typed.</summary>
    internal static List<KeyValuePair<string, string>> Fields(List<KeyValuePair<string, string>> fields, string organisation) =>
        fields.Select(f => f.Key == "Input.OrganisationId" ? new KeyValuePair<string, string>(f.Key, organisation) : f).ToList();

    private static int Options(string html) => OptionPattern().Count(html);

    [GeneratedRegex("<option[ >]")]
    private static partial Regex OptionPattern();
}

/// <summary>The same forms in a district (few units): drop-downs, typed names still resolved, cycles left out of the list.</summary>
public class AdminPickerDistrictTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_district_When_editing_a_supervising_department_Then_the_list_leaves_out_itself_and_its_subordinates()
    {
        using var admin = await app.SignInAsync("admin");
        var educationId = await app.OrganisationIdAsync(DemoSeeder.EducationBureau);
        var schoolId = await app.OrganisationIdAsync("长沙市望城区第一中学");
        var healthId = await app.OrganisationIdAsync("长沙市望城区卫生健康局");
        var firmId = await app.OrganisationIdAsync(DemoSeeder.XinCaiYuan);

        var html = await admin.GetStringAsync($"/admin/organisations/{educationId}");
        var parent = html.Split("<select id=\"Input_ParentId\"")[1].Split("</select>")[0];

        Assert.Contains($"<option value=\"{healthId}\">", parent, StringComparison.Ordinal);
        Assert.DoesNotContain(schoolId.ToString(), parent, StringComparison.Ordinal);
        Assert.DoesNotContain(educationId.ToString(), parent, StringComparison.Ordinal);
        Assert.DoesNotContain(firmId.ToString(), parent, StringComparison.Ordinal);

        var school = await admin.GetStringAsync($"/admin/organisations/{schoolId}");
        Assert.Contains($"<option value=\"{educationId}\" selected=\"selected\">", school, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_district_When_filtering_users_and_creating_one_by_typed_name_Then_the_drop_down_selects_it()
    {
        using var admin = await app.SignInAsync("admin");
        var unitId = await app.SocialGovernanceCentreAsync();

        var users = await admin.GetStringAsync("/admin/users?org=" + Uri.EscapeDataString("区社会治理服务中心"));
        var response = await admin.PostFormAsync("/admin/users/new",
            AdminPickerProvinceTests.Fields(AdminForms.User("districttyped", "按简称", Guid.Empty, AdminForms.StrongPassword, Roles.UnitFiller), "区社会治理服务中心"));
        var failed = await admin.PostFormAsync("/admin/users/new",
            AdminPickerProvinceTests.Fields(AdminForms.User("districtbad", "", Guid.Empty, AdminForms.StrongPassword, Roles.UnitFiller), "区社会治理服务中心"));

        Assert.Contains("<select id=\"org\"", users, StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{unitId}\" selected=\"selected\">", users, StringComparison.Ordinal);
        Assert.Contains("张晓燕", users, StringComparison.Ordinal);
        Assert.DoesNotContain("江惠平", users, StringComparison.Ordinal);
        var id = AdminForms.IdFromRedirect(response, "/admin/users/");
        Assert.Equal(unitId, await app.DbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.OrganisationId).SingleAsync()));

        // Another field's error re-renders the form with the typed unit selected.
        var failedHtml = await failed.Content.ReadAsStringAsync();
        Assert.Contains("姓名：必填。", failedHtml, StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{unitId}\" selected=\"selected\">", failedHtml, StringComparison.Ordinal);
    }
}
