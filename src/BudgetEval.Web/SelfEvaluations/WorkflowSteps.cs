using System.Text.Json;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Workflows;
using BudgetEval.Web.Workflows.Definitions;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.SelfEvaluations;

/// <summary>The guards and effects of 自评审核 read and write the subject through this one lookup.</summary>
internal static class SelfEvaluationSubject
{
    public const string Type = "SelfEvaluation";

    // Found without the data scope: the engine has already checked the actor may act on the case.
    public static async Task<SelfEvaluation> LoadAsync(AppDbContext db, Guid id, CancellationToken ct) =>
        db.SelfEvaluations.Local.FirstOrDefault(s => s.Id == id)
            ?? await db.SelfEvaluations.IgnoreQueryFilters().SingleAsync(s => s.Id == id, ct);
}

/// <summary>What must be filled before a submission. The full form's checks join here when it exists.</summary>
internal sealed class SelfEvaluationIsComplete : IGuard
{
    public string Name => nameof(SelfEvaluationIsComplete);

    public async Task<IReadOnlyList<string>> CheckAsync(FireContext context, CancellationToken ct)
    {
        var se = await SelfEvaluationSubject.LoadAsync(context.Db, context.Instance.SubjectId, ct);
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
        var version = new SelfEvaluationVersion
        {
            Id = Guid.CreateVersion7(context.Now),
            SelfEvaluationId = se.Id,
            OrganisationId = se.OrganisationId,
            VersionNo = se.CurrentVersion,
            ContentJson = JsonSerializer.Serialize(SelfEvaluationContent.From(se), SelfEvaluationContent.Json),
            SubmittedAt = context.Now,
            SubmittedBy = context.Actor.UserId,
            SubmittedByName = context.Actor.DisplayName,
        };
        context.Db.SelfEvaluationVersions.Add(version);
        context.SetItem(ItemKey, version);
    }
}

/// <summary>Late submissions are accepted, never refused: they are only marked 逾期.</summary>
internal sealed class MarkLateIfPastDeadline : IEffect
{
    public string Name => nameof(MarkLateIfPastDeadline);

    public async Task ApplyAsync(FireContext context, CancellationToken ct)
    {
        if (context.Instance.PlanDeadline is not { } deadline || context.Today <= deadline)
        {
            return;
        }

        context.Instance.IsLate = true;
        var se = await SelfEvaluationSubject.LoadAsync(context.Db, context.Instance.SubjectId, ct);
        se.IsLate = true;
        if (context.Item<SelfEvaluationVersion>(SnapshotVersion.ItemKey) is { } version)
        {
            version.IsLate = true;
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
internal sealed record SelfEvaluationContent(string Title, int FiscalYear, DateOnly Deadline, string? Summary, decimal? TotalBudget)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static SelfEvaluationContent From(SelfEvaluation se) => new(se.Title, se.FiscalYear, se.Deadline, se.Summary, se.TotalBudget);

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
        Compare("全年预算数（万元）", old?.TotalBudget is { } a ? Shared.ChineseFormat.Money(a) : null, now.TotalBudget is { } b ? Shared.ChineseFormat.Money(b) : null);
        return rows;
    }
}
