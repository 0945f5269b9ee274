using BudgetEval.Web.Evaluations;

namespace BudgetEval.Tests.Evaluations;

/// <summary>The templates a firm starts from: any unit's evaluation, so generic rows with their scoring rules.</summary>
public sealed class EvaluationTemplateTests
{
    public static TheoryData<string> Keys => new(EvaluationTemplates.All.Select(t => t.Key));

    [Theory]
    [MemberData(nameof(Keys))]
    public void Given_a_template_When_read_Then_weights_total_100_in_its_four_groups_and_every_row_has_评分要点_and_评分标准(string key)
    {
        var template = EvaluationTemplates.Find(key)!;

        Assert.Equal(100m, template.Rows.Sum(r => r.Weight));
        Assert.Equal(template.Groups, template.Rows.Select(r => r.Level1).Distinct());
        Assert.All(template.Rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Points) || string.IsNullOrWhiteSpace(r.Standard), r.Level3));
        Assert.Equal(template.Rows.Count, template.Rows.Select(r => r.Level3).Distinct().Count());
    }

    [Fact]
    public void Given_the_department_wide_template_When_read_Then_it_holds_generic_indicators_not_one_centres_own()
    {
        var names = EvaluationTemplates.Default.Rows.Select(r => r.Level3).ToList();

        Assert.DoesNotContain(names, n => new[] { "体系建设", "网格化管理", "评优考核", "工单处理", "治理平台建设及应用", "试点智慧社区建设", "及时性", "完成率" }.Contains(n));
        Assert.Contains("重点工作完成率", names);
        Assert.Contains("问题整改情况", names); // RectificationProposal reads this row
        Assert.Equal([9m, 31m, 40m, 20m], EvaluationTemplates.Default.Groups.Select(g => EvaluationTemplates.Default.Rows.Where(r => r.Level1 == g).Sum(r => r.Weight)));
    }
}
