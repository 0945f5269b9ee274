using System.Net;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Admin;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.Accessibility;

/// <summary>Server-rendered accessibility: refused posts name and link the fields, the layout's skip link and landmarks.</summary>
public sealed partial class AccessibilityPageTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_finding_without_title_and_year_When_registered_Then_the_error_box_is_inside_the_form_and_links_each_message_to_its_field()
    {
        using var finance = await app.SignInAsync("finance");
        var refused = await finance.PostFormAsync("/findings", new Dictionary<string, string>
        {
            ["organisationId"] = "", ["year"] = "2025年", ["source"] = "Audit", ["sourceDocument"] = "湘审〔2025〕9号", ["category"] = "财务管理",
            ["title"] = "", ["detail"] = "审计发现。",
        });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();

        var form = FormMarkup().Match(html);
        Assert.True(form.Success, "the register form is on the page");
        var box = ErrorBox().Match(form.Value);
        Assert.True(box.Success, "the error box is inside the register form, marked as the page's error summary");
        var text = WebUtility.HtmlDecode(box.Value);
        Assert.Matches("<a href=\"#title\">[^<]*「问题」", text);
        Assert.Matches("<a href=\"#year\">年度：[^<]*2025年", text); // a year that does not bind, named by the form's label
        Assert.Matches("<a href=\"#organisationId\">[^<]*责任单位", text);
        Assert.DoesNotContain("请填写「年度」", text, StringComparison.Ordinal); // not repeated as missing
        Assert.Matches("id=\"title\"[^>]*aria-invalid=\"true\"[^>]*aria-describedby=\"register-error-\\d+\"", form.Value);
        Assert.Matches("id=\"year\"[^>]*aria-invalid=\"true\"", form.Value);
        Assert.DoesNotMatch("id=\"detail\"[^>]*aria-invalid", form.Value);
        Assert.Contains("问题（必填）</label>", WebUtility.HtmlDecode(form.Value), StringComparison.Ordinal);

        // The list's own filter errors are not mixed in: nothing above the list claims the registration failed.
        var beforeForm = html[..form.Index];
        Assert.DoesNotContain("role=\"alert\"", beforeForm, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_new_user_without_name_When_saved_Then_the_message_links_to_the_field_and_the_picker_keeps_its_visible_label()
    {
        using var admin = await app.SignInAsync("admin");
        var refused = await admin.PostFormAsync("/admin/users/new", new Dictionary<string, string>
        {
            ["Input.UserName"] = "a11y-user", ["Input.DisplayName"] = "", ["Input.Email"] = "", ["Input.OrganisationId"] = "", ["Input.Password"] = AdminForms.StrongPassword,
        });
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());

        Assert.Matches("data-error-summary[^>]*>[\\s\\S]*<a href=\"#Input_DisplayName\">姓名：", html);
        Assert.Matches("id=\"Input_DisplayName\"[^>]*aria-invalid=\"true\"[^>]*aria-describedby=\"admin-error-\\d+", html);
        Assert.Contains("<label for=\"Input_OrganisationId\">所属单位（必填）</label>", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("id=\"Input_OrganisationId\"[^>]*aria-label=", html);
    }

    [Fact]
    public async Task Given_any_page_When_rendered_Then_the_skip_link_comes_first_and_the_current_nav_item_is_marked()
    {
        using var finance = await app.SignInAsync("finance");
        var html = await finance.GetStringAsync("/findings");

        var body = html[html.IndexOf("<body>", StringComparison.Ordinal)..];
        Assert.Matches("^<body>\\s*<a class=\"skip-link\" href=\"#main\">", body);
        Assert.Contains("<main class=\"content\" id=\"main\" tabindex=\"-1\">", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/findings\" aria-current=\"page\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<a href=\"/inbox\" aria-current", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("<form method=\"post\" class=\"stack card\" id=\"register\">[\\s\\S]*?</form>")]
    private static partial Regex FormMarkup();

    [GeneratedRegex("<div class=\"errors\" role=\"alert\" id=\"register-errors\" data-error-summary[\\s\\S]*?</div>")]
    private static partial Regex ErrorBox();
}
