using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.SelfEvaluationForm2;

/// <summary>
/// A save refused because someone else saved first names what the other person changed since the page was loaded
/// (from the page's fingerprints of that version), not the user's own edits; fields both changed are named apart.
/// </summary>
public sealed partial class ConflictFieldsTests(AppFixture app) : IClassFixture<AppFixture>
{
    [GeneratedRegex("<div class=\"notice\" role=\"note\" data-testid=\"conflict-fields\">(?<n>.*?)</div>", RegexOptions.Singleline)]
    private static partial Regex ConflictNotice();

    /// <summary>The decoded text of the page's conflict notice; empty without one.</summary>
    internal static string Notice(string html) => WebUtility.HtmlDecode(ConflictNotice().Match(html).Groups["n"].Value);

    [Fact]
    public async Task Given_another_tab_saved_the_executed_amount_When_the_user_saves_an_edited_report_section_Then_only_the_executed_amount_is_named()
    {
        var id = await TextLimitTests.CentreDraftAsync(app);
        using var unit = await app.SignInAsync("unit");
        var (htmlA, fieldsA) = await FormPage.OpenAsync(unit, id);
        var (htmlB, fieldsB) = await FormPage.OpenAsync(unit, id);

        // The other tab posts the whole form with one amount changed: its unchanged fields must not count as changes.
        fieldsB["Input.Executed"] = Executed(fieldsB["Input.Executed"]);
        Assert.Equal(HttpStatusCode.Redirect, (await FormPage.PostAsync(unit, id, htmlB, fieldsB)).StatusCode);

        fieldsA["Input.Report[problems]"] = "我这边写的问题及原因 " + Guid.NewGuid();
        var refused = await FormPage.PostAsync(unit, id, htmlA, fieldsA);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var notice = Notice(await refused.Content.ReadAsStringAsync());
        Assert.Equal("对方修改了：全年执行数。（已换成对方的内容）", Squeezed(notice));
        var shown = FormPage.Fields(await refused.Content.ReadAsStringAsync());
        Assert.Equal(fieldsB["Input.Executed"], shown["Input.Executed"]); // the other's amount, which the user had not touched
        Assert.Equal(fieldsA["Input.Report[problems]"], shown["Input.Report[problems]"]);
        Assert.DoesNotContain("存在的问题及原因", notice, StringComparison.Ordinal);
        Assert.DoesNotContain("双方都修改了", notice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_both_edited_the_same_field_When_the_user_saves_Then_it_is_named_as_changed_by_both_and_the_users_other_edit_is_not_named()
    {
        var id = await TextLimitTests.CentreDraftAsync(app);
        using var unit = await app.SignInAsync("unit");
        var (html, fields) = await FormPage.OpenAsync(unit, id);
        var api = await app.ApiAsync("unit");
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/self-evaluations/{id}/text",
            new { goalsAchieved = "对方写的完成情况 " + Guid.NewGuid(), report = new Dictionary<string, string> { ["basics"] = "对方写的基本情况 " + Guid.NewGuid() }, expectedVersion = await SelfEvaluations.SelfEvaluationApiTests.VersionAsync(api, id) })).StatusCode);

        fields["Input.GoalsAchieved"] = "我写的完成情况 " + Guid.NewGuid();
        fields["Input.Report[other]"] = "我写的其他 " + Guid.NewGuid();
        var refused = await FormPage.PostAsync(unit, id, html, fields);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Equal("对方修改了：自评报告「部门基本情况」。（已换成对方的内容）双方都修改了：全年完成情况（保存将以您的内容为准）。", Squeezed(Notice(page)));
        var shown = FormPage.Fields(page);
        Assert.Equal(fields["Input.GoalsAchieved"], shown["Input.GoalsAchieved"]); // both changed it: the user's text
        Assert.StartsWith("对方写的基本情况 ", shown["Input.Report[basics]"], StringComparison.Ordinal); // only the other did: theirs
        Assert.Equal(fields["Input.Report[other]"], shown["Input.Report[other]"]);
    }

    [Fact]
    public async Task Given_a_refused_save_When_saved_again_Then_the_users_content_is_kept_and_a_third_save_in_between_is_judged_from_the_version_shown()
    {
        var id = await TextLimitTests.CentreDraftAsync(app);
        using var unit = await app.SignInAsync("unit");
        var (html, fields) = await FormPage.OpenAsync(unit, id);
        var api = await app.ApiAsync("unit");
        var mine = "我写的完成情况 " + Guid.NewGuid();
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/self-evaluations/{id}/text", new { goalsAchieved = "对方第一次写的完成情况", expectedVersion = await SelfEvaluations.SelfEvaluationApiTests.VersionAsync(api, id) })).StatusCode);
        fields["Input.GoalsAchieved"] = mine;
        var refused = await FormPage.PostAsync(unit, id, html, fields);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();
        var shown = FormPage.Fields(page);
        var version = await VersionAsync(id);
        Assert.StartsWith(version + ";", shown["Input.Fingerprints"], StringComparison.Ordinal); // describes the stored version now carried

        // Someone saves once more, another field: the page's next save is refused again and names only that field,
        // not 全年完成情况 (the page already showed that change; keeping the user's text there is now the user's own edit).
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/self-evaluations/{id}/text",
            new { report = new Dictionary<string, string> { ["nextSteps"] = "对方第二次写的改进措施 " + Guid.NewGuid() }, expectedVersion = await SelfEvaluations.SelfEvaluationApiTests.VersionAsync(api, id) })).StatusCode);
        var again = await FormPage.PostAsync(unit, id, page, shown);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var againPage = await again.Content.ReadAsStringAsync();
        Assert.Equal("对方修改了：自评报告「下一步改进措施」。（已换成对方的内容）", Squeezed(Notice(againPage)));

        var kept = await FormPage.PostAsync(unit, id, againPage, FormPage.Fields(againPage));

        Assert.Equal(HttpStatusCode.Redirect, kept.StatusCode);
        var stored = await app.DbAsync(db => db.SelfEvaluations.AsNoTracking().SingleAsync(s => s.Id == id));
        Assert.Equal(mine, stored.GoalsAchieved);
        Assert.StartsWith("对方第二次写的改进措施 ", stored.Report.NextSteps, StringComparison.Ordinal); // the user never touched it: the other's stays
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("garbage")]
    [InlineData("other version")]
    [InlineData("field left out")]
    public async Task Given_the_fingerprints_input_missing_or_tampered_When_a_save_is_refused_Then_the_fields_differing_from_the_stored_record_are_named(string tampering)
    {
        var id = await TextLimitTests.CentreDraftAsync(app);
        using var unit = await app.SignInAsync("unit");
        var (html, fields) = await FormPage.OpenAsync(unit, id);
        var api = await app.ApiAsync("unit");
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/self-evaluations/{id}/text", new { goalsPlanned = "对方写的目标 " + Guid.NewGuid(), expectedVersion = await SelfEvaluations.SelfEvaluationApiTests.VersionAsync(api, id) })).StatusCode);
        var original = fields["Input.Fingerprints"];
        Assert.Matches("^[0-9]+(;[A-Za-z.]+=[0-9a-f]{16})+$", original);
        switch (tampering)
        {
            case "missing": fields.Remove("Input.Fingerprints"); break;
            case "garbage": fields["Input.Fingerprints"] = "abc;budget=<script>"; break;
            case "other version": fields["Input.Fingerprints"] = "1" + original[original.IndexOf(';', StringComparison.Ordinal)..]; break;
            default: fields["Input.Fingerprints"] = string.Join(';', original.Split(';').Where(p => !p.StartsWith("goalsPlanned=", StringComparison.Ordinal))); break;
        }

        fields["Input.Report[other]"] = "我写的其他 " + Guid.NewGuid();
        var refused = await FormPage.PostAsync(unit, id, html, fields);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Equal("对方保存的内容与您填写的不同之处：年初设定目标、自评报告「其他」。", Squeezed(Notice(page)));
        var shown = FormPage.Fields(page);
        Assert.StartsWith(await VersionAsync(id) + ";", shown["Input.Fingerprints"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await FormPage.PostAsync(unit, id, page, shown)).StatusCode);
    }

    [Fact]
    public async Task Given_the_other_saved_a_field_and_the_user_edited_another_When_the_user_uploads_Then_only_the_users_own_edit_is_named_as_unsaved()
    {
        var id = await TextLimitTests.CentreDraftAsync(app);
        using var unit = await app.SignInAsync("unit");
        var (html, fields) = await FormPage.OpenAsync(unit, id);
        var api = await app.ApiAsync("unit");
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/self-evaluations/{id}/text", new { goalsPlanned = "对方写的目标 " + Guid.NewGuid(), expectedVersion = await SelfEvaluations.SelfEvaluationApiTests.VersionAsync(api, id) })).StatusCode);

        fields["Input.Report[other]"] = "我写的其他 " + Guid.NewGuid();
        var refused = await UploadAsync(unit, id, html, fields);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var text = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("本页有尚未保存的修改（自评报告「其他」）", text, StringComparison.Ordinal); // not 年初设定目标: that was the other's save
        Assert.Equal(0, await app.DbAsync(db => db.SelfEvaluationAttachments.CountAsync(a => a.SelfEvaluationId == id)));
    }

    [Fact]
    public async Task Given_the_other_saved_and_the_user_edited_nothing_When_the_user_uploads_Then_the_file_is_taken()
    {
        var id = await TextLimitTests.CentreDraftAsync(app);
        using var unit = await app.SignInAsync("unit");
        var (html, fields) = await FormPage.OpenAsync(unit, id);
        var api = await app.ApiAsync("unit");
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/self-evaluations/{id}/text", new { goalsPlanned = "对方写的目标 " + Guid.NewGuid(), expectedVersion = await SelfEvaluations.SelfEvaluationApiTests.VersionAsync(api, id) })).StatusCode);

        var uploaded = await UploadAsync(unit, id, html, fields);

        Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        Assert.Equal(1, await app.DbAsync(db => db.SelfEvaluationAttachments.CountAsync(a => a.SelfEvaluationId == id)));
        var stored = await app.DbAsync(db => db.SelfEvaluations.AsNoTracking().SingleAsync(s => s.Id == id));
        Assert.StartsWith("对方写的目标 ", stored.GoalsPlanned, StringComparison.Ordinal);
    }

    /// <summary>上传 as the browser sends it: the main form's fields with the file.</summary>
    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, Guid id, string html, Dictionary<string, string> fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields.Append(new("__RequestVerificationToken", AppFixture.AntiforgeryToken(html))))
        {
            form.Add(new StringContent(value), name);
        }

        var file = new ByteArrayContent("%PDF-1.4 佐证材料"u8.ToArray());
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "佐证材料.pdf");
        return client.PostAsync($"/self-evaluations/{id}/form?handler=attachment", form);
    }

    private Task<string> VersionAsync(Guid id) =>
        app.DbAsync(async db => (await db.SelfEvaluations.AsNoTracking().Where(s => s.Id == id).Select(s => s.RowVersion).SingleAsync()).ToString(CultureInfo.InvariantCulture));

    /// <summary>An amount different from the given one (which may be blank).</summary>
    private static string Executed(string current) =>
        (decimal.TryParse(current, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d + 1.25m : 12.5m).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>The notice's text without the markup's tags and line breaks.</summary>
    private static string Squeezed(string notice) => Regex.Replace(Regex.Replace(notice, "<[^>]+>", string.Empty), "\\s+", string.Empty);
}
