using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.SelfEvaluations;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.SelfEvaluationForm2;

/// <summary>Two tabs on one 自评表: a save after someone else's is shown again and can then be kept on purpose; attachments never conflict with the fields.</summary>
public sealed class ConflictTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_another_save_in_between_When_the_page_saves_Then_409_with_the_users_text_and_the_others_field_taken_over_and_saving_again_keeps_both()
    {
        var id = await TextLimitTests.CentreDraftAsync(app);
        using var unit = await app.SignInAsync("unit");
        var (html, fields) = await FormPage.OpenAsync(unit, id);

        var api = await app.ApiAsync("unit");
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/self-evaluations/{id}/text", new { goalsAchieved = "他人写入的完成情况", expectedVersion = await SelfEvaluations.SelfEvaluationApiTests.VersionAsync(api, id) })).StatusCode);

        fields["Input.Report[performance]"] = "我写的绩效情况";
        var refused = await FormPage.PostAsync(unit, id, html, fields);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();
        var decoded = WebUtility.HtmlDecode(page);
        Assert.Contains(FormModel.MergedMessage, decoded, StringComparison.Ordinal);
        Assert.Contains("对方修改了：全年完成情况。（已换成对方的内容）", decoded, StringComparison.Ordinal); // the user's own 绩效情况 is not the other's change
        Assert.DoesNotContain("绩效情况", ConflictFieldsTests.Notice(page), StringComparison.Ordinal);
        var shown = FormPage.Fields(page);
        Assert.Equal("我写的绩效情况", shown["Input.Report[performance]"]);
        // The user left 全年完成情况 as loaded: the page now shows the other's text there, so saving again does not undo it.
        Assert.NotEqual(fields["Input.GoalsAchieved"], shown["Input.GoalsAchieved"]);
        Assert.Equal("他人写入的完成情况", shown["Input.GoalsAchieved"]);
        var current = await app.DbAsync(db => db.SelfEvaluations.AsNoTracking().Where(s => s.Id == id).Select(s => s.RowVersion).SingleAsync());
        Assert.Equal(current.ToString(System.Globalization.CultureInfo.InvariantCulture), shown["Input.ExpectedVersion"]);
        Assert.NotEqual(fields["Input.ExpectedVersion"], shown["Input.ExpectedVersion"]);

        var kept = await FormPage.PostAsync(unit, id, page, shown);

        Assert.Equal(HttpStatusCode.Redirect, kept.StatusCode);
        var stored = await app.DbAsync(db => db.SelfEvaluations.AsNoTracking().SingleAsync(s => s.Id == id));
        Assert.Equal("我写的绩效情况", stored.Report.Performance);
        Assert.Equal("他人写入的完成情况", stored.GoalsAchieved);
    }

    [Fact]
    public async Task Given_an_attachment_uploaded_and_one_deleted_in_another_tab_When_the_first_tab_saves_Then_it_is_saved_and_the_api_version_is_unchanged()
    {
        var id = await TextLimitTests.CentreDraftAsync(app);
        using var unit = await app.SignInAsync("unit");
        var (html, fields) = await FormPage.OpenAsync(unit, id);
        var api = await app.ApiAsync("unit");
        var before = await app.DbAsync(db => db.SelfEvaluations.AsNoTracking().Where(s => s.Id == id).Select(s => s.RowVersion).SingleAsync());

        using (var form = new MultipartFormDataContent())
        {
            var file = new ByteArrayContent("%PDF-1.4 佐证材料"u8.ToArray());
            file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            form.Add(file, "file", "佐证材料.pdf");
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsync($"/api/self-evaluations/{id}/attachments", form)).StatusCode);
        }

        var other = await UploadAsync(unit, id, "另一份.pdf");
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
        var otherId = await app.DbAsync(db => db.SelfEvaluationAttachments.Where(a => a.SelfEvaluationId == id && a.FileName == "另一份.pdf").Select(a => a.Id).SingleAsync());
        Assert.Equal(HttpStatusCode.OK, (await api.DeleteAsync($"/api/self-evaluations/{id}/attachments/{otherId}")).StatusCode);
        Assert.Equal(before, await app.DbAsync(db => db.SelfEvaluations.AsNoTracking().Where(s => s.Id == id).Select(s => s.RowVersion).SingleAsync()));

        fields["Input.Report[other]"] = "上传附件后在原页面保存";
        var saved = await FormPage.PostAsync(unit, id, html, fields);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("上传附件后在原页面保存", await app.DbAsync(db => db.SelfEvaluations.AsNoTracking().Where(s => s.Id == id).Select(s => s.Report.Other).SingleAsync()));
        Assert.Equal(["佐证材料.pdf"], await app.DbAsync(db => db.SelfEvaluationAttachments.Where(a => a.SelfEvaluationId == id).Select(a => a.FileName).ToListAsync()));
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, Guid id, string fileName)
    {
        var page = await client.GetStringAsync($"/self-evaluations/{id}/form");
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(AppFixture.AntiforgeryToken(page)), "__RequestVerificationToken");
        var file = new ByteArrayContent("%PDF-1.4 另一份"u8.ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", fileName);
        return await client.PostAsync($"/self-evaluations/{id}/form?handler=attachment", form);
    }
}
