using System.Globalization;

namespace BudgetEval.Web.Findings;

/// <summary>
/// What a form or API client saw of a finding, as a short hash of everything people edit on it (the bureau's
/// registration and corrections, the unit's plan and result, the deadlines). A save that brings the stamp it
/// loaded is refused when someone else changed the finding since, instead of overwriting their work silently.
/// Computed, not stored: the findings table needs no version column for it.
/// </summary>
internal static class FindingStamp
{
    public const string StaleMessage = "该问题已被他人修改，请刷新页面查看最新内容后重试。";

    public static string Of(Finding f)
    {
        string? Day(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var text = string.Join('\u001f', f.Category, f.Title, f.Detail, f.IndicatorRow, f.Recommendation, f.SourceDocument, Day(f.SourceDate),
            Day(f.Deadline), f.PlanMeasures, f.PlanResponsible, Day(f.PlanDate), f.ResultText, Day(f.RequestedDeadline), Day(f.NextDeadline), f.Status.ToString());
        return Shared.ContentStamp.Of(text);
    }

    /// <summary>True when the caller brought the stamp the finding has now; no stamp never matches (a save must say what it read).</summary>
    public static bool Matches(Finding f, string? stamp) => !string.IsNullOrWhiteSpace(stamp) && string.Equals(stamp.Trim(), Of(f), StringComparison.Ordinal);

    /// <summary>A save without its stamp (refused before anything is written, 400 under <c>stamp</c>), naming the GET that gives it.</summary>
    public static string MissingMessage(Guid id) =>
        $"缺少版本标记 stamp：请先读取该问题（GET /api/findings/{id}）并随保存一并提交，以免覆盖他人的修改。";
}
