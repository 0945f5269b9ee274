using BudgetEval.Web.Evaluations;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Plans;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Admin.Templates;

/// <summary>
/// Where plans and evaluations get their templates: the administrator's list in the database. Only active ones are
/// offered and accepted for a new plan or commission; what already uses a retired one keeps its copy.
/// </summary>
internal static class TemplateCatalog
{
    /// <summary>The 自评 templates offered on /plans/new and by GET /api/plans/templates, in their order.</summary>
    public static async Task<List<IndicatorTemplate>> SelfEvaluationAsync(AppDbContext db, CancellationToken ct) =>
        (await Active(db, TemplateKind.SelfEvaluation).ToListAsync(ct)).Select(t => t.ToIndicatorTemplate()).ToList();

    /// <summary>An active 自评 template; a blank id is the first one offered (the built-in default unless retired).</summary>
    public static async Task<IndicatorTemplate?> FindSelfEvaluationAsync(AppDbContext db, string? id, CancellationToken ct) =>
        (await Find(db, TemplateKind.SelfEvaluation, id, ct))?.ToIndicatorTemplate();

    /// <summary>The 重点评价 templates offered on the 委托 form and by GET /api/evaluations/templates, in their order.</summary>
    public static async Task<List<EvaluationTemplate>> EvaluationAsync(AppDbContext db, CancellationToken ct) =>
        (await Active(db, TemplateKind.Evaluation).ToListAsync(ct)).Select(t => t.ToEvaluationTemplate()).ToList();

    /// <summary>An active 重点评价 template; a blank key is the first one offered (the built-in default unless retired).</summary>
    public static async Task<EvaluationTemplate?> FindEvaluationAsync(AppDbContext db, string? key, CancellationToken ct) =>
        (await Find(db, TemplateKind.Evaluation, key, ct))?.ToEvaluationTemplate();

    private static Task<IndicatorTemplateRecord?> Find(AppDbContext db, TemplateKind kind, string? key, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(key)
            ? Active(db, kind).FirstOrDefaultAsync(ct)
            : Active(db, kind).SingleOrDefaultAsync(t => t.Key == key.Trim(), ct);

    private static IQueryable<IndicatorTemplateRecord> Active(AppDbContext db, TemplateKind kind) =>
        db.IndicatorTemplates.AsNoTracking().Where(t => t.Kind == kind && t.IsActive).OrderBy(t => t.SortOrder).ThenBy(t => t.Id);
}
