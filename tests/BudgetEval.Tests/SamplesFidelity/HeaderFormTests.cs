using System.Net;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.SelfEvaluationForm2;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.SamplesFidelity;

/// <summary>所属独立核算单位个数 and 部门职能概述 on the 自评表 page: saved with the form, a bad count refused naming the field, 部门职能概述 required to submit.</summary>
public sealed class HeaderFormTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_the_centre_form_When_the_count_is_not_a_whole_number_Then_the_save_is_refused_naming_the_field_and_nothing_is_saved()
    {
        var id = await SampleHeader.CentreDraftAsync(app);
        var unit = await app.SignInAsync("unit");
        var before = await SampleHeader.StoredAsync(app, id);
        var (html, fields) = await FormPage.OpenAsync(unit, id);
        Assert.True(fields.ContainsKey("Input.IndependentUnits") && fields.ContainsKey("Input.Functions"));

        foreach (var bad in new[] { "abc", "-1", "1.5" })
        {
            fields["Input.IndependentUnits"] = bad;
            fields["Input.Functions"] = "不应保存的职能。";
            var refused = await FormPage.PostAsync(unit, id, html, fields);

            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            var page = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
            Assert.Contains($"「所属独立核算单位个数」“{bad}”不是有效的个数：所属独立核算单位个数须为不小于0的整数。", page, StringComparison.Ordinal);
            Assert.Matches("id=\"independent-units\"[^>]*aria-invalid=\"true\"|aria-invalid=\"true\"[^>]*id=\"independent-units\"", page);
            Assert.Equal(before, await SampleHeader.StoredAsync(app, id));
        }
    }

    [Fact]
    public async Task Given_the_centre_form_When_both_fields_are_saved_Then_they_are_stored_and_a_blank_functions_text_blocks_submission_by_name()
    {
        var id = await SampleHeader.CentreDraftAsync(app);
        var unit = await app.SignInAsync("unit");
        var api = await app.ApiAsync("unit");
        var (html, fields) = await FormPage.OpenAsync(unit, id);
        const string functions = "一、负责全区社会治理网格化体系建设。\n二、负责热线的受理、分派、反馈工作。";

        fields["Input.IndependentUnits"] = "2";
        fields["Input.Functions"] = functions;
        var saved = await FormPage.PostAsync(unit, id, html, fields);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var stored = await SampleHeader.StoredAsync(app, id);
        Assert.Equal(2, stored.Units);
        Assert.Equal(functions, stored.Functions);
        var detail = await SelfEvaluations.SelfEvaluationApiTests.DetailAsync(api, id);
        Assert.DoesNotContain(detail.GetProperty("submissionErrors").EnumerateArray(), e => e.GetString()!.Contains("部门职能概述", StringComparison.Ordinal));

        // A draft may leave them blank; 提交 then names what is missing.
        (html, fields) = await FormPage.OpenAsync(unit, id);
        fields["Input.IndependentUnits"] = "";
        fields["Input.Functions"] = "";
        Assert.Equal(HttpStatusCode.Redirect, (await FormPage.PostAsync(unit, id, html, fields)).StatusCode);
        stored = await SampleHeader.StoredAsync(app, id);
        Assert.Null(stored.Units);
        Assert.Null(stored.Functions);
        var errors = (await SelfEvaluations.SelfEvaluationApiTests.DetailAsync(api, id)).GetProperty("submissionErrors").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("请填写「部门职能概述」。", errors);
        Assert.Contains("请填写「所属独立核算单位个数」（没有则填 0）。", errors);
    }

    [Fact]
    public async Task Given_the_centres_project_form_When_saved_Then_the_header_fields_stay_untouched_and_are_not_required()
    {
        var id = await SampleHeader.CentreProjectAsync(app);
        var unit = await app.SignInAsync("unit");
        var api = await app.ApiAsync("unit");
        var (html, fields) = await FormPage.OpenAsync(unit, id);
        Assert.False(fields.ContainsKey("Input.IndependentUnits"));
        fields["Input.Executed"] = "300"; // the draft has the project's budget only; a save needs both amounts

        Assert.Equal(HttpStatusCode.Redirect, (await FormPage.PostAsync(unit, id, html, fields)).StatusCode);

        var errors = (await SelfEvaluations.SelfEvaluationApiTests.DetailAsync(api, id)).GetProperty("submissionErrors").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.DoesNotContain(errors, e => e.Contains("部门职能概述", StringComparison.Ordinal) || e.Contains("所属独立核算单位个数", StringComparison.Ordinal));
    }
}
