using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BudgetEval.Web.ResultUse;

/// <summary>结果应用规则: the suggested budget note per grade and for a low rectification rate; the officer edits, others read.</summary>
[Authorize(Roles = Roles.Bureau)]
internal sealed class RulesModel(AppDbContext db, ResultsService service) : PageModel
{
    public BudgetNoteRules Rules { get; private set; } = BudgetNoteRules.Defaults();

    /// <summary>The threshold as typed when a save was refused ("80%" is not a number: shown again, not the stored value).</summary>
    public string? TypedPercent { get; private set; }

    public bool CanEdit => ResultsService.MayEdit(WorkflowActor.From(User));

    public async Task OnGetAsync(CancellationToken ct) => Rules = await ResultRules.LoadAsync(db, ct);

    public async Task<IActionResult> OnPostAsync(string? excellent, string? good, string? pass, string? fail, string? noGrade, string? lowPercent, string? lowRectification, uint version, CancellationToken ct)
    {
        if (!CanEdit)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        decimal? threshold = decimal.TryParse(lowPercent, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var t) ? t : null;
        var outcome = await service.SaveRulesAsync(new BudgetNoteRulesInput(excellent, good, pass, fail, noGrade, threshold, lowRectification, version), WorkflowActor.From(User), ct);
        if (outcome.Status == FireStatus.Ok)
        {
            TempData["Flash"] = "结果应用规则已保存。";
            return RedirectToPage();
        }

        outcome.ShowOn(this);
        TypedPercent = lowPercent;

        // Show what was typed, with the version it was based on, so nothing is lost on an error.
        var stored = await ResultRules.LoadAsync(db, ct);
        Rules = new BudgetNoteRules
        {
            Excellent = excellent ?? string.Empty, Good = good ?? string.Empty, Pass = pass ?? string.Empty, Fail = fail ?? string.Empty,
            NoGrade = noGrade ?? string.Empty, LowRectification = lowRectification ?? string.Empty,
            LowRectificationBelowPercent = threshold ?? stored.LowRectificationBelowPercent, RowVersion = version,
        };
        return Page();
    }
}
