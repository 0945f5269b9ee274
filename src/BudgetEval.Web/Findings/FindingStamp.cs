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

    /// <summary>
    /// A page's date form (部分整改的新整改期限) refused because the finding changed since the page was opened: names
    /// the field and what it holds now, as the typed date stays in the form; <paramref name="button"/> is what sends it
    /// again (保存, 「部分整改」), which then overwrites knowingly with the page's new stamp.
    /// </summary>
    public static string DateChangedMessage(string label, DateOnly? now, string button) =>
        $"该问题在您打开页面后已被他人修改（本次{button}未生效）：「{label}」现为{(now is { } d ? Shared.ChineseFormat.Date(d) : "空")}。"
        + $"您填写的日期仍保留在表单中，核对后再次点击{button}将以您填写的日期为准。";

    /// <summary>A page's form sent without its stamp (a page older than the stamp, or a crafted post): nothing is saved.</summary>
    public const string PageMissingMessage = "页面缺少版本标记（stamp），本次保存未生效，请刷新页面后重试。";

    /// <summary>A save without its stamp (refused before anything is written, 400 under <c>stamp</c>), naming the GET that gives it.</summary>
    public static string MissingMessage(Guid id) =>
        $"缺少版本标记 stamp：请先读取该问题（GET /api/findings/{id}）并随保存一并提交，以免覆盖他人的修改。";
}
