using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.SelfEvaluations;

namespace BudgetEval.Tests.FollowUpPage;

/// <summary>
/// 整改情况说明 saved from two tabs (or two people) at once: only the boxes a user changed are written, a box both
/// changed is refused naming the finding, and a refused save hands back everything typed. Each test works on its own
/// findings of the centre's 2022 draft (seven open 2021 findings), so the tests do not depend on their order.
/// </summary>
public sealed class FollowUpConcurrencyTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_two_tabs_opened_together_When_A_saves_item_3_and_B_then_saves_item_4_Then_both_statements_are_kept()
    {
        var (id, items) = await ListAsync();
        var (third, fourth) = (items[2], items[3]);
        using var unit = await app.SignInAsync("unit");
        var tabA = await FollowUpFormPage.OpenAsync(unit, id);
        var tabB = await FollowUpFormPage.OpenAsync(unit, id); // opened before A saves: item 3 still blank there

        tabA.Statements[third.Id] = "甲：已修订资产管理办法。";
        var savedA = await tabA.PostAsync(unit);
        tabB.Statements[fourth.Id] = "乙：已追回违规资金。";
        var savedB = await tabB.PostAsync(unit);
        var stored = await StatementsAsync(id);

        Assert.Equal(HttpStatusCode.Redirect, savedA.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, savedB.StatusCode);
        Assert.Equal("甲：已修订资产管理办法。", stored[third.Id]);
        Assert.Equal("乙：已追回违规资金。", stored[fourth.Id]);
    }

    [Fact]
    public async Task Given_two_tabs_When_both_change_the_same_item_Then_the_second_is_refused_naming_the_finding_and_keeps_its_text_and_saving_again_replaces_knowingly()
    {
        var (id, items) = await ListAsync();
        var (item, other) = (items[4], items[5]);
        using var unit = await app.SignInAsync("unit");
        var tabA = await FollowUpFormPage.OpenAsync(unit, id);
        var tabB = await FollowUpFormPage.OpenAsync(unit, id);

        tabA.Statements[item.Id] = "甲：已完成整改。";
        Assert.Equal(HttpStatusCode.Redirect, (await tabA.PostAsync(unit)).StatusCode);
        tabB.Statements[item.Id] = "乙：正在整改，预计年底完成。";
        tabB.Statements[other.Id] = "乙：另一项也已落实。";
        var refused = await tabB.PostAsync(unit);
        var html = await refused.Content.ReadAsStringAsync();
        var afterRefusal = await StatementsAsync(id);
        var again = FollowUpFormPage.From(html, tabB.Url);
        var savedAgain = await again.PostAsync(unit);
        var afterAgain = await StatementsAsync(id);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains($"问题「{item.Number} {item.Title}」的整改情况说明在你打开页面后已被他人修改", html, StringComparison.Ordinal);
        Assert.Equal("乙：正在整改，预计年底完成。", again.Statements[item.Id]); // the typed text, not A's
        Assert.Equal("乙：另一项也已落实。", again.Statements[other.Id]);
        Assert.Contains("他人已保存的内容：甲：已完成整改。", Row(html, item.Id), StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", Row(html, item.Id), StringComparison.Ordinal);
        Assert.Equal("甲：已完成整改。", afterRefusal[item.Id]); // nothing of B's save went in
        Assert.False(afterRefusal.ContainsKey(other.Id));
        Assert.Equal(HttpStatusCode.Redirect, savedAgain.StatusCode);
        Assert.Equal("乙：正在整改，预计年底完成。", afterAgain[item.Id]);
        Assert.Equal("乙：另一项也已落实。", afterAgain[other.Id]);
    }

    [Fact]
    public async Task Given_one_item_over_2000_characters_When_saved_from_the_page_Then_refused_naming_the_finding_with_its_length_and_every_typed_box_kept()
    {
        var (id, items) = await ListAsync();
        var (longOne, shortOne) = (items[0], items[1]);
        using var unit = await app.SignInAsync("unit");
        var page = await FollowUpFormPage.OpenAsync(unit, id);
        page.Statements[longOne.Id] = new string('说', 2345);
        page.Statements[shortOne.Id] = "已制定整改方案。";

        var refused = await page.PostAsync(unit);
        var html = await refused.Content.ReadAsStringAsync();
        var shown = FollowUpFormPage.From(html, page.Url);
        var row = Row(html, longOne.Id);
        var stored = await StatementsAsync(id);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains($"问题「{longOne.Number} {longOne.Title}」的整改情况说明不能超过 2000 字（现 2,345 字）。", html, StringComparison.Ordinal);
        Assert.Equal(new string('说', 2345), shown.Statements[longOne.Id]);
        Assert.Equal("已制定整改方案。", shown.Statements[shortOne.Id]);
        Assert.Contains("aria-invalid=\"true\"", row, StringComparison.Ordinal);
        Assert.Contains($"aria-describedby=\"statement-error-{longOne.Id} statement-count-{longOne.Id}\"", row, StringComparison.Ordinal);
        Assert.Matches($"id=\"statement-error-{longOne.Id}\">[^<]*不能超过 2000 字", row);
        Assert.Contains("2,345/2000", row, StringComparison.Ordinal);
        Assert.Contains("aria-required=\"true\"", row, StringComparison.Ordinal);
        Assert.Contains("（须填写）", row, StringComparison.Ordinal); // visible label text, not only a placeholder
        Assert.Contains("data-unsaved=\"true\"", html, StringComparison.Ordinal); // the leave-page guard starts armed
        Assert.False(stored.ContainsKey(shortOne.Id)); // nothing partly saved
        Assert.False(stored.ContainsKey(longOne.Id));
    }

    [Fact]
    public async Task Given_the_api_When_a_stale_blank_is_sent_with_its_stamp_Then_it_is_not_written_and_a_changed_item_changed_by_another_is_409_under_its_field()
    {
        var (id, items) = await ListAsync();
        var (kept, item) = (items[6], items[3]);
        var api = await app.ApiAsync("unit");
        var read = (await EvaluationApi.JsonAsync(api, $"/api/self-evaluations/{id}/follow-up")).EnumerateArray()
            .ToDictionary(i => i.GetProperty("findingId").GetGuid(), i => (Statement: i.GetProperty("statement").GetString(), Stamp: i.GetProperty("stamp").GetString()));
        var saved = await api.PutAsJsonAsync($"/api/self-evaluations/{id}/follow-up",
            new { statements = new Dictionary<Guid, string> { [kept.Id] = "第一位：已落实。" }, stamps = new Dictionary<Guid, string?> { [kept.Id] = read[kept.Id].Stamp } });

        // A client that read before that save sends everything back as it read it, with its own change.
        var stale = read.ToDictionary(r => r.Key, r => r.Value.Statement);
        var staleStamps = read.ToDictionary(r => r.Key, r => r.Value.Stamp);
        stale[item.Id] = "第二位：已整改到位。";
        var second = await api.PutAsJsonAsync($"/api/self-evaluations/{id}/follow-up", new { statements = stale, stamps = staleStamps });
        var afterSecond = await StatementsAsync(id);
        stale[kept.Id] = "第二位：改写第一位的内容。";
        var conflict = await api.PutAsJsonAsync($"/api/self-evaluations/{id}/follow-up", new { statements = stale, stamps = staleStamps });
        using var problem = JsonDocument.Parse(await conflict.Content.ReadAsStringAsync());
        var afterConflict = await StatementsAsync(id);

        Assert.Equal(HttpStatusCode.NoContent, saved.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        Assert.Equal("第一位：已落实。", afterSecond[kept.Id]);
        Assert.Equal("第二位：已整改到位。", afterSecond[item.Id]);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal($"问题「{kept.Number} {kept.Title}」的整改情况说明在你打开页面后已被他人修改，为免覆盖他人的内容，本次保存未生效。请查看他人保存的内容后再保存。",
            Assert.Single(problem.RootElement.GetProperty("errors").GetProperty($"statements.{kept.Id}").EnumerateArray()).GetString());
        Assert.Equal("第一位：已落实。", afterConflict[kept.Id]);
    }

    private sealed record Item(Guid Id, string Number, string Title);

    private async Task<(Guid Id, IReadOnlyList<Item> Items)> ListAsync()
    {
        var unit = await app.ApiAsync("unit");
        var id = await SelfEvaluationApiTests.CentreIdAsync(unit);
        var items = (await EvaluationApi.JsonAsync(unit, $"/api/self-evaluations/{id}/follow-up")).EnumerateArray()
            .Where(i => i.GetProperty("needsStatement").GetBoolean())
            .Select(i => new Item(i.GetProperty("findingId").GetGuid(), i.GetProperty("number").GetString()!, i.GetProperty("title").GetString()!)).ToList();
        Assert.Equal(7, items.Count);
        return (id, items);
    }

    private Task<Dictionary<Guid, string>> StatementsAsync(Guid id) => FollowUpFormPage.StoredAsync(app, id);

    private static string Row(string html, Guid findingId) => FollowUpFormPage.Row(html, findingId);
}
