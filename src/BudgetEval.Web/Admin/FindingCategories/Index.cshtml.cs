using BudgetEval.Web.Audit;
using BudgetEval.Web.Findings;
using BudgetEval.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Admin.FindingCategories;

/// <summary>The administrator keeps the 问题类别 list: add, retire, bring back. Names never change (findings carry them).</summary>
internal sealed class IndexModel(AppDbContext db, TimeProvider clock) : PageModel
{
    public IReadOnlyList<CategoryRow> Rows { get; private set; } = [];

    public List<string> Errors { get; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAddAsync(string? name, CancellationToken ct)
    {
        name = Shared.TextInput.Line(name); // a category is a finding's one-line field
        if (string.IsNullOrEmpty(name))
        {
            Errors.Add("「类别名称」：必填。");
        }
        else if (name.Length > 50)
        {
            Errors.Add("「类别名称」：不能超过 50 个字符。");
        }
        else if (await db.FindingCategories.AnyAsync(c => c.Name == name, ct))
        {
            Errors.Add($"「类别名称」：已有类别“{name}”（如已停用，可重新启用）。");
        }

        if (Errors.Count > 0)
        {
            await LoadAsync(ct);
            return Page();
        }

        var order = await db.FindingCategories.MaxAsync(c => (int?)c.SortOrder, ct) ?? 0;
        db.FindingCategories.Add(new FindingCategory { Name = name!, SortOrder = order + 10 });
        AuditTrail.Add(db, HttpContext, clock.GetUtcNow(), AuditActions.CategoryChanged, name, "新增问题类别");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Someone added the same name a moment earlier.
            db.ChangeTracker.Clear();
            Errors.Add($"「类别名称」：已有类别“{name}”。");
            await LoadAsync(ct);
            return Page();
        }

        TempData["Flash"] = $"已新增问题类别“{name}”。";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostToggleAsync(int id, CancellationToken ct)
    {
        if (await db.FindingCategories.SingleOrDefaultAsync(c => c.Id == id, ct) is not { } category)
        {
            return NotFound();
        }

        if (category.IsActive && await db.FindingCategories.CountAsync(c => c.IsActive, ct) == 1)
        {
            Errors.Add("至少保留一个启用的问题类别。");
            await LoadAsync(ct);
            return Page();
        }

        category.IsActive = !category.IsActive;
        AuditTrail.Add(db, HttpContext, clock.GetUtcNow(), AuditActions.CategoryChanged, category.Name, category.IsActive ? "启用问题类别" : "停用问题类别");
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = $"问题类别“{category.Name}”已{(category.IsActive ? "启用" : "停用")}。";
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Rows = await db.FindingCategories.AsNoTracking().OrderBy(c => c.SortOrder).ThenBy(c => c.Id)
            .Select(c => new CategoryRow(c.Id, c.Name, c.IsActive, db.Findings.Count(f => f.Category == c.Name)))
            .ToListAsync(ct);
}

internal sealed record CategoryRow(int Id, string Name, bool IsActive, int Findings);
