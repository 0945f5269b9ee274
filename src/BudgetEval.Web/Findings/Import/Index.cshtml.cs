using System.Text.Json;
using BudgetEval.Web.Audit;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.SelfEvaluations.Export;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BudgetEval.Web.Findings.Import;

/// <summary>
/// 问题台账批量登记: the bureau's existing 整改台账 (audit, inspection, earlier evaluations, self-evaluations) brought in
/// from one workbook, all or nothing, for those who register findings by hand. A registration answers 303 to the
/// result page (Post/Redirect/Get), which reads the findings back from the address, so a refresh or the back button
/// never posts the file again (and a file posted twice registers nothing: every row is already registered). Refusals
/// stay on the post's answer: nothing was saved.
/// </summary>
[Authorize(Roles = Roles.FinanceOfficer)]
[RequestSizeLimit(FindingFile.MaxBytes + (64 * 1024))]
[RequestFormLimits(MultipartBodyLengthLimit = FindingFile.MaxBytes + (64 * 1024))]
internal sealed class FindingImportModel(AppDbContext db, TimeProvider clock, DueDates dueDates) : PageModel
{
    public IReadOnlyList<string> Errors { get; private set; } = [];

    public FindingImportResult? Result { get; private set; }

    /// <summary>The file's notes (columns not imported) go to the result page once, through TempData; the findings by address.</summary>
    private const string NotesKey = "FindingImportNotes";

    public async Task OnGetAsync(string? imported, CancellationToken ct)
    {
        if (imported is null)
        {
            return;
        }

        var notes = TempData[NotesKey] is string json ? JsonSerializer.Deserialize<List<string>>(json) ?? [] : [];
        Result = await ActivatorUtilities.CreateInstance<FindingImport>(HttpContext.RequestServices).ReadBackAsync(imported, notes, ct);
    }

    public async Task<IActionResult> OnGetTemplateAsync(CancellationToken ct)
    {
        var categories = await FindingCategories.ActiveAsync(db, ct);
        await AuditTrail.ExportedAsync(db, HttpContext, clock, "问题台账批量登记模板", "问题导入模板（空白）", ct);
        return File(FindingFile.Template(categories, dueDates.Today(clock.GetUtcNow()).Year - 2), FormWorkbook.ContentType, "问题台账批量登记模板.xlsx");
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            return Refused(["文件：请选择要导入的 .xlsx 或 .csv 文件。"]);
        }

        if (file.Length > FindingFile.MaxBytes)
        {
            return Refused([$"文件：超过 {FindingFile.MaxBytes / 1024 / 1024} MB，请拆分后分批导入。"]);
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        var import = ActivatorUtilities.CreateInstance<FindingImport>(HttpContext.RequestServices);
        var result = await import.RunAsync(HttpContext, Path.GetFileName(file.FileName), buffer.ToArray(), ct);
        switch (result.Status)
        {
            case FireStatus.Ok:
                if (result.Notes.Count > 0)
                {
                    TempData[NotesKey] = JsonSerializer.Serialize(result.Notes);
                }

                // 303: the browser gets the result page, so a refresh reloads it instead of posting the file again.
                Response.Headers.Location = $"/findings/import?imported={result.Key}";
                return StatusCode(StatusCodes.Status303SeeOther);
            case FireStatus.Forbidden:
                return Forbid();
            case FireStatus.Conflict:
                Response.StatusCode = StatusCodes.Status409Conflict;
                Errors = [.. result.Errors.Select(e => e.Message)];
                return Page();
            default:
                return Refused([.. result.Errors.Select(e => e.Message)]);
        }
    }

    /// <summary>The register filtered to one unit's imported findings (and their year, when they share one).</summary>
    public static string FindingsLink(ImportedUnit unit) =>
        unit.Years is [var year] ? $"/findings?Unit={unit.OrganisationId}&FiscalYear={year}" : $"/findings?Unit={unit.OrganisationId}";

    private PageResult Refused(IReadOnlyList<string> errors)
    {
        Errors = errors;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }
}
