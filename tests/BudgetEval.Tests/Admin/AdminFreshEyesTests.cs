using System.Globalization;
using System.Net;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Organisations;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Admin;

/// <summary>What a new administrator met on the admin pages (the fresh-eyes review), each kept fixed.</summary>
public class AdminFreshEyesTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_credit_code_in_use_When_another_organisation_is_saved_with_it_Then_it_is_refused_naming_the_holder_and_the_holder_keeps_it()
    {
        using var admin = await app.SignInAsync("admin");
        const string code = "12430112MB7654321X";
        var holder = await admin.PostFormAsync("/admin/organisations/new", AdminForms.Organisation("长沙市望城区信用代码测试甲", creditCode: code));
        var holderId = AdminForms.IdFromRedirect(holder, "/admin/organisations/");

        var second = await admin.PostFormAsync("/admin/organisations/new", AdminForms.Organisation("长沙市望城区信用代码测试乙", creditCode: code));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains($"统一社会信用代码：“{code}”已是“长沙市望城区信用代码测试甲”的统一社会信用代码。", WebUtility.HtmlDecode(await second.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(1, await app.DbAsync(db => db.Organisations.IgnoreQueryFilters().CountAsync(o => o.CreditCode == code)));

        // Saving the holder itself with its own code is no conflict.
        var page = $"/admin/organisations/{holderId}";
        var version = uint.Parse(AdminForms.HiddenValue(await admin.GetStringAsync(page), "Input.RowVersion"), CultureInfo.InvariantCulture);
        var fields = AdminForms.Organisation("长沙市望城区信用代码测试甲", rowVersion: version, creditCode: code);
        fields["Input.ContactPerson"] = "改过的联系人";
        var saved = await admin.PostFormAsync(page, fields);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("改过的联系人", await app.DbAsync(db => db.Organisations.Where(o => o.Id == holderId).Select(o => o.ContactPerson).SingleAsync()));
    }

    [Fact]
    public async Task Given_a_category_name_that_exists_When_added_Then_the_refusal_keeps_the_typed_name_in_the_field()
    {
        using var admin = await app.SignInAsync("admin");
        var before = await app.DbAsync(db => db.FindingCategories.CountAsync());

        var response = await admin.PostFormAsync("/admin/finding-categories", new Dictionary<string, string> { ["name"] = "财务管理" }, "/admin/finding-categories?handler=add");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("已有类别“财务管理”", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Matches("<input type=\"text\" id=\"name\" name=\"name\" maxlength=\"50\" value=\"财务管理\" aria-invalid=\"true\"", html);
        Assert.Equal(before, await app.DbAsync(db => db.FindingCategories.CountAsync()));
    }

    [Fact]
    public async Task Given_an_organisation_with_users_When_deactivated_Then_the_administrator_is_told_how_many_can_no_longer_sign_in()
    {
        using var admin = await app.SignInAsync("admin");
        var orgId = await admin.CreateOrganisationAsync("长沙市望城区停用提示测试单位");
        await admin.CreateUserAsync("deact.one", orgId, BudgetEval.Web.Users.Roles.UnitFiller);
        await admin.CreateUserAsync("deact.two", orgId, BudgetEval.Web.Users.Roles.UnitHead);
        var page = $"/admin/organisations/{orgId}";
        var html = await admin.GetStringAsync(page);
        Assert.Contains("停用后，该机构的用户无法登录", html, StringComparison.Ordinal);
        var version = uint.Parse(AdminForms.HiddenValue(html, "Input.RowVersion"), CultureInfo.InvariantCulture);
        var fields = AdminForms.Organisation("长沙市望城区停用提示测试单位", rowVersion: version);
        fields.Remove("Input.IsActive"); // the box unticked

        var saved = await admin.PostFormAsync(page, fields);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("已停用机构“长沙市望城区停用提示测试单位”：该机构的 2 个用户将无法登录，已登录的会话随之失效。",
            WebUtility.HtmlDecode(await admin.GetStringAsync(page)), StringComparison.Ordinal);
        Assert.False(await app.DbAsync(db => db.Organisations.IgnoreQueryFilters().Where(o => o.Id == orgId).Select(o => o.IsActive).SingleAsync()));
    }

    [Fact]
    public async Task Given_the_calendar_page_When_its_example_is_pasted_as_shown_Then_it_is_in_Chinese_and_imports()
    {
        using var admin = await app.SignInAsync("admin");
        var html = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/calendar?year=2031"));
        var hint = System.Text.RegularExpressions.Regex.Match(html, "data-testid=\"calendar-format\">(.*?)</p>").Groups[1].Value;
        Assert.Contains("<code>2031-10-01,放假,国庆节</code>", hint, StringComparison.Ordinal);
        Assert.DoesNotContain("holiday（", hint, StringComparison.Ordinal);

        var imported = await admin.PostFormAsync("/admin/calendar?year=2031",
            new Dictionary<string, string> { ["csv"] = "2031-10-01,放假,国庆节\n2031-10-11,调休上班,国庆节调休上班\n" }, "/admin/calendar?year=2031&handler=import");

        Assert.Equal(HttpStatusCode.Redirect, imported.StatusCode);
        Assert.Equal(2, await app.DbAsync(db => db.CalendarDays.CountAsync(d => d.Date.Year == 2031)));
    }

    [Fact]
    public async Task Given_a_short_name_two_units_share_When_typed_in_a_picker_Then_the_message_asks_for_a_full_name_and_a_full_name_that_is_also_a_short_name_picks_its_unit()
    {
        using var admin = await app.SignInAsync("admin");
        async Task<Guid> CreateAsync(string name, string shortName)
        {
            var fields = AdminForms.Organisation(name);
            fields["Input.ShortName"] = shortName;
            return AdminForms.IdFromRedirect(await admin.PostFormAsync("/admin/organisations/new", fields), "/admin/organisations/");
        }

        // Units without a 统一社会信用代码: asking for one (the old message) left the administrator stuck.
        await CreateAsync("长沙市望城区同简称甲中心", "区同简称中心");
        await CreateAsync("长沙市望城区同简称乙中心", "区同简称中心");
        var full = await CreateAsync("区全称即简称中心", "区全称甲");
        await CreateAsync("长沙市望城区另一中心", "区全称即简称中心");

        var shared = await app.DbAsync(db => OrganisationPicker.ResolveAsync(db.Organisations, "区同简称中心", CancellationToken.None));
        var byFullName = await app.DbAsync(db => OrganisationPicker.ResolveAsync(db.Organisations, "区全称即简称中心", CancellationToken.None));

        Assert.Null(shared.Id);
        Assert.Equal("「区同简称中心」对应 2 个单位（长沙市望城区同简称乙中心、长沙市望城区同简称甲中心），请改填其中一个的全称或统一社会信用代码。", shared.Error);
        Assert.Equal(full, byFullName.Id);
    }
}
