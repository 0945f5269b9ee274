using Microsoft.AspNetCore.Html;

namespace BudgetEval.Web.Rectifications;

/// <summary>The mark beside a finding's deadline wherever 逾期 is shown: 逾期, or 已按期报送，待财政核验 instead of it.</summary>
internal static class DeadlineBadge
{
    private static readonly HtmlString Overdue = new("<span class=\"badge late\">逾期</span>");

    private static readonly HtmlString OverdueTagged = new("<span class=\"badge late\" data-testid=\"finding-overdue\">逾期</span>");

    private static readonly HtmlString ReportedOnTime = new(
        $"<span class=\"badge\" data-testid=\"finding-reported-on-time\" title=\"整改结果在整改期限内已报送，财政局正在核验\">{FindingOverdue.ReportedOnTimeLabel}</span>");

    /// <param name="tagged">Whether the 逾期 badge carries its test id (the pages that always had one keep it).</param>
    public static IHtmlContent For(DeadlineMark mark, bool tagged = false) => mark switch
    {
        DeadlineMark.Overdue => tagged ? OverdueTagged : Overdue,
        DeadlineMark.ReportedOnTime => ReportedOnTime,
        _ => HtmlString.Empty,
    };

    /// <summary>The same mark as plain text, for an export's cell (empty when there is none).</summary>
    public static string? Text(DeadlineMark mark) => mark switch
    {
        DeadlineMark.Overdue => "逾期",
        DeadlineMark.ReportedOnTime => FindingOverdue.ReportedOnTimeLabel,
        _ => null,
    };
}
