using BudgetEval.Web.Findings;
using BudgetEval.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Evaluations;

/// <summary>
/// The proposed score of the indicator 问题整改情况 from the findings register: every finding of the unit
/// from the three years before the evaluated one, closed (已整改, or 无法整改 accepted by the bureau) or
/// not. All closed (or none found) → full marks; some → half; none → zero — the sample's 2 / 1 / 0 on a
/// 2-point row. The evaluator may score otherwise; below full marks the 评分说明 says why.
/// </summary>
internal sealed record RectificationProposal(string Indicator, decimal Weight, decimal Score, int Total, int Closed, IReadOnlyList<Finding> Findings)
{
    public const string IndicatorName = "问题整改情况";

    public static async Task<RectificationProposal?> ForAsync(AppDbContext db, Evaluation e, CancellationToken ct)
    {
        var row = e.Rows.FirstOrDefault(r => r.Level3 == IndicatorName && !r.NotApplicable);
        if (row is null)
        {
            return null;
        }

        var findings = await db.Findings.IgnoreQueryFilters().AsNoTracking()
            .Where(f => f.OrganisationId == e.OrganisationId && f.FiscalYear < e.FiscalYear && f.FiscalYear >= e.FiscalYear - 3)
            .OrderBy(f => f.FiscalYear).ThenBy(f => f.Number)
            .ToListAsync(ct);
        var closed = findings.Count(f => f.Status is FindingStatus.Rectified or FindingStatus.Unrectifiable);
        var score = findings.Count == closed ? row.Weight
            : closed == 0 ? 0m
            : Math.Round(row.Weight / 2, 2, MidpointRounding.AwayFromZero);
        return new RectificationProposal(row.Level3, row.Weight, score, findings.Count, closed, findings);
    }
}
