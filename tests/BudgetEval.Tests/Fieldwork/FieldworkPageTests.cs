using System.Net;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Admin;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Fieldwork;

/// <summary>
/// The 现场评价工作记录 page as a browser without JavaScript uses it: added records redirect (PRG), a refused form keeps what
/// was typed and names its field, a stale correction keeps the typing and shows the teammate's text, the unit gets 404.
/// </summary>
public sealed partial class FieldworkPageTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly EvaluationApi _api = new(app);

    private static Dictionary<string, string> Form(string date, string content, string kind = "DocumentReview") => new()
    {
        ["kind"] = kind, ["date"] = date, ["subject"] = "2018年度会计凭证第1-120号", ["participants"] = "江惠平", ["content"] = content,
    };

    [Fact]
    public async Task Given_the_firm_on_the_page_When_it_adds_a_record_Then_it_is_redirected_to_the_list_and_the_bureau_finds_it_from_the_evaluation()
    {
        var id = await _api.CommissionedAsync(2018);
        var evaluator = await app.SignInAsync("evaluator");
        var url = $"/evaluations/{id}/fieldwork";

        var added = await evaluator.PostFormAsync(url, Form("2019-04-02", "抽查记账凭证120张，附件齐全。"), url + "?handler=Add");

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var list = await evaluator.GetStringAsync(added.Headers.Location!.OriginalString);
        Assert.Contains("已添加现场评价工作记录。", list, StringComparison.Ordinal);
        Assert.Contains("2019年4月2日", list, StringComparison.Ordinal);

        var finance = await app.SignInAsync("finance");
        var details = await finance.GetStringAsync($"/evaluations/{id}");
        Assert.Matches($"<a href=\"{Regex.Escape(url)}\">1 条</a>", details);
        var bureauPage = await finance.GetStringAsync(url);
        Assert.Contains("抽查记账凭证120张，附件齐全。", bureauPage, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"fieldwork-form\"", bureauPage, StringComparison.Ordinal);

        var unit = await app.SignInAsync("unit");
        Assert.DoesNotContain("现场评价工作记录", await unit.GetStringAsync($"/evaluations/{id}"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await unit.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task Given_a_form_without_date_When_added_Then_the_page_names_the_date_keeps_the_typed_content_and_saves_nothing()
    {
        var id = await _api.CommissionedAsync(2017);
        var evaluator = await app.SignInAsync("evaluator");
        var url = $"/evaluations/{id}/fieldwork";

        var refused = await evaluator.PostFormAsync(url, Form(string.Empty, "询问财务人员报销审批流程。", kind: "Inquiry"), url + "?handler=Add");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("<a href=\"#date\">请填写「日期」。</a>", html, StringComparison.Ordinal);
        Assert.Contains(">询问财务人员报销审批流程。</textarea>", html, StringComparison.Ordinal);
        Assert.Matches("<option value=\"Inquiry\" selected=\"selected\">", html);
        Assert.Equal(0, await app.DbAsync(db => db.FieldworkRecords.IgnoreQueryFilters().CountAsync(r => r.EvaluationId == id)));
    }

    [Fact]
    public async Task Given_a_teammate_saved_the_record_first_When_the_stale_correction_is_posted_Then_409_keeps_the_typing_shows_theirs_and_a_second_save_wins()
    {
        var id = await _api.CommissionedAsync(2016);
        var added = await FieldworkApiTests.AddAsync(await app.ApiAsync("evaluator"), id, FieldworkApiTests.Record(date: "2017-05-20"));
        var recordId = added.GetProperty("id").GetGuid();
        var evaluator = await app.SignInAsync("evaluator");
        var url = $"/evaluations/{id}/fieldwork";
        var editPage = $"{url}?edit={recordId}";
        var form = await evaluator.GetStringAsync(editPage);
        var shownVersion = VersionField().Match(form).Groups[1].Value;

        // The teammate saves in between (through the API, as any other session would).
        var teammate = await app.ApiAsync("evaluator");
        Assert.Equal(HttpStatusCode.OK, (await teammate.PutAsync($"/api/evaluations/{id}/fieldwork/{recordId}", System.Net.Http.Json.JsonContent.Create(new
        {
            kind = "SiteVisit", date = "2017-05-20", subject = "智慧社区项目现场", content = "队友写下的核查结论。", expectedVersion = uint.Parse(shownVersion, System.Globalization.CultureInfo.InvariantCulture),
        }))).StatusCode);

        var fields = Form("2017-05-20", "我写的核查结论。", kind: "SiteVisit");
        fields["recordId"] = recordId.ToString();
        fields["version"] = shownVersion;
        var stale = await evaluator.PostFormAsync(editPage, fields, url + "?handler=Update");

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var html = await stale.Content.ReadAsStringAsync();
        Assert.Contains("该条记录已被他人修改（本次保存未生效）", html, StringComparison.Ordinal);
        Assert.Contains(">我写的核查结论。</textarea>", html, StringComparison.Ordinal);
        Assert.Contains("队友写下的核查结论。", html, StringComparison.Ordinal);
        var newVersion = VersionField().Match(html).Groups[1].Value;
        Assert.NotEqual(shownVersion, newVersion);

        // Having read the teammate's text, saving again is a decision, not an accident: it is kept.
        fields["version"] = newVersion;
        Assert.Equal(HttpStatusCode.Redirect, (await evaluator.PostFormAsync(editPage, fields, url + "?handler=Update")).StatusCode);
        Assert.Equal("我写的核查结论。", await app.DbAsync(db => db.FieldworkRecords.IgnoreQueryFilters().Where(r => r.Id == recordId).Select(r => r.Content).SingleAsync()));
    }

    [GeneratedRegex("name=\"version\" value=\"(\\d+)\" />\\s*<label for=\"kind\">")]
    private static partial Regex VersionField();
}
