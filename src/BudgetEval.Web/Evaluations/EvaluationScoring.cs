using BudgetEval.Web.Plans;

namespace BudgetEval.Web.Evaluations;

internal sealed record GroupSubtotal(string Name, decimal Weight, decimal Score);

/// <summary>The table's arithmetic: subtotals per level-1 group, total, grade, and what still keeps it from being complete.</summary>
internal sealed record EvaluationScoreSheet(IReadOnlyList<GroupSubtotal> Groups, decimal WeightTotal, decimal Total, string Grade, IReadOnlyList<string> Incomplete)
{
    public const decimal FullWeight = 100m;

    public static EvaluationScoreSheet Compute(IReadOnlyList<ScoreRow> rows, IReadOnlyList<string> groupOrder, GradeBoundaries grades)
    {
        var groups = groupOrder.Concat(rows.Select(r => r.Level1)).Distinct()
            .Select(g => new GroupSubtotal(g,
                Money.Round(rows.Where(r => r.Level1 == g).Sum(r => r.Weight)),
                Money.Round(rows.Where(r => r.Level1 == g).Sum(r => r.Score ?? 0m))))
            .ToList();
        var weight = Money.Round(groups.Sum(g => g.Weight));
        var total = Money.Round(groups.Sum(g => g.Score));
        return new(groups, weight, total, grades.Grade(total), Check(rows, weight));
    }

    /// <summary>What blocks handing the table on (guard ScoresComplete): every row scored, 评分说明 below full marks, weights 100.</summary>
    private static List<string> Check(IReadOnlyList<ScoreRow> rows, decimal weight)
    {
        var problems = new List<string>();
        if (rows.Count == 0)
        {
            problems.Add("评分表没有指标行。");
            return problems;
        }

        if (weight != FullWeight)
        {
            problems.Add($"各指标分值合计为 {weight:0.##}，应为 100。");
        }

        foreach (var row in rows)
        {
            if (row.NotApplicable || row.Weight == 0m)
            {
                if (string.IsNullOrWhiteSpace(row.Note) && string.IsNullOrWhiteSpace(row.MovedTo))
                {
                    problems.Add($"「{row.Level3}」不适用，须在评分说明中写明分值调至哪项指标。");
                }

                continue;
            }

            if (row.Score is not { } score)
            {
                problems.Add($"「{row.Level3}」尚未评分。");
            }
            else if (score > row.Weight)
            {
                problems.Add($"「{row.Level3}」得分 {score:0.##} 超过分值 {row.Weight:0.##}。");
            }
            else if (score < row.Weight && string.IsNullOrWhiteSpace(row.Note))
            {
                problems.Add($"「{row.Level3}」未得满分，须填写评分说明。");
            }
        }

        return problems;
    }
}

/// <summary>
/// The total and grade as a score table shows them (the evaluation page, the replaced firm's record): a grade only for a
/// finished table; before any score the total reads — and the grade 未评分, not 0.00 差.
/// </summary>
internal static class ScoreTotalText
{
    public static (string Total, string Grade) Of(IReadOnlyList<ScoreRow> rows, decimal total, string grade)
    {
        var unscored = rows.Count(r => r.Score is null && !r.NotApplicable);
        var scoredNone = unscored == rows.Count(r => !r.NotApplicable);
        return (scoredNone ? "—" : total.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
            scoredNone ? "等级：未评分" : unscored > 0 ? $"等级：—（尚有{unscored}项未评分）" : $"等级：{grade}");
    }
}
