using BudgetEval.Web.Evaluations;
using BudgetEval.Web.Rectifications;

namespace BudgetEval.Web.Workflows;

/// <summary>
/// Where a case's subject is worked on. The case page holds the flow and its actions; the content an action's
/// conditions ask for (a firm, scores, an evidence file) is entered on the subject's own page, one click away.
/// </summary>
internal static class CaseSubjectLinks
{
    /// <param name="Name">The page as a refusal names it: 请在「评价页面」中填写后再办理。</param>
    internal sealed record Link(string Href, string Label, string TestId, string Name);

    public static Link? For(string subjectType, Guid subjectId) => subjectType switch
    {
        RectificationCases.SubjectType => new($"/findings/{subjectId}", "问题及整改情况（整改方案、结果、佐证材料）", "case-finding", "问题页面"),
        EvaluationSubject.Type => new($"/evaluations/{subjectId}", "评价页面（委托评价机构、评价组、评分、报告、存在的问题）", "case-evaluation", "评价页面"),
        _ => null, // a self-evaluation's content, with its links, is shown on the case page itself
    };
}
