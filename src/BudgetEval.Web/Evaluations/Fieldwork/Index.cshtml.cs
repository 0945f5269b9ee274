using BudgetEval.Web.Shared;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BudgetEval.Web.Evaluations.Fieldwork;

/// <summary>
/// 现场评价工作记录 of one evaluation: the firm's team records each day's 资料审阅、账务核实、实地核查…, the bureau reads them
/// beside the report. A refused form is answered with the page and what was typed; a saved one redirects (PRG).
/// </summary>
[Authorize]
internal sealed class FieldworkModel(FieldworkService service) : PageModel
{
    public FieldworkList List { get; private set; } = null!;

    /// <summary>The record the form corrects (?edit=), or null when it adds one.</summary>
    public FieldworkRecord? Editing { get; private set; }

    public List<FieldError> Errors { get; } = [];

    /// <summary>What the refused form held, shown again in it.</summary>
    public FieldworkInput? Posted { get; private set; }

    public uint? PostedVersion { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, Guid? edit, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        Editing = List.MayEdit && edit is { } e ? List.Records.FirstOrDefault(r => r.Id == e) : null;
        return Page();
    }

    public Task<IActionResult> OnPostAddAsync(Guid id, string? kind, DateOnly? date, string? subject, string? participants, string? content, CancellationToken ct)
    {
        var input = new FieldworkInput(kind, date, subject, participants, content);
        return AnswerAsync(id, null, null, input, service.AddAsync(id, input, Actor, ct), "已添加现场评价工作记录。", ct);
    }

    public Task<IActionResult> OnPostUpdateAsync(Guid id, Guid recordId, uint? version, string? kind, DateOnly? date, string? subject, string? participants, string? content,
        CancellationToken ct)
    {
        var input = new FieldworkInput(kind, date, subject, participants, content);
        return AnswerAsync(id, recordId, version, input, service.UpdateAsync(id, recordId, input, version, Actor, ct), "已保存修改。", ct);
    }

    public Task<IActionResult> OnPostDeleteAsync(Guid id, Guid recordId, uint? version, CancellationToken ct) =>
        AnswerAsync(id, null, null, null, service.DeleteAsync(id, recordId, version, Actor, ct), "已删除该条记录。", ct);

    /// <summary>The form field a message is about (the API's key is the input's name), or null for the record as a whole.</summary>
    public static string? FieldOf(FieldError e) => e.Field is "kind" or "date" or "subject" or "participants" or "content" ? e.Field : null;

    public bool Invalid(string field) => Errors.Any(e => e.Field == field);

    private WorkflowActor Actor => WorkflowActor.From(User);

    private async Task<IActionResult> AnswerAsync(Guid id, Guid? recordId, uint? version, FieldworkInput? input, Task<FieldworkResult> operation, string done, CancellationToken ct)
    {
        var result = await operation;
        if (result.Status == FireStatus.NotFound)
        {
            return NotFound();
        }

        if (result.Succeeded)
        {
            TempData["Flash"] = done;
            return RedirectToPage(new { id });
        }

        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        Errors.AddRange(result.Errors);
        Posted = input;
        // A refused correction stays in the correcting form, if the record still exists. After a conflict the form takes
        // the version now stored: the table shows what the other person saved, and saving again means "mine, knowingly".
        Editing = recordId is { } r ? List.Records.FirstOrDefault(x => x.Id == r) : null;
        PostedVersion = result.Status == FireStatus.Conflict ? Editing?.RowVersion : version;
        Response.StatusCode = FireResult.HttpStatusOf(result.Status);
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await service.ListAsync(id, Actor, ct) is not { } list)
        {
            return false;
        }

        List = list;
        return true;
    }
}
