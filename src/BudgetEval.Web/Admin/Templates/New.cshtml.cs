using BudgetEval.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;

namespace BudgetEval.Web.Admin.Templates;

/// <summary>新建 a template, blank or as a copy of an existing one (复制: the copy gets its own key; the source is untouched).</summary>
internal sealed class NewModel(AppDbContext db, TimeProvider clock) : TemplateFormPage(db)
{
    /// <summary>The template copied from, named in the audit line.</summary>
    [BindProperty]
    public string? CopiedFrom { get; set; }

    public async Task<IActionResult> OnGetAsync(string? kind, int? from, CancellationToken ct)
    {
        if (from is { } sourceId)
        {
            if (await TemplateAdmin.FindAsync(Db, sourceId, ct) is not { } source)
            {
                return NotFound();
            }

            Kind = source.Kind;
            CopiedFrom = source.Name;
            Input = TemplateForm.From(source, $"{source.Name}（副本）");
        }
        else
        {
            Kind = TemplateKinds.Parse(kind) ?? TemplateKind.SelfEvaluation;
            Input = TemplateForm.Blank(Kind);
        }

        Input.Pad(Kind);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? kind, CancellationToken ct)
    {
        if (TemplateKinds.Parse(kind) is not { } parsed)
        {
            return BadRequest();
        }

        Kind = parsed;
        var outcome = await TemplateAdmin.CreateAsync(Db, HttpContext, clock.GetUtcNow(), Kind, Input.ToInput(), TextInputOrNull(CopiedFrom), ct);
        if (outcome.Status != TemplateChange.Ok)
        {
            return Refused(outcome);
        }

        TempData["Flash"] = $"已新增{TemplateKinds.Label(Kind)}“{outcome.Template!.Name}”，新建计划或委托评价时即可选用。";
        return Redirect("/admin/templates");
    }

    public Task<IActionResult> OnPostImportAsync(string? kind, IFormFile? file, CancellationToken ct)
    {
        if (TemplateKinds.Parse(kind) is not { } parsed)
        {
            return Task.FromResult<IActionResult>(BadRequest());
        }

        Kind = parsed;
        return ImportRowsAsync(file, ct);
    }

    private static string? TextInputOrNull(string? text) => Shared.TextInput.Line(text);
}
