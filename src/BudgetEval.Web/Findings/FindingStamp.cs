using System.Globalization;
using System.Security.Cryptography;
using System.Text;

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
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    /// <summary>True when the caller brought no stamp (older API clients) or the one the finding has now.</summary>
    public static bool Matches(Finding f, string? stamp) => string.IsNullOrWhiteSpace(stamp) || string.Equals(stamp.Trim(), Of(f), StringComparison.Ordinal);
}
