using BudgetEval.Web.Demo;
using BudgetEval.Web.SelfEvaluations.Import;
using BudgetEval.Web.SelfEvaluations.Scoring;

namespace BudgetEval.Tests.SelfEvaluations;

/// <summary>The 2022 望城区社会治理服务中心 table (shared/samples), through the product's own CSV reader.</summary>
internal static class SampleForm
{
    public static FundsFigures Funds { get; } = new(SampleSelfEvaluation.Budget, SampleSelfEvaluation.Executed, SampleSelfEvaluation.UpperTransfer);

    public static IReadOnlyList<IndicatorLine> Indicators()
    {
        var result = IndicatorFile.Read("sample.csv", SampleSelfEvaluation.IndicatorsCsv());
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        return result.Lines;
    }
}
