using BudgetEval.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BudgetEval.Web.Admin.FindingCategories;

/// <summary>
/// The administrator keeps the 问题类别 list: add, retire, bring back. Names never change (findings carry them).
/// The rules are <see cref="FindingCategoryAdmin"/>'s, as for /api/finding-categories.
/// </summary>
internal sealed class IndexModel(AppDbContext db, TimeProvider clock) : PageModel
{
    public IReadOnlyList<CategoryRow> Rows { get; private set; } = [];

    public List<string> Errors { get; } = [];

    /// <summary>The name as typed, shown again when the add is refused (a near-duplicate is corrected, not retyped).</summary>
    public string? Name { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAddAsync(string? name, CancellationToken ct)
    {
        var outcome = await FindingCategoryAdmin.AddAsync(db, HttpContext, clock.GetUtcNow(), name, ct);
        if (outcome.Status != CategoryChange.Ok)
        {
            Name = name;
            Errors.Add(outcome.Error!.Message);
            await LoadAsync(ct);
            return Page();
        }

        TempData["Flash"] = $"已新增问题类别“{outcome.Category!.Name}”。";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostToggleAsync(int id, CancellationToken ct)
    {
        var outcome = await FindingCategoryAdmin.SetActiveAsync(db, HttpContext, clock.GetUtcNow(), id, active: null, ct);
        switch (outcome.Status)
        {
            case CategoryChange.NotFound:
                return NotFound();
            case CategoryChange.Ok:
                var category = outcome.Category!;
                TempData["Flash"] = $"问题类别“{category.Name}”已{(category.IsActive ? "启用" : "停用")}。";
                return RedirectToPage();
            default:
                Errors.Add(outcome.Error!.Message);
                await LoadAsync(ct);
                return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct) => Rows = await FindingCategoryAdmin.ListAsync(db, includeInactive: true, ct);
}
