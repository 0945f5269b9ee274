using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.SelfEvaluations;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.SamplesFidelity;

/// <summary>The header fields are part of every submitted version, and the reviewer's 版本差异 lists a change to them.</summary>
public sealed class HeaderSnapshotTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_the_centre_form_When_its_content_is_frozen_Then_the_version_carries_both_fields_and_reads_back()
    {
        var id = await SampleHeader.CentreDraftAsync(app);

        var json = await app.DbAsync(async db =>
        {
            var se = await db.SelfEvaluations.IgnoreQueryFilters().SingleAsync(s => s.Id == id);
            var content = await SelfEvaluationContent.FromAsync(db, se, [], CancellationToken.None);
            return System.Text.Json.JsonSerializer.Serialize(content, SelfEvaluationContent.Json);
        });

        var parsed = SelfEvaluationContent.Parse(json)!;
        Assert.Equal(SampleHeader.IndependentUnits, parsed.IndependentUnits);
        Assert.Equal(SampleHeader.Functions, parsed.Functions);
        Assert.Contains("\"independentUnits\":0", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_resubmission_that_changed_the_functions_and_the_count_When_compared_Then_both_are_listed_by_their_chinese_names()
    {
        var first = new SelfEvaluationContent("2022年度部门整体支出绩效自评", 2022, new DateOnly(2023, 2, 28), null, null,
            IndependentUnits: 0, Functions: SampleHeader.Functions, GoalsPlanned: "目标");
        var second = first with { IndependentUnits = 1, Functions = SampleHeader.Functions + "五、新增职能。" };

        var diff = SelfEvaluationContent.Diff(first, second);

        Assert.Equal(
            [
                ("所属独立核算单位个数", "0", "1"),
                ("部门职能概述", SampleHeader.Functions, SampleHeader.Functions + "五、新增职能。"),
            ],
            diff);
        Assert.Empty(SelfEvaluationContent.Diff(first, first with { }));
    }

    [Fact]
    public void Given_two_versions_When_only_the_funds_changed_Then_the_header_fields_are_not_listed()
    {
        var first = new SelfEvaluationContent("t", 2022, new DateOnly(2023, 2, 28), null, null, FundsBudget: 1412.74m, IndependentUnits: 0, Functions: SampleHeader.Functions);

        var diff = SelfEvaluationContent.Diff(first, first with { FundsBudget = 1400m });

        Assert.Equal(["全年预算数 A（万元）"], diff.Select(d => d.Field));
    }
}
