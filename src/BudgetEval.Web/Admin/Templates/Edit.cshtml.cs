using BudgetEval.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;

namespace BudgetEval.Web.Admin.Templates;

/// <summary>Edits one template against the version it was read at; plans and evaluations that took it keep their copy.</summary>
internal sealed class EditModel(AppDbContext db, TimeProvider clock) : TemplateFormPage(db)
{
    public TemplateSummary Stored { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        Input = TemplateForm.From(Stored);
        Input.Pad(Kind);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        var outcome = await TemplateAdmin.UpdateAsync(Db, HttpContext, clock.GetUtcNow(), id, Input.ToInput(), Input.Version, ct);
        if (outcome.Status == TemplateChange.NotFound)
        {
            return NotFound();
        }

        if (outcome.Status != TemplateChange.Ok)
        {
            return Refused(outcome);
        }

        TempData["Flash"] = $"已保存指标模板“{outcome.Template!.Name}”。此后新建的计划、委托的评价使用修改后的内容。";
        return Redirect("/admin/templates");
    }

    public async Task<IActionResult> OnPostImportAsync(int id, IFormFile? file, CancellationToken ct) =>
        await LoadAsync(id, ct) ? await ImportRowsAsync(file, ct) : NotFound();

    /// <summary>The saved rows as a workbook to edit in Excel and import back; an export, so audited.</summary>
    public async Task<IActionResult> OnGetExportAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct) || Kind != TemplateKind.Evaluation)
        {
            return NotFound();
        }

        await BudgetEval.Web.Audit.AuditTrail.ExportedAsync(Db, HttpContext, clock, Stored.Name, "重点评价指标模板（XLSX）", ct);
        return File(TemplateFile.Workbook(Stored), SelfEvaluations.Export.FormWorkbook.ContentType, $"{Stored.Name}-指标.xlsx");
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        if (await TemplateAdmin.FindAsync(Db, id, ct) is not { } stored)
        {
            return false;
        }

        Stored = stored;
        Kind = stored.Kind;
        return true;
    }
}
