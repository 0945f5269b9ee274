using BudgetEval.Web.Shared;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.SelfEvaluations;

/// <summary>自评 list (scoped by the query filter) and, for a unit's filler, the form to start one.</summary>
internal sealed class IndexModel(AppDbContext db, SelfEvaluationService service, WorkflowRegistry registry) : PageModel
{
    public IReadOnlyList<SelfEvaluation> Items { get; private set; } = [];

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    public IPage Pager { get; private set; } = Paged<object>.Empty;


    public IReadOnlyDictionary<string, string> StateLabels { get; private set; } = new Dictionary<string, string>();

    public bool CanCreate => User.IsInRole(Roles.UnitFiller);

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public int? FiscalYear { get; set; } = 2025;

    [BindProperty]
    public DateOnly? Deadline { get; set; }

    [BindProperty]
    public string? Summary { get; set; }

    [BindProperty]
    public decimal? TotalBudget { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    /// <summary>A fresh key per rendered form: a double click or a re-sent form creates one self-evaluation, not two.</summary>
    [BindProperty]
    public string IdempotencyKey { get; set; } = Guid.NewGuid().ToString("N");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var formKey = IdempotencyKey is { Length: > 0 and <= 100 } k ? k : null;
        var result = await service.CreateAsync(new SelfEvaluationInput(Title, FiscalYear, Deadline, Summary, TotalBudget), WorkflowActor.From(User), ct, formKey);
        if (result.Status == FireStatus.Forbidden)
        {
            return Forbid();
        }

        if (result.Status == FireStatus.Ok)
        {
            TempData["Flash"] = "自评已创建。";
            return Redirect($"/cases/{result.Record!.CaseId}");
        }

        foreach (var (key, messages) in result.Errors)
        {
            foreach (var m in messages)
            {
                ModelState.AddModelError(key, m);
            }
        }

        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var page = await db.SelfEvaluations.AsNoTracking().OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).ToPageAsync(PageNumber, ct);
        (Items, Pager) = (page.Items, page);
        StateLabels = registry.Latest(SelfEvaluationService.WorkflowId).States.ToDictionary(s => s.Id, s => s.Label);
    }
}
