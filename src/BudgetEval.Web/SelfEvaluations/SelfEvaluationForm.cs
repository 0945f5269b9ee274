using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Plans;
using BudgetEval.Web.SelfEvaluations.Scoring;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.SelfEvaluations;

/// <summary>A self-evaluation with its indicator rows, its plan's rules, and everything computed from them.</summary>
internal sealed record LoadedForm(SelfEvaluation Record, Plan? Plan, string UnitName, ScoringRules Rules, IReadOnlyList<SelfEvaluationIndicator> Rows)
{
    public FundsFigures Funds => new(Record.FundsBudget, Record.FundsExecuted, Record.FundsUpperTransfer);

    public ScoreSheet Sheet(bool submitting = false) => ScoreSheet.Compute(Funds, Rows.Select(r => r.ToLine()).ToList(), Rules, submitting,
        Record.FundsRows.Select(r => (r.Name, new FundsFigures(r.Budget, r.Executed, r.UpperTransfer))).ToList());
}

/// <summary>The rules of the 自评表 that do not depend on HTTP: loading, field validation, replacing rows.</summary>
internal static class SelfEvaluationForm
{
    public const decimal MaxAmount = 1_000_000_000m; // 万元: ten trillion yuan is surely a typo

    public static readonly IReadOnlyDictionary<string, string> FundsFieldLabels = new Dictionary<string, string>
    {
        ["budget"] = "全年预算数",
        ["executed"] = "全年执行数",
        ["upperTransfer"] = "上级财政转移支付",
    };

    /// <summary>Loads through the data scope: out of scope is not found.</summary>
    public static async Task<LoadedForm?> LoadAsync(AppDbContext db, Guid id, CancellationToken ct)
    {
        var se = await db.SelfEvaluations.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (se is null)
        {
            return null;
        }

        var rows = await db.SelfEvaluationIndicators.AsNoTracking().Where(i => i.SelfEvaluationId == id).OrderBy(i => i.SortOrder).ToListAsync(ct);
        var plan = se.PlanId is { } planId ? await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == planId, ct) : null;
        var unit = await db.Organisations.IgnoreQueryFilters().Where(o => o.Id == se.OrganisationId).Select(o => o.Name).SingleAsync(ct);
        return new(se, plan, unit, plan?.Rules ?? ScoringRules.Default, rows);
    }

    /// <summary>Field errors for the funds block, keyed by API field name, messages naming the field in Chinese.</summary>
    public static Dictionary<string, string[]> ValidateFunds(decimal? budget, decimal? executed, decimal? upperTransfer)
    {
        var errors = new Dictionary<string, string[]>();
        void Check(string key, decimal? value, bool required)
        {
            var label = FundsFieldLabels[key];
            if (value is null)
            {
                if (required)
                {
                    errors[key] = [$"请填写「{label}」（万元）。"];
                }
            }
            else if (value < 0)
            {
                errors[key] = [$"「{label}」不能为负数。"];
            }
            else if (value > MaxAmount)
            {
                errors[key] = [$"「{label}」金额过大，请以万元为单位填写。"];
            }
            else if (value != Math.Round(value.Value, 2))
            {
                errors[key] = [$"「{label}」最多保留两位小数（万元）。"];
            }
        }

        Check("budget", budget, required: true);
        Check("executed", executed, required: true);
        Check("upperTransfer", upperTransfer, required: false);
        if (budget == 0 && !errors.ContainsKey("budget"))
        {
            errors["budget"] = ["「全年预算数」为 0，无法计算执行率（(B−C)/A），请填写大于 0 的金额。"];
        }

        if (upperTransfer is { } c && executed is { } b && c > b && !errors.ContainsKey("upperTransfer"))
        {
            errors["upperTransfer"] = ["「上级财政转移支付」不能大于「全年执行数」。"];
        }

        return errors;
    }

    /// <summary>Replaces the whole indicator table (the form, the import and the API all send whole tables).</summary>
    public static async Task ReplaceIndicatorsAsync(AppDbContext db, SelfEvaluation se, IReadOnlyList<IndicatorLine> lines, DateTimeOffset now, CancellationToken ct)
    {
        await db.SelfEvaluationIndicators.Where(i => i.SelfEvaluationId == se.Id).ExecuteDeleteAsync(ct);
        for (var i = 0; i < lines.Count; i++)
        {
            var l = lines[i];
            db.SelfEvaluationIndicators.Add(new SelfEvaluationIndicator
            {
                Id = Guid.CreateVersion7(now),
                SelfEvaluationId = se.Id,
                OrganisationId = se.OrganisationId,
                SortOrder = i + 1,
                Level1 = l.Level1,
                Level2 = l.Level2,
                Level3 = l.Level3,
                Content = l.Content,
                Target = l.Target,
                Actual = l.Actual,
                Weight = Money.Round(l.Weight),
                Score = Money.Round(l.Score),
                Reason = l.Reason,
                Measure = l.Measure,
            });
        }
    }

    /// <summary>Row-level errors that make a table unsavable at all (drafts may be incomplete, but not wrong).</summary>
    public static Dictionary<string, string[]> ValidateLines(IReadOnlyList<IndicatorLine> lines)
    {
        var errors = new List<string>();
        if (lines.Count > Import.IndicatorFile.MaxRows)
        {
            errors.Add($"指标不能超过 {Import.IndicatorFile.MaxRows} 行。");
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var l = lines[i];
            var row = $"第{i + 1}行";
            if (l.Weight is < 0 || l.Score is < 0)
            {
                errors.Add($"{row}的分值和得分不能为负数。");
            }

            if (l.Weight is > 1000 || l.Score is > 1000)
            {
                errors.Add($"{row}的分值或得分过大。");
            }

            if (l.Score is { } s && l.Weight is { } w && s > w)
            {
                errors.Add($"{row}的得分（{s:0.##}）超过分值（{w:0.##}）。");
            }

            if (new[] { l.Level1, l.Level2, l.Level3 }.Any(t => t is { Length: > 200 })
                || new[] { l.Content, l.Target, l.Actual, l.Reason, l.Measure }.Any(t => t is { Length: > 2000 }))
            {
                errors.Add($"{row}的文字过长（指标名称不超过 200 字，其他不超过 2000 字）。");
            }
        }

        return errors.Count > 0 ? new Dictionary<string, string[]> { ["indicators"] = [.. errors] } : [];
    }
}
