namespace BudgetEval.Web.Plans;

// By name only: an integer ("fundsRule":5) would be an undefined rule that silently scores linearly.
[System.Text.Json.Serialization.JsonConverter(typeof(Shared.StrictEnumConverter<FundsRule>))]
internal enum FundsRule
{
    Linear,
    Bands,
}

/// <summary>One row of a banded funds rule: an execution rate at or above <see cref="MinRate"/> earns <see cref="Points"/>.</summary>
internal sealed record FundsBand(decimal MinRate, decimal Points);

/// <summary>Grade boundaries: a total at or above a boundary earns that grade (优/良/中), below 中 it is 差.</summary>
internal sealed record GradeBoundaries(decimal Excellent = 90m, decimal Good = 80m, decimal Pass = 60m)
{
    public string Grade(decimal total) =>
        total >= Excellent ? "优" : total >= Good ? "良" : total >= Pass ? "中" : "差";
}

/// <summary>
/// How a plan scores its self-evaluations. The rules belong to the plan (districts differ), so the
/// same form scores differently under different plans; the defaults are the national ones.
/// </summary>
internal sealed record ScoringRules
{
    public decimal FundsWeight { get; init; } = 10m;

    public FundsRule FundsRule { get; init; } = FundsRule.Linear;

    /// <summary>Only for <see cref="FundsRule.Bands"/>; any order, read highest threshold first.</summary>
    public IReadOnlyList<FundsBand> Bands { get; init; } = [];

    public decimal IndicatorTotal { get; init; } = 90m;

    public GradeBoundaries Grades { get; init; } = new();

    public static ScoringRules Default { get; } = new();

    /// <summary>Funds score for an execution rate (a fraction, 0.6934 for 69.34%), two decimals.</summary>
    public decimal FundsScore(decimal rate)
    {
        if (FundsRule == FundsRule.Bands)
        {
            var band = Bands.OrderByDescending(b => b.MinRate).FirstOrDefault(b => rate >= b.MinRate);
            return Money.Round(band?.Points ?? 0m);
        }

        // Execution above 100% is allowed (and warned) but never earns more than the weight.
        return Money.Round(FundsWeight * Math.Min(rate, 1m));
    }

    /// <summary>What is wrong with the rules themselves, in Chinese; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (FundsWeight < 0 || IndicatorTotal < 0)
        {
            problems.Add("分值不能为负数。");
        }

        if (!Enum.IsDefined(FundsRule))
        {
            problems.Add("计分方式（fundsRule）只能是 Linear（按执行率）或 Bands（分档）。");
        }

        if (FundsRule == FundsRule.Bands)
        {
            if (Bands.Count == 0)
            {
                problems.Add("分档计分须至少填写一档。");
            }

            if (Bands.Any(b => b.MinRate < 0 || b.Points < 0 || b.Points > FundsWeight))
            {
                problems.Add("分档的执行率和得分不能为负数，得分不能超过资金分值。");
            }

            if (Bands.GroupBy(b => b.MinRate).Any(g => g.Count() > 1))
            {
                problems.Add("分档的执行率下限不能重复。");
            }
        }

        if (!(Grades.Excellent > Grades.Good && Grades.Good > Grades.Pass && Grades.Pass >= 0))
        {
            problems.Add("等级分数线须满足 优 > 良 > 中 ≥ 0。");
        }

        return problems;
    }
}

/// <summary>万元 with two decimals, half away from zero, everywhere in the product.</summary>
internal static class Money
{
    public static decimal Round(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    public static decimal? Round(decimal? amount) => amount is { } a ? Round(a) : null;

    /// <summary>
    /// An amount as people type it: also with thousands separators (1,412.74, as the product displays it) and
    /// in full-width digits from a Chinese input method (１４１２．７４).
    /// </summary>
    public static bool TryParse(string? text, out decimal amount)
    {
        var plain = new System.Text.StringBuilder();
        foreach (var c in text ?? string.Empty)
        {
            var ch = c is >= '０' and <= '９' ? (char)('0' + (c - '０')) : c switch { '．' => '.', '－' => '-', '＋' => '+', _ => c };
            if (ch is not (',' or '，' or ' ' or '\u3000'))
            {
                plain.Append(ch);
            }
        }

        return decimal.TryParse(plain.ToString(), System.Globalization.NumberStyles.AllowDecimalPoint | System.Globalization.NumberStyles.AllowLeadingSign,
            System.Globalization.CultureInfo.InvariantCulture, out amount);
    }

    /// <summary>A rate as a fraction with four decimals, i.e. a percentage with two (0.6934 = 69.34%).</summary>
    public static decimal RoundRate(decimal rate) => Math.Round(rate, 4, MidpointRounding.AwayFromZero);

    public static string Percent(decimal rate) => (rate * 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + "%";
}
