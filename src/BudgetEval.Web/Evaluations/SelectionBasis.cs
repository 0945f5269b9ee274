using BudgetEval.Web.SelfEvaluations.Scoring;
using BudgetEval.Web.Shared;

namespace BudgetEval.Web.Evaluations;

/// <summary>The figures of a unit's self-evaluation of the year that a selection is weighed against.</summary>
internal sealed record SelfEvaluationFigures(decimal? FundsBudget, decimal? FundsExecuted, decimal? FundsUpperTransfer, string? SubmittedGrade);

/// <summary>
/// What the 财政局领导's approval of a target rests on: its budget (the one given at selection, else the self-evaluation's),
/// the execution rate and the grade the unit submitted. The approval box shows it, and the 待审批 notice and the case's
/// first history line carry it, so the lead can decide from the mail too.
/// </summary>
internal sealed record SelectionBasis(decimal? Budget, string Rate, string Grade)
{
    public static SelectionBasis Of(decimal? budget, SelfEvaluationFigures? self) => new(
        budget ?? self?.FundsBudget,
        self is { } f && new FundsFigures(f.FundsBudget, f.FundsExecuted, f.FundsUpperTransfer).RateText is { Length: > 0 } rate ? rate : "—",
        self is null ? "无自评" : self.SubmittedGrade ?? "未提交");

    /// <summary>E.g. 选定理由：执行率偏低。预算1,412.74万元；本年度自评：执行率69.34%，等级优。</summary>
    public string Describe(string reason) =>
        $"选定理由：{reason.TrimEnd('。')}。预算{(Budget is { } b ? ChineseFormat.Money(b) + "万元" : "未填")}；"
        + (Grade == "无自评" ? "本年度无自评。" : $"本年度自评：执行率{Rate}，等级{Grade}。");
}
