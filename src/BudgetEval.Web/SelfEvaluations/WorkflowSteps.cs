using System.Text.Json;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Workflows;
using BudgetEval.Web.Workflows.Definitions;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.SelfEvaluations;

/// <summary>The guards and effects of 自评审核 read and write the subject through this one lookup.</summary>
internal static class SelfEvaluationSubject
{
    public const string Type = "SelfEvaluation";

    // Found without the data scope: the engine has already checked the actor may act on the case.
    // Compiled once: it runs in every transition of the review flow.
    private static readonly Func<AppDbContext, Guid, CancellationToken, Task<SelfEvaluation>> Load = EF.CompileAsyncQuery(
        (AppDbContext db, Guid id, CancellationToken ct) => db.SelfEvaluations.IgnoreQueryFilters().Single(s => s.Id == id));

    public static async Task<SelfEvaluation> LoadAsync(AppDbContext db, Guid id, CancellationToken ct) =>
        db.SelfEvaluations.Local.FirstOrDefault(s => s.Id == id) ?? await Load(db, id, ct);

    /// <summary>The indicator rows and the scores of a plan's self-evaluation, read inside Fire (no data scope).</summary>
    public static async Task<(List<Scoring.IndicatorLine> Lines, Scoring.ScoreSheet Sheet)> SheetAsync(AppDbContext db, SelfEvaluation se, bool submitting, CancellationToken ct)
    {
        var (id, planId) = (se.Id, se.PlanId); // locals: EF compiles a delegate per call to read se.Id
        var lines = (await db.SelfEvaluationIndicators.IgnoreQueryFilters().Where(i => i.SelfEvaluationId == id).OrderBy(i => i.SortOrder).ToListAsync(ct))
            .Select(r => r.ToLine()).ToList();
        var rules = (await db.Plans.SingleAsync(p => p.Id == planId, ct)).Rules;
        return (lines, Scoring.ScoreSheet.Compute(new(se.FundsBudget, se.FundsExecuted, se.FundsUpperTransfer), lines, rules, submitting));
    }
}

/// <summary>What must be filled before a submission. The full form's checks join here when it exists.</summary>
internal sealed class SelfEvaluationIsComplete : IGuard
{
    public string Name => nameof(SelfEvaluationIsComplete);

    public async Task<IReadOnlyList<FieldError>> CheckAsync(FireContext context, CancellationToken ct) =>
        (await ErrorsAsync(context.Db, await SelfEvaluationSubject.LoadAsync(context.Db, context.Instance.SubjectId, ct), ct)).AboutContent();

    /// <summary>The reasons a submission would be refused; also what the API shows before one (submissionErrors).</summary>
    public static async Task<IReadOnlyList<string>> ErrorsAsync(AppDbContext db, SelfEvaluation se, CancellationToken ct)
    {
        if (se.PlanId is not null)
        {
            return await FormErrorsAsync(db, se, ct);
        }

        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(se.Title))
        {
            errors.Add("请填写自评标题。");
        }

        if (string.IsNullOrWhiteSpace(se.Summary))
        {
            errors.Add("请填写自评概述。");
        }

        if (se.TotalBudget is null)
        {
            errors.Add("请填写全年预算数（万元）。");
        }
        else if (se.TotalBudget < 0)
        {
            errors.Add("全年预算数不能为负数。");
        }

        return errors;
    }

    /// <summary>A plan's form: funds filled, at least one indicator, the checks at submission strength, the report's main sections.</summary>
    private static async Task<IReadOnlyList<string>> FormErrorsAsync(AppDbContext db, SelfEvaluation se, CancellationToken ct)
    {
        var (lines, sheet) = await SelfEvaluationSubject.SheetAsync(db, se, submitting: true, ct);
        var errors = new List<string>();
        if (lines.Count == 0)
        {
            errors.Add("请填写绩效指标。");
        }

        errors.AddRange(sheet.Errors);
        errors.AddRange(HeaderFields.SubmissionErrors(se));
        if (string.IsNullOrWhiteSpace(se.GoalsPlanned) || string.IsNullOrWhiteSpace(se.GoalsAchieved))
        {
            errors.Add("请填写年度总体目标（年初设定目标和全年完成情况）。");
        }

        // Each required section by name, all at once; 整改情况 has its own guard (a statement per earlier finding) and 其他 may stay empty.
        errors.AddRange(SelfEvaluationReport.Sections.Where(x => SelfEvaluationReport.Required.Contains(x.Key) && string.IsNullOrWhiteSpace(se.Report.Get(x.Key)))
            .Select(x => $"请填写自评报告「{x.Label}」。"));
        return errors;
    }
}

/// <summary>Freezes the content as submitted, so the reviewer decides on exactly what they saw and can compare versions.</summary>
internal sealed class SnapshotVersion : IEffect
{
    public const string ItemKey = "snapshot";

    public string Name => nameof(SnapshotVersion);

    public async Task ApplyAsync(FireContext context, CancellationToken ct)
    {
        var se = await SelfEvaluationSubject.LoadAsync(context.Db, context.Instance.SubjectId, ct);
        se.CurrentVersion++;
        se.UpdatedAt = context.Now;
        var content = await SelfEvaluationContent.FromAsync(context.Db, se, context.Item<IReadOnlyList<Rectifications.FollowUpItem>>(Rectifications.FollowUpStated.ItemKey), ct);
        se.SubmittedGrade = content.Grade;
        var version = new SelfEvaluationVersion
        {
            Id = Guid.CreateVersion7(context.Now),
            SelfEvaluationId = se.Id,
            OrganisationId = se.OrganisationId,
            VersionNo = se.CurrentVersion,
            ContentJson = JsonSerializer.Serialize(content, SelfEvaluationContent.Json),
            SubmittedAt = context.Now,
            SubmittedBy = context.Actor.UserId,
            SubmittedByName = context.Actor.DisplayName,
        };
        context.Db.SelfEvaluationVersions.Add(version);
        context.SetItem(ItemKey, version);
    }
}

/// <summary>
/// Late submissions are accepted, never refused: they are only marked 逾期. The record's mark follows its latest
/// submission (a resubmission within a deadline moved later clears it); each frozen version keeps its own.
/// </summary>
internal sealed class MarkLateIfPastDeadline : IEffect
{
    public string Name => nameof(MarkLateIfPastDeadline);

    public async Task ApplyAsync(FireContext context, CancellationToken ct)
    {
        var late = context.Instance.PlanDeadline is { } deadline && context.Today > deadline;
        if (!late && !context.Instance.IsLate)
        {
            return; // on time, as before: nothing to write
        }

        context.Instance.IsLate = late;
        var se = await SelfEvaluationSubject.LoadAsync(context.Db, context.Instance.SubjectId, ct);
        se.IsLate = late;
        if (context.Item<SelfEvaluationVersion>(SnapshotVersion.ItemKey) is { } version)
        {
            version.IsLate = late;
        }
    }
}

/// <summary>Remembers which version the bureau decided on; the next review shows the changes since then.</summary>
internal sealed class MarkReviewed : IEffect
{
    public string Name => nameof(MarkReviewed);

    public async Task ApplyAsync(FireContext context, CancellationToken ct)
    {
        var se = await SelfEvaluationSubject.LoadAsync(context.Db, context.Instance.SubjectId, ct);
        se.LastReviewedVersion = se.CurrentVersion;
    }
}

/// <summary>Mirrors the case state onto the record, for lists and the edit rule (editable in draft and returned only).</summary>
internal sealed class SelfEvaluationStatusMirror : IWorkflowSubject
{
    public string SubjectType => SelfEvaluationSubject.Type;

    public async Task OnStateChangedAsync(AppDbContext db, WorkflowInstance instance, StateDefinition state, CancellationToken ct)
    {
        var se = await SelfEvaluationSubject.LoadAsync(db, instance.SubjectId, ct);
        se.Status = state.Id;
        se.IsLate = instance.IsLate;
        se.UpdatedAt = instance.UpdatedAt;
    }
}

/// <summary>The frozen content of one version; also what the diff compares.</summary>
internal sealed record SelfEvaluationContent(string Title, int FiscalYear, DateOnly Deadline, string? Summary, decimal? TotalBudget,
    decimal? FundsBudget = null, decimal? FundsExecuted = null, decimal? FundsUpperTransfer = null, decimal? TotalScore = null, string? Grade = null,
    string? GoalsPlanned = null, string? GoalsAchieved = null, IReadOnlyList<Scoring.IndicatorLine>? Indicators = null,
    IReadOnlyDictionary<string, string?>? Report = null, IReadOnlyList<FundsSubRow>? FundsRows = null,
    IReadOnlyDictionary<string, string>? FollowUp = null, IReadOnlyList<Rectifications.FollowUpLine>? FollowUpItems = null,
    decimal? ExecutionRate = null, decimal? FundsScore = null, int? IndependentUnits = null, string? Functions = null)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static SelfEvaluationContent From(SelfEvaluation se) => new(se.Title, se.FiscalYear, se.Deadline, se.Summary, se.TotalBudget);

    /// <summary>
    /// Everything the unit filled, with the computed total, so a version can be reviewed and compared on its own.
    /// <paramref name="followUp"/>: the live follow-up list if already read in this Fire (by <c>FollowUpStated</c>).
    /// </summary>
    public static async Task<SelfEvaluationContent> FromAsync(AppDbContext db, SelfEvaluation se, IReadOnlyList<Rectifications.FollowUpItem>? followUp, CancellationToken ct)
    {
        // Every self-evaluation follows up the earlier findings: the list as submitted (which findings, their
        // status then, the statements) is what the print view, the follow-up page and the API show afterwards.
        var common = From(se) with
        {
            FollowUp = await FollowUpStatementsAsync(db, se.Id, ct),
            FollowUpItems = (followUp ?? await Rectifications.FollowUp.ForAsync(db, se, ct)).Select(i => i.Line).ToList(),
        };
        if (se.PlanId is null)
        {
            return common;
        }

        var (lines, sheet) = await SelfEvaluationSubject.SheetAsync(db, se, submitting: false, ct);
        return common with
        {
            FundsBudget = se.FundsBudget,
            FundsExecuted = se.FundsExecuted,
            FundsUpperTransfer = se.FundsUpperTransfer,
            ExecutionRate = sheet.ExecutionRate,
            FundsScore = sheet.FundsScore,
            TotalScore = sheet.TotalScore,
            Grade = sheet.Grade,
            GoalsPlanned = se.GoalsPlanned,
            GoalsAchieved = se.GoalsAchieved,
            Indicators = lines,
            Report = SelfEvaluationReport.Sections.ToDictionary(x => x.Label, x => se.Report.Get(x.Key)),
            FundsRows = se.FundsRows,
            IndependentUnits = HeaderFields.Apply(se) ? se.IndependentUnits : null,
            Functions = HeaderFields.Apply(se) ? se.Functions : null,
        };
    }

    /// <summary>The unit's 整改情况说明, by the finding they are about ("number title").</summary>
    private static async Task<IReadOnlyDictionary<string, string>> FollowUpStatementsAsync(AppDbContext db, Guid selfEvaluationId, CancellationToken ct) =>
        await db.FindingStatements.IgnoreQueryFilters().Where(s => s.SelfEvaluationId == selfEvaluationId)
            .Join(db.Findings.IgnoreQueryFilters(), s => s.FindingId, f => f.Id, (s, f) => new { Finding = f.Number + " " + f.Title, s.Statement })
            .ToDictionaryAsync(x => x.Finding, x => x.Statement, ct);

    public static SelfEvaluationContent? Parse(string json) => JsonSerializer.Deserialize<SelfEvaluationContent>(json, Json);

    /// <summary>Field label, old text, new text for every field that changed.</summary>
    public static IReadOnlyList<(string Field, string Old, string New)> Diff(SelfEvaluationContent? old, SelfEvaluationContent now)
    {
        var rows = new List<(string, string, string)>();
        void Compare(string label, string? a, string? b)
        {
            if (!string.Equals(a ?? string.Empty, b ?? string.Empty, StringComparison.Ordinal))
            {
                rows.Add((label, a ?? string.Empty, b ?? string.Empty));
            }
        }

        Compare("标题", old?.Title, now.Title);
        Compare("年度", old?.FiscalYear.ToString(System.Globalization.CultureInfo.InvariantCulture), now.FiscalYear.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Compare("截止日期", old is null ? null : Shared.ChineseFormat.Date(old.Deadline), Shared.ChineseFormat.Date(now.Deadline));
        Compare("自评概述", old?.Summary, now.Summary);
        Compare(HeaderFields.UnitsLabel, old?.IndependentUnits?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            now.IndependentUnits?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Compare("全年预算数（万元）", old?.TotalBudget is { } a ? Shared.ChineseFormat.Money(a) : null, now.TotalBudget is { } b ? Shared.ChineseFormat.Money(b) : null);
        static string? Amount(decimal? d) => d is { } x ? Shared.ChineseFormat.Money(x) : null;
        Compare("全年预算数 A（万元）", Amount(old?.FundsBudget), Amount(now.FundsBudget));
        Compare("全年执行数 B（万元）", Amount(old?.FundsExecuted), Amount(now.FundsExecuted));
        Compare("上级财政转移支付 C（万元）", Amount(old?.FundsUpperTransfer), Amount(now.FundsUpperTransfer));
        // The rate and the funds score follow from A, B, C under the plan's rule; a reviewer reads them, not the
        // formula. Versions frozen before they were kept have none: nothing to compare with, rather than "all new".
        if (old is null || old.FundsScore is not null)
        {
            Compare("执行率", old?.ExecutionRate is { } r0 ? Plans.Money.Percent(r0) : null, now.ExecutionRate is { } r1 ? Plans.Money.Percent(r1) : null);
            Compare("资金得分", old?.FundsScore?.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), now.FundsScore?.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));
        }

        Compare("总分", old?.TotalScore?.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), now.TotalScore?.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));
        Compare("等级", old?.Grade, now.Grade);
        Compare(HeaderFields.FunctionsLabel, old?.Functions, now.Functions);
        Compare("年初设定目标", old?.GoalsPlanned, now.GoalsPlanned);
        Compare("全年完成情况", old?.GoalsAchieved, now.GoalsAchieved);
        static string Line(Scoring.IndicatorLine l) =>
            $"{l.Level1}/{l.Level2}/{l.Level3} {l.Content}：目标 {l.Target}，完成 {l.Actual}，分值 {l.Weight:0.##}，得分 {l.Score:0.##}"
            + (l.Reason is null ? string.Empty : $"；原因 {l.Reason}") + (l.Measure is null ? string.Empty : $"；措施 {l.Measure}");
        CompareRows(rows, "指标", [.. (old?.Indicators ?? []).Select(Line)], [.. (now.Indicators ?? []).Select(Line)]);

        foreach (var (_, label) in SelfEvaluationReport.Sections)
        {
            Compare($"自评报告·{label}", old?.Report?.GetValueOrDefault(label), now.Report?.GetValueOrDefault(label));
        }

        // Versions frozen before these were kept have none: nothing to compare with, rather than "all new".
        if (old is null || old.FundsRows is not null)
        {
            static string Row(FundsSubRow r) =>
                $"{r.Name}：预算 {Amount(r.Budget)}，执行 {Amount(r.Executed)}" + (r.UpperTransfer is { } c ? $"，上级转移支付 {Amount(c)}" : string.Empty);
            CompareRows(rows, "资金明细", [.. (old?.FundsRows ?? []).Select(Row)], [.. (now.FundsRows ?? []).Select(Row)]);
        }

        if (old is null || old.FollowUp is not null)
        {
            var (oldStatements, newStatements) = (old?.FollowUp ?? new Dictionary<string, string>(), now.FollowUp ?? new Dictionary<string, string>());
            foreach (var finding in oldStatements.Keys.Union(newStatements.Keys).Order(StringComparer.Ordinal))
            {
                Compare($"整改情况说明·{finding}", oldStatements.GetValueOrDefault(finding), newStatements.GetValueOrDefault(finding));
            }
        }

        return rows;
    }

    /// <summary>
    /// The changes between two tables of rows (indicators, funds sub-rows). Rows are lined up first by what stayed the
    /// same (longest common subsequence), so a row inserted or deleted near the top is one added or removed row, not
    /// every row below it shown as changed; what is left between two unchanged rows is paired in order as changed
    /// rows, the surplus on either side being added or removed. Each change is named by its row number on the new
    /// table (and the old one where it moved), a removed row by its old number.
    /// </summary>
    private static void CompareRows(List<(string, string, string)> changes, string table, IReadOnlyList<string> old, IReadOnlyList<string> now)
    {
        // lcs[i, j]: length of the common subsequence of old[i..] and now[j..].
        var lcs = new int[old.Count + 1, now.Count + 1];
        for (var i = old.Count - 1; i >= 0; i--)
        {
            for (var j = now.Count - 1; j >= 0; j--)
            {
                lcs[i, j] = string.Equals(old[i], now[j], StringComparison.Ordinal) ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var (oi, ni) = (0, 0);
        var (gapOld, gapNew) = (new List<int>(), new List<int>());
        void Flush()
        {
            for (var k = 0; k < Math.Max(gapOld.Count, gapNew.Count); k++)
            {
                if (k < gapOld.Count && k < gapNew.Count)
                {
                    var (o, n) = (gapOld[k], gapNew[k]);
                    changes.Add((o == n ? $"{table}第{n + 1}行" : $"{table}第{n + 1}行（原第{o + 1}行）", old[o], now[n]));
                }
                else if (k < gapNew.Count)
                {
                    changes.Add(($"{table}第{gapNew[k] + 1}行（新增）", string.Empty, now[gapNew[k]]));
                }
                else
                {
                    changes.Add(($"{table}原第{gapOld[k] + 1}行（已删除）", old[gapOld[k]], string.Empty));
                }
            }

            gapOld.Clear();
            gapNew.Clear();
        }

        while (oi < old.Count || ni < now.Count)
        {
            if (oi < old.Count && ni < now.Count && string.Equals(old[oi], now[ni], StringComparison.Ordinal))
            {
                Flush();
                (oi, ni) = (oi + 1, ni + 1);
            }
            else if (ni < now.Count && (oi == old.Count || lcs[oi, ni + 1] >= lcs[oi + 1, ni]))
            {
                gapNew.Add(ni++);
            }
            else
            {
                gapOld.Add(oi++);
            }
        }

        Flush();
    }
}
