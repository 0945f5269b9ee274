using BudgetEval.Web.Audit;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Admin.Organisations;

/// <summary>Edits one organisation; a stale form (xmin changed since it was rendered) is refused, not merged.</summary>
internal sealed class EditModel(AppDbContext db, TimeProvider clock) : OrganisationFormPage(db)
{
    /// <summary>The name as stored, for the heading (the form may hold an unsaved one).</summary>
    public string StoredName { get; private set; } = string.Empty;

    /// <summary>As stored (not as posted): a deactivated organisation takes no new users.</summary>
    public bool StoredActive { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var org = await Db.Organisations.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        if (org is null)
        {
            return NotFound();
        }

        Input = OrganisationInput.From(org);
        await LoadAsync(org, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var org = await Db.Organisations.IgnoreQueryFilters().SingleOrDefaultAsync(o => o.Id == id, ct);
        if (org is null)
        {
            return NotFound();
        }

        await ValidateAsync(org, ct);
        if (org.RowVersion != Input.RowVersion)
        {
            Errors.Insert(0, ConflictMessage);
        }

        if (Errors.Count > 0)
        {
            return await ShowAgainAsync(id, ct);
        }

        var wasActive = org.IsActive;
        Apply(org);

        // The WHERE xmin = ... of the UPDATE uses the version the form was rendered from, so an edit
        // made in between (even after the check above) makes the save fail instead of being overwritten.
        Db.Entry(org).Property(o => o.RowVersion).OriginalValue = Input.RowVersion;
        AuditTrail.Add(Db, HttpContext, clock.GetUtcNow(), AuditActions.OrganisationChanged, org.Name, org.IsActive ? null : "已停用");
        try
        {
            await Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            Errors.Add(ConflictMessage);
            return await ShowAgainAsync(id, ct);
        }
        catch (DbUpdateException ex) when (AdminForms.IsUniqueViolation(ex))
        {
            Errors.Add(AdminForms.Field("名称", $"已存在名为“{Shared.TextInput.Line(Input.Name)}”的机构。"));
            return await ShowAgainAsync(id, ct);
        }

        // Deactivating shuts the unit's people out: say how many, so it is no surprise to the administrator.
        var users = wasActive && !org.IsActive ? await Db.Users.CountAsync(u => u.OrganisationId == id, ct) : 0;
        TempData["Flash"] = (wasActive, org.IsActive) switch
        {
            (true, false) when users > 0 => $"已停用机构“{org.Name}”：该机构的 {users} 个用户将无法登录，已登录的会话随之失效。",
            (true, false) => $"已停用机构“{org.Name}”。",
            (false, true) => $"已重新启用机构“{org.Name}”，其用户可以重新登录。",
            _ => $"已保存机构“{org.Name}”。",
        };
        return Redirect($"/admin/organisations/{id}");
    }

    /// <summary>Re-renders the posted form (with its original version) next to what is stored.</summary>
    private async Task<IActionResult> ShowAgainAsync(Guid id, CancellationToken ct)
    {
        Db.ChangeTracker.Clear();
        var org = await Db.Organisations.IgnoreQueryFilters().AsNoTracking().SingleAsync(o => o.Id == id, ct);
        await LoadAsync(org, ct);
        return Page();
    }

    private async Task LoadAsync(Organisation org, CancellationToken ct)
    {
        EditingId = org.Id;
        StoredName = org.Name;
        StoredActive = org.IsActive;
        UserCount = await Db.Users.CountAsync(u => u.OrganisationId == org.Id, ct);
        await LoadOptionsAsync(ct);
    }
}
