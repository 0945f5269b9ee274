using System.Globalization;
using BudgetEval.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.SelfEvaluations;

/// <summary>
/// The two header fields of the 部门整体自评表 that the paper form always has and a project's 自评表 does not:
/// 所属独立核算单位个数 (beside the unit's name) and 部门职能概述 (between 资金情况 and 年度总体目标). The form, the
/// API and the Excel import check them here, so each names the field the same way.
/// </summary>
internal static class HeaderFields
{
    public const string UnitsLabel = "所属独立核算单位个数";

    public const string FunctionsLabel = "部门职能概述";

    /// <summary>The message for a count that is not a whole number ≥ 0 (the field is named; the caller adds where).</summary>
    public const string UnitsMessage = $"{UnitsLabel}须为不小于0的整数";

    /// <summary>Whether a record has these fields: a plan's 部门整体 self-evaluation (a project's form and the early hand-made records do not).</summary>
    public static bool Apply(SelfEvaluation se) => se.PlanId is not null && se.Kind == Plans.EvaluationKind.DepartmentWide;

    /// <summary>
    /// Reads a typed count: blank is null (not filled), a whole number 0 … <see cref="SelfEvaluationForm.MaxIndependentUnits"/>
    /// is taken (full-width digits as typed by a Chinese IME too), anything else is refused with <see cref="UnitsMessage"/>.
    /// </summary>
    public static bool TryParseUnits(string? text, out int? units)
    {
        units = null;
        var t = Shared.TextInput.Narrow(Shared.TextInput.Line(text));
        if (t is null)
        {
            return true;
        }

        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= SelfEvaluationForm.MaxIndependentUnits)
        {
            units = n;
            return true;
        }

        return false;
    }

    /// <summary>A count given as a number (the API): whole, not negative, not absurd.</summary>
    public static bool Valid(int units) => units is >= 0 and <= SelfEvaluationForm.MaxIndependentUnits;

    /// <summary>The 部门职能概述 too long, as stored, or null.</summary>
    public static string? FunctionsProblem(string? functions) =>
        Shared.TextInput.Block(functions) is { } stored && stored.Length > SelfEvaluationForm.FunctionsMaxLength
            ? $"「{FunctionsLabel}」不能超过 {SelfEvaluationForm.FunctionsMaxLength} 字（现 {stored.Length.ToString("N0", CultureInfo.InvariantCulture)} 字）。"
            : null;

    /// <summary>
    /// What a submission of a 部门整体 form still needs here. The paper form always carries both: 部门职能概述 as text,
    /// and the count, which is 0 for a unit without independently accounting subordinate units (so blank is not "none").
    /// </summary>
    public static IEnumerable<string> SubmissionErrors(SelfEvaluation se)
    {
        if (!Apply(se))
        {
            yield break;
        }

        if (se.IndependentUnits is null)
        {
            yield return $"请填写「{UnitsLabel}」（没有则填 0）。";
        }

        if (string.IsNullOrWhiteSpace(se.Functions))
        {
            yield return $"请填写「{FunctionsLabel}」。";
        }
    }

    /// <summary>
    /// A new year's 部门整体 self-evaluation starts with the unit's latest earlier one's header fields (functions rarely
    /// change from year to year), each only while it is still blank, so nothing the unit typed is replaced.
    /// </summary>
    public static async Task PrefillAsync(AppDbContext db, SelfEvaluation se, CancellationToken ct)
    {
        if (!Apply(se) || (se.IndependentUnits is not null && se.Functions is not null))
        {
            return;
        }

        var (org, year, id) = (se.OrganisationId, se.FiscalYear, se.Id);
        var previous = await db.SelfEvaluations.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.OrganisationId == org && s.FiscalYear < year && s.Id != id && s.PlanId != null && s.Kind == Plans.EvaluationKind.DepartmentWide
                && (s.IndependentUnits != null || s.Functions != null))
            .OrderByDescending(s => s.FiscalYear).ThenByDescending(s => s.CreatedAt)
            .Select(s => new { s.IndependentUnits, s.Functions })
            .FirstOrDefaultAsync(ct);
        if (previous is null)
        {
            return;
        }

        se.IndependentUnits ??= previous.IndependentUnits;
        se.Functions ??= previous.Functions;
    }
}
