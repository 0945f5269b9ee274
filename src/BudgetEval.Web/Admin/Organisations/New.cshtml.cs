using BudgetEval.Web.Audit;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Admin.Organisations;

internal sealed class NewModel(AppDbContext db, TimeProvider clock) : OrganisationFormPage(db)
{
    public async Task OnGetAsync(CancellationToken ct)
    {
        Input = new OrganisationInput { IsActive = true, Kind = OrganisationKind.BudgetUnit };
        await LoadOptionsAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await ValidateAsync(null, ct);
        if (Errors.Count > 0)
        {
            await LoadOptionsAsync(ct);
            return Page();
        }

        var now = clock.GetUtcNow();
        var org = new Organisation { Id = Guid.CreateVersion7(now), Name = string.Empty, CreatedAt = now };
        Apply(org);
        Db.Organisations.Add(org);
        AuditTrail.Add(Db, HttpContext, now, AuditActions.OrganisationCreated, org.Name, org.Kind.Label());
        try
        {
            await Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (AdminForms.IsUniqueViolation(ex))
        {
            // Someone created the same name between the check and the insert.
            Db.ChangeTracker.Clear();
            Errors.Add(AdminForms.Field("名称", $"已存在名为“{org.Name}”的机构。"));
            await LoadOptionsAsync(ct);
            return Page();
        }

        TempData["Flash"] = $"已新增机构“{org.Name}”。";
        return Redirect($"/admin/organisations/{org.Id}");
    }
}
