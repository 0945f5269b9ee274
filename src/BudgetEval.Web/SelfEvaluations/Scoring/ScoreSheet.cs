using BudgetEval.Web.Plans;

namespace BudgetEval.Web.SelfEvaluations.Scoring;

/// <summary>One row of the indicator table as the scoring sees it (what the form, the import and the export share).</summary>
internal sealed record IndicatorLine(
    string? Level1,
    string? Level2,
    string? Level3,
    string? Content,
    string? Target,
    string? Actual,
    decimal? Weight,
    decimal? Score,
    string? Reason,
    string? Measure);

/// <summary>The funds block: 全年预算数 A, 全年执行数 B, 上级财政转移支付 C (万元).</summary>
internal sealed record FundsFigures(decimal? Budget, decimal? Executed, decimal? UpperTransfer)
{
    /// <summary>(B−C)/A as a fraction with four decimals, or null while A is missing or zero.</summary>
    public decimal? ExecutionRate => Budget is > 0 && Executed is { } b
        ? Money.RoundRate((b - (UpperTransfer ?? 0m)) / Budget.Value)
        : null;

    /// <summary>The rate as every view shows it, flagged above 100% (empty while it cannot be computed).</summary>
    public string RateText => ExecutionRate is { } r ? Money.Percent(r) + (r > 1m ? "（超过100%）" : string.Empty) : string.Empty;
}

internal enum CheckSeverity
{
    Warning,
    Error,
}

internal sealed record CheckMessage(CheckSeverity Severity, string Message);

/// <summary>
/// Everything computed from a form under a plan's rules: rates, scores, grade, target readings and
/// the checks. Pure: the page, the API, the export and the submission guard all call <see cref="Compute"/>.
/// </summary>
internal sealed record ScoreSheet(
    decimal? ExecutionRate,
    decimal FundsScore,
    decimal IndicatorWeightTotal,
    decimal IndicatorScore,
    decimal TotalScore,
    string Grade,
    IReadOnlyList<TargetReading> Readings,
    IReadOnlyList<CheckMessage> Checks)
{
    public IEnumerable<string> Warnings => Checks.Where(c => c.Severity == CheckSeverity.Warning).Select(c => c.Message);

    public IEnumerable<string> Errors => Checks.Where(c => c.Severity == CheckSeverity.Error).Select(c => c.Message);

    /// <param name="submitting">At submission some drafting warnings become errors (weights total, missing reasons).</param>
    /// <param name="fundsRows">资金明细 (e.g. 基本支出, 项目支出): only checked, their total is in <paramref name="funds"/>.</param>
    public static ScoreSheet Compute(FundsFigures funds, IReadOnlyList<IndicatorLine> lines, ScoringRules rules, bool submitting,
        IReadOnlyList<(string Name, FundsFigures Figures)>? fundsRows = null)
    {
        var checks = new List<CheckMessage>();
        void Add(bool error, string message) => checks.Add(new(error ? CheckSeverity.Error : CheckSeverity.Warning, message));

        CheckFunds(funds, submitting, Add);
        foreach (var (rowName, figures) in fundsRows ?? [])
        {
            if (figures.ExecutionRate is > 1m)
            {
                Add(false, $"资金明细「{rowName}」执行率 {Money.Percent(figures.ExecutionRate.Value)} 超过 100%，请核实执行数。");
            }
        }

        var rate = funds.ExecutionRate;
        var fundsScore = rate is { } r ? rules.FundsScore(r) : 0m;

        var readings = new List<TargetReading>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            // 目标内容 names the row: in the official table 三级指标 is often a project shared by many rows.
            var name = $"第{i + 1}行指标「{line.Content ?? line.Level3 ?? line.Level2 ?? line.Level1}」";
            var reading = TargetReader.Read(line.Target, line.Actual);
            readings.Add(reading);
            if (line.Weight is < 0 || line.Score is < 0)
            {
                Add(true, $"{name}的分值和得分不能为负数。");
            }

            if (line.Score is { } s && line.Weight is { } w && s > w)
            {
                Add(true, $"{name}的得分（{s:0.##}）超过分值（{w:0.##}）。");
            }

            if (line.Weight is > 0 && line.Score is null)
            {
                Add(submitting, $"{name}尚未填写得分。");
            }

            if (reading.Outcome == TargetOutcome.NotMet)
            {
                if (string.IsNullOrWhiteSpace(line.Reason) || string.IsNullOrWhiteSpace(line.Measure))
                {
                    Add(submitting, $"{name}未达成目标，须填写未完成原因和改进措施。");
                }

                if (line.Weight is > 0 && line.Score == line.Weight)
                {
                    Add(false, $"{name}未达成目标却得满分，请核实。");
                }
            }
        }

        var weightTotal = Money.Round(lines.Sum(l => l.Weight ?? 0m));
        if (weightTotal != rules.IndicatorTotal)
        {
            Add(submitting, $"指标分值合计为 {weightTotal:0.##}，应为 {rules.IndicatorTotal:0.##}。");
        }

        var indicatorScore = Money.Round(lines.Sum(l => l.Score ?? 0m));
        var total = Money.Round(fundsScore + indicatorScore);
        return new(rate, fundsScore, weightTotal, indicatorScore, total, rules.Grades.Grade(total), readings, checks);
    }

    private static void CheckFunds(FundsFigures funds, bool submitting, Action<bool, string> add)
    {
        if (funds.Budget is null || funds.Executed is null)
        {
            add(submitting, "资金情况尚未填写全年预算数和全年执行数。");
        }
        else if (funds.Budget == 0)
        {
            add(true, "全年预算数为 0，无法计算执行率。");
        }

        if (funds.Budget is < 0 || funds.Executed is < 0 || funds.UpperTransfer is < 0)
        {
            add(true, "资金金额不能为负数。");
        }

        if (funds.ExecutionRate is > 1m)
        {
            add(false, $"执行率 {Money.Percent(funds.ExecutionRate.Value)} 超过 100%，请核实执行数。");
        }
    }
}
