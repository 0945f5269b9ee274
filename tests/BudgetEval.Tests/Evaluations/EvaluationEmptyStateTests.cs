using BudgetEval.Tests.Admin;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.Evaluations;

/// <summary>A just-commissioned evaluation: an empty table is 未评分 (not 0.00 差), and empty parts say who fills them.</summary>
public sealed class EvaluationEmptyStateTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_commissioned_evaluation_without_scores_When_opened_Then_it_reads_未评分_and_empty_sections_say_so()
    {
        var id = await new EvaluationApi(app).CommissionedAsync(2019);

        var page = System.Net.WebUtility.HtmlDecode(await (await app.SignInAsync("finance")).GetStringAsync($"/evaluations/{id}"));

        Assert.Contains("data-testid=\"grade\">等级：未评分", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"total\">—", page, StringComparison.Ordinal);
        Assert.DoesNotContain("等级：差", page, StringComparison.Ordinal);
        Assert.Contains("暂无问题（由评价机构在评价过程中填写）", page, StringComparison.Ordinal);
        Assert.Contains("（尚未填写，由评价机构撰写）", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_the_no_conflict_box_left_unticked_When_a_member_is_added_Then_the_message_asks_for_the_tick_instead_of_claiming_a_conflict()
    {
        var id = await new EvaluationApi(app).CommissionedAsync(2018);
        var evaluator = await app.SignInAsync("evaluator");

        var forgot = await evaluator.PostFormAsync($"/evaluations/{id}", [new("name", "江惠平"), new("isLead", "true")], $"/evaluations/{id}?handler=Member");
        var declared = await evaluator.PostFormAsync($"/evaluations/{id}", [new("name", "王五"), new("declaration", "本人曾在该单位任职")], $"/evaluations/{id}?handler=Member");

        var forgotText = System.Net.WebUtility.HtmlDecode(await forgot.Content.ReadAsStringAsync());
        Assert.Contains("请勾选「本人声明与评价对象不存在利益冲突」", forgotText, StringComparison.Ordinal);
        Assert.DoesNotContain("江惠平申报", forgotText, StringComparison.Ordinal);
        Assert.Contains("王五申报与评价对象存在利益冲突，不能加入评价组", System.Net.WebUtility.HtmlDecode(await declared.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }
}
