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

    /// <summary>年初设定目标 and 全年完成情况: the columns' size, so the page, the API and the import refuse longer text by name.</summary>
    public const int GoalsMaxLength = 20000;

    /// <summary>部门职能概述: the column's size (several paragraphs of the unit's 三定 functions).</summary>
    public const int FunctionsMaxLength = 20000;

    /// <summary>所属独立核算单位个数: a province's biggest department has a few hundred; more is a typo.</summary>
    public const int MaxIndependentUnits = 100_000;

    /// <summary>一级/二级/三级指标: the columns' size (the form, the API and the import share it).</summary>
    public const int IndicatorNameMaxLength = 200;

    /// <summary>The other texts of an indicator row: the columns' size.</summary>
    public const int IndicatorTextMaxLength = 2000;

    /// <summary>The indicator row's texts by API field name, with their column's name and limit.</summary>
    public static readonly IReadOnlyList<(string Field, string Label, int Max)> IndicatorTexts =
    [
        ("level1", "一级指标", IndicatorNameMaxLength), ("level2", "二级指标", IndicatorNameMaxLength), ("level3", "三级指标", IndicatorNameMaxLength),
        ("content", "目标内容", IndicatorTextMaxLength), ("target", "目标值", IndicatorTextMaxLength), ("actual", "完成值", IndicatorTextMaxLength),
        ("reason", "未完成原因", IndicatorTextMaxLength), ("measure", "改进措施", IndicatorTextMaxLength),
    ];

    /// <summary>Each section of the 自评报告: the columns' size.</summary>
    public const int ReportSectionMaxLength = 50000;

    /// <summary>
    /// Each text of the form that is too long, as stored (after <see cref="Shared.TextInput.Block"/>), under its API
    /// field name (<c>goalsPlanned</c>, <c>report.basics</c>), the message naming the field, its limit and the count.
    /// Null texts are not checked (the API leaves them unchanged).
    /// </summary>
    public static Dictionary<string, string[]> ValidateTexts(string? goalsPlanned, string? goalsAchieved, IReadOnlyDictionary<string, string?>? report)
    {
        var errors = new Dictionary<string, string[]>();
        void Check(string key, string label, string? text, int max)
        {
            if (Shared.TextInput.Block(text) is { } stored && stored.Length > max)
            {
                errors[key] = [$"{label}不能超过 {max} 字（现 {stored.Length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} 字）。"];
            }
        }

        Check("goalsPlanned", "「年初设定目标」", goalsPlanned, GoalsMaxLength);
        Check("goalsAchieved", "「全年完成情况」", goalsAchieved, GoalsMaxLength);
        foreach (var (key, label) in SelfEvaluationReport.Sections)
        {
            Check($"report.{key}", $"自评报告「{label}」", report?.GetValueOrDefault(key), ReportSectionMaxLength);
        }

        return errors;
    }

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
            var l = Normalised(lines[i]);
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

    /// <summary>
    /// A row's texts as stored (lengths are checked on this): the indicator names, 目标值 and 完成值 are one line
    /// on the form, 目标内容, 未完成原因 and 改进措施 are text areas.
    /// </summary>
    public static IndicatorLine Normalised(IndicatorLine l) => l with
    {
        Level1 = Shared.TextInput.Line(l.Level1),
        Level2 = Shared.TextInput.Line(l.Level2),
        Level3 = Shared.TextInput.Line(l.Level3),
        Content = Shared.TextInput.Block(l.Content),
        Target = Shared.TextInput.Line(l.Target),
        Actual = Shared.TextInput.Line(l.Actual),
        Reason = Shared.TextInput.Block(l.Reason),
        Measure = Shared.TextInput.Block(l.Measure),
    };

    /// <summary>
    /// Row-level errors that make a table unsavable at all (drafts may be incomplete, but not wrong), each under the
    /// row's field as the API's body names it (<c>indicators[0].score</c>, 0-based); too many rows under <c>indicators</c>.
    /// </summary>
    /// <param name="rowNumbers">The 行号 each line has where the user sees it (the form page, which drops blank rows
    /// in between before checking); null: the lines' own order, as the API's body and the import number them.</param>
    public static Dictionary<string, string[]> ValidateLines(IReadOnlyList<IndicatorLine> lines, IReadOnlyList<int>? rowNumbers = null)
    {
        var errors = new List<Shared.FieldError>();
        if (lines.Count > Import.IndicatorFile.MaxRows)
        {
            errors.Add(new("indicators", $"指标不能超过 {Import.IndicatorFile.MaxRows} 行。"));
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var l = Normalised(lines[i]);
            var row = $"第{(rowNumbers is not null && i < rowNumbers.Count ? rowNumbers[i] : i + 1)}行";
            string Field(string name) => $"indicators[{i}].{name}";
            if (l.Weight is < 0 || l.Score is < 0)
            {
                errors.Add(new(Field(l.Weight is < 0 ? "weight" : "score"), $"{row}的分值和得分不能为负数。"));
            }

            if (l.Weight is > 1000 || l.Score is > 1000)
            {
                errors.Add(new(Field(l.Weight is > 1000 ? "weight" : "score"), $"{row}的分值或得分过大。"));
            }

            if (l.Score is { } s && l.Weight is { } w && s > w)
            {
                errors.Add(new(Field("score"), $"{row}的得分（{s:0.##}）超过分值（{w:0.##}）。"));
            }

            string?[] texts = [l.Level1, l.Level2, l.Level3, l.Content, l.Target, l.Actual, l.Reason, l.Measure];
            foreach (var ((name, label, max), text) in IndicatorTexts.Zip(texts))
            {
                if (text?.Length > max)
                {
                    errors.Add(new(Field(name), $"{row}「{label}」不能超过 {max} 字（现 {text.Length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} 字）。"));
                }
            }
        }

        return Shared.FieldErrors.ByField(errors);
    }
}
