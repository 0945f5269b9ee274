using System.Net;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Users;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Admin;

public class OrganisationAdminTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_admin_When_creating_an_organisation_and_a_user_with_a_fitting_role_Then_the_user_can_log_in()
    {
        using var admin = await app.SignInAsync("admin");

        var orgId = await admin.CreateOrganisationAsync("长沙市望城区测试新建单位");
        var userId = await admin.CreateUserAsync("newfiller", orgId, Roles.UnitFiller);

        var org = await app.DbAsync(db => db.Organisations.SingleAsync(o => o.Id == orgId));
        Assert.Equal(OrganisationKind.BudgetUnit, org.Kind);
        Assert.True(org.IsActive);
        var roles = await app.DbAsync(db => db.UserRoles.Where(r => r.UserId == userId).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name).ToListAsync());
        Assert.Equal([Roles.UnitFiller], roles);

        using var user = await app.SignInAsync("newfiller", AdminForms.StrongPassword);
        Assert.Equal(HttpStatusCode.Redirect, (await user.ChooseOwnPasswordAsync()).StatusCode);
        var home = await user.GetStringAsync("/");
        Assert.Contains("测试用户newfiller", home, StringComparison.Ordinal);
        Assert.Contains("长沙市望城区测试新建单位", home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_existing_name_When_creating_an_organisation_Then_it_is_refused_and_nothing_is_saved()
    {
        using var admin = await app.SignInAsync("admin");

        var response = await admin.PostFormAsync("/admin/organisations/new", AdminForms.Organisation(DemoSeeder.EducationBureau));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"名称：已存在名为“{DemoSeeder.EducationBureau}”的机构。", html, StringComparison.Ordinal);
        Assert.Equal(1, await app.DbAsync(db => db.Organisations.CountAsync(o => o.Name == DemoSeeder.EducationBureau)));
    }

    [Fact]
    public async Task Given_missing_and_malformed_fields_When_creating_an_organisation_Then_each_field_is_named_and_nothing_is_saved()
    {
        using var admin = await app.SignInAsync("admin");
        var before = await app.DbAsync(db => db.Organisations.CountAsync());
        var fields = AdminForms.Organisation("", creditCode: "91430100abc");
        fields["Input.Kind"] = "";

        var response = await admin.PostFormAsync("/admin/organisations/new", fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("名称：必填。", html, StringComparison.Ordinal);
        Assert.Contains("类别：必选。", html, StringComparison.Ordinal);
        Assert.Contains("统一社会信用代码：应为 18 位数字或大写字母。", html, StringComparison.Ordinal);
        Assert.Equal(before, await app.DbAsync(db => db.Organisations.CountAsync()));
    }

    [Fact]
    public async Task Given_a_valid_credit_code_and_a_parent_When_creating_a_budget_unit_Then_both_are_stored()
    {
        using var admin = await app.SignInAsync("admin");
        var parentId = await app.OrganisationIdAsync(DemoSeeder.EducationBureau);

        var response = await admin.PostFormAsync("/admin/organisations/new",
            AdminForms.Organisation("长沙市望城区第二中学", parentId: parentId.ToString(), creditCode: "12430112MB1234567X"));

        var id = AdminForms.IdFromRedirect(response, "/admin/organisations/");
        var org = await app.DbAsync(db => db.Organisations.SingleAsync(o => o.Id == id));
        Assert.Equal(parentId, org.ParentId);
        Assert.Equal("12430112MB1234567X", org.CreditCode);
    }

    [Fact]
    public async Task Given_a_supervising_department_When_choosing_its_own_subordinate_as_its_parent_Then_the_cycle_is_refused()
    {
        using var admin = await app.SignInAsync("admin");
        var educationId = await app.OrganisationIdAsync(DemoSeeder.EducationBureau);
        var schoolId = await app.OrganisationIdAsync("长沙市望城区第一中学");
        var page = $"/admin/organisations/{educationId}";
        var html = await admin.GetStringAsync(page);
        var version = uint.Parse(AdminForms.HiddenValue(html, "Input.RowVersion"), System.Globalization.CultureInfo.InvariantCulture);

        var cycle = await admin.PostFormAsync(page, AdminForms.Organisation(DemoSeeder.EducationBureau, rowVersion: version, parentId: schoolId.ToString()));
        var itself = await admin.PostFormAsync(page, AdminForms.Organisation(DemoSeeder.EducationBureau, rowVersion: version, parentId: educationId.ToString()));

        Assert.Contains("主管部门：不能选择本机构的下属单位（会形成循环）。", await cycle.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("主管部门：不能选择机构自身。", await itself.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await app.DbAsync(db => db.Organisations.Where(o => o.Id == educationId).Select(o => o.ParentId).SingleAsync()));
    }

    [Fact]
    public async Task Given_an_organisation_with_users_When_changing_its_kind_Then_it_is_refused()
    {
        using var admin = await app.SignInAsync("admin");
        var firmId = await app.OrganisationIdAsync(DemoSeeder.XinCaiYuan);
        var page = $"/admin/organisations/{firmId}";
        var version = uint.Parse(AdminForms.HiddenValue(await admin.GetStringAsync(page), "Input.RowVersion"), System.Globalization.CultureInfo.InvariantCulture);

        var response = await admin.PostFormAsync(page, AdminForms.Organisation(DemoSeeder.XinCaiYuan, kind: "BudgetUnit", rowVersion: version));

        Assert.Contains("类别：该机构已有用户，不能更改类别。", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(OrganisationKind.EvaluationFirm, await app.DbAsync(db => db.Organisations.Where(o => o.Id == firmId).Select(o => o.Kind).SingleAsync()));
    }

    [Fact]
    public async Task Given_signed_in_users_of_an_organisation_When_the_admin_deactivates_it_Then_their_cookies_and_tokens_stop_working()
    {
        using var admin = await app.SignInAsync("admin");
        var id = await admin.CreateOrganisationAsync("长沙市望城区停用测试单位");
        await admin.CreateUserAsync("retiring", id, Roles.UnitFiller);
        using var browser = await app.SignInAsync("retiring", AdminForms.StrongPassword);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.ChooseOwnPasswordAsync()).StatusCode);
        using var api = app.Anonymous();
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await app.TokenAsync("retiring", AdminForms.OwnPassword));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/inbox")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/inbox")).StatusCode);

        var page = $"/admin/organisations/{id}";
        var form = AdminForms.Organisation("长沙市望城区停用测试单位", rowVersion: uint.Parse(AdminForms.HiddenValue(await admin.GetStringAsync(page), "Input.RowVersion"), System.Globalization.CultureInfo.InvariantCulture));
        form["Input.IsActive"] = "false";
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync(page, form)).StatusCode);

        await app.Clock.LaterAsync(TimeSpan.FromMinutes(2), async () => // past the security stamp validation interval
        {
            var home = await browser.GetAsync("/inbox");
            Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
            Assert.StartsWith("/login", home.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/inbox")).StatusCode);
        });
    }

    [Fact]
    public async Task Given_a_stale_row_version_When_editing_an_organisation_Then_the_conflict_is_shown_and_the_other_edit_is_kept()
    {
        using var admin = await app.SignInAsync("admin");
        var id = await admin.CreateOrganisationAsync("长沙市望城区并发测试单位");
        var page = $"/admin/organisations/{id}";
        var staleVersion = uint.Parse(AdminForms.HiddenValue(await admin.GetStringAsync(page), "Input.RowVersion"), System.Globalization.CultureInfo.InvariantCulture);

        // Someone else saves first, from a fresh form.
        var first = AdminForms.Organisation("长沙市望城区并发测试单位", rowVersion: staleVersion);
        first["Input.ContactPerson"] = "先保存的人";
        var ok = await admin.PostFormAsync(page, first);
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);

        // The second editor still holds the old version.
        var second = AdminForms.Organisation("长沙市望城区并发测试单位-改名", rowVersion: staleVersion);
        second["Input.ContactPerson"] = "后保存的人";
        var conflict = await admin.PostFormAsync(page, second);

        Assert.Equal(HttpStatusCode.OK, conflict.StatusCode);
        Assert.Contains("该机构已被他人修改，请刷新后重新编辑。", await conflict.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var stored = await app.DbAsync(db => db.Organisations.AsNoTracking().SingleAsync(o => o.Id == id));
        Assert.Equal("长沙市望城区并发测试单位", stored.Name);
        Assert.Equal("先保存的人", stored.ContactPerson);
        Assert.NotEqual(staleVersion, stored.RowVersion);
    }

    [Fact]
    public async Task Given_an_organisation_name_with_a_script_tag_When_listing_and_editing_Then_it_is_rendered_escaped()
    {
        using var admin = await app.SignInAsync("admin");
        const string name = "恶意单位<script>alert(1)</script>";
        var id = await admin.CreateOrganisationAsync(name, "EvaluationFirm");

        var list = await admin.GetStringAsync("/admin/organisations?kind=EvaluationFirm");
        var edit = await admin.GetStringAsync($"/admin/organisations/{id}");

        foreach (var html in new[] { list, edit })
        {
            Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
            Assert.Contains("恶意单位&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Given_organisations_of_every_kind_When_filtering_by_kind_and_name_Then_only_matching_ones_are_listed()
    {
        using var admin = await app.SignInAsync("admin");

        var firms = await admin.GetStringAsync("/admin/organisations?kind=EvaluationFirm");
        var search = await admin.GetStringAsync("/admin/organisations?q=" + Uri.EscapeDataString("教育"));

        Assert.Contains(DemoSeeder.XinCaiYuan, firms, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoSeeder.EducationBureau, firms, StringComparison.Ordinal);
        Assert.Contains(DemoSeeder.EducationBureau, search, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoSeeder.XinCaiYuan, search, StringComparison.Ordinal);
    }
}
