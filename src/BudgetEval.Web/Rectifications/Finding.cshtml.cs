using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BudgetEval.Web.Rectifications;

/// <summary>
/// One finding and its rectification: the unit fills the plan and the result, uploads evidence and asks for an
/// extension (申请延期, in one step) here, the bureau sets the new deadline of 部分整改; the other actions are on the
/// case page, like every case's.
/// </summary>
internal sealed class FindingModel(RectificationService service, Infrastructure.Data.AppDbContext db) : PageModel
{
    public RectificationView View { get; private set; } = null!;

    /// <summary>重复发生: the unit had a finding of the same category the year before.</summary>
    public bool Recurring { get; private set; }

    public string? CaseState => View.Case?.Instance.State;

    public bool IsUnitFiller => User.IsInRole(Roles.UnitFiller);

    public bool IsFinanceOfficer => User.IsInRole(Roles.FinanceOfficer);

    /// <summary>The 更正 form as typed, kept when it is refused so nothing typed is lost.</summary>
    public CorrectionInput? Correction { get; private set; }

    /// <summary>What the forms bring back so a save over someone else's change is refused (<see cref="Findings.FindingStamp"/>).</summary>
    public string Stamp => Findings.FindingStamp.Of(View.Finding);

    /// <summary>The 问题类别 the correction form offers: the active ones, and the finding's own if it was retired since.</summary>
    public IReadOnlyList<string> Categories { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    /// <summary>The 整改方案 as typed, kept when the save is refused (a past date, someone else's change) so nothing typed is lost.</summary>
    public PlanInput? TypedPlan { get; private set; }

    /// <summary>The 整改结果 as typed, kept when the save is refused.</summary>
    public ResultInput? TypedResult { get; private set; }

    /// <summary>
    /// The typed plan or result was refused because someone saved the finding since: the page shows what they saved
    /// beside the typed text, and the form carries the new stamp, so the next 保存 overwrites knowingly.
    /// </summary>
    public bool Conflicted { get; private set; }

    /// <summary>Replaces <see cref="Findings.FindingStamp.StaleMessage"/> on this page, where the other side's values are shown.</summary>
    public const string OverwriteMessage = "该问题已被他人修改，您的内容未保存。对方已保存的内容显示在表单旁，您填写的内容仍保留在表单中；再次点击保存将以您的内容覆盖。";

    public Task<IActionResult> OnPostPlanAsync(Guid id, string? measures, string? responsible, DateOnly? plannedDate, string? stamp, CancellationToken ct)
    {
        TypedPlan = new PlanInput(measures, responsible, plannedDate, stamp);
        return HandleAsync(id, service.SavePlanAsync(id, TypedPlan, WorkflowActor.From(User), ct), "整改方案已保存。", ct);
    }

    public Task<IActionResult> OnPostResultAsync(Guid id, string? result, string? stamp, CancellationToken ct)
    {
        TypedResult = new ResultInput(result, stamp);
        return HandleAsync(id, service.SaveResultAsync(id, TypedResult, WorkflowActor.From(User), ct), "整改结果已保存。", ct);
    }

    /// <summary>The correction form's inputs named by a refusal (by the field's label in the message), to be marked.</summary>
    public bool Refused(string label) =>
        Correction is not null && ViewData.ModelState.Values.SelectMany(v => v.Errors).Any(e => e.ErrorMessage.Contains($"「{label}」", StringComparison.Ordinal));

    public async Task<IActionResult> OnPostCorrectAsync(Guid id, CorrectionInput correction, CancellationToken ct)
    {
        var result = await service.CorrectAsync(id, correction, WorkflowActor.From(User), HttpContext, ct);
        if (result.Succeeded)
        {
            TempData["Flash"] = "问题登记内容已更正，已通知责任单位。";
            return RedirectToPage(new { id });
        }

        Correction = correction;
        return await ShowAsync(id, result, ct);
    }

    /// <summary>The date typed in 部分整改的新整改期限, kept when the save is refused.</summary>
    public TypedDate? TypedDeadline { get; private set; }

    /// <summary>The date a date form shows: what was typed there if its save was refused, else what the finding holds.</summary>
    public string? DeadlineValue(string handler, DateOnly? saved) =>
        (TypedDeadline is { } t && t.Handler == handler ? t.Value : saved)?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    // The date form's handler, as TypedDeadline and the page name it.
    public const string NextDeadlineHandler = "NextDeadline";

    public const string NextDeadlineLabel = "部分整改的新整改期限";

    public const string ExtensionHandler = "Extension";

    /// <summary>The 申请延期 form as typed, kept when the request is refused; with its refusals by field (deadline, reason, "" for the rest).</summary>
    public ExtensionRequestInput? TypedExtension { get; private set; }

    public IReadOnlyList<Shared.FieldError> ExtensionErrors { get; private set; } = [];

    public IEnumerable<string> ExtensionErrorsOf(string field) => ExtensionErrors.Where(e => e.Field == field).Select(e => e.Message);

    /// <summary>
    /// Replaces the stale messages on this page's 申请延期, re-rendered with the finding and the case as they are now, so the
    /// next click acts knowingly.
    /// </summary>
    public const string ExtensionConflictMessage = "该问题或整改事项在您打开页面后已被他人修改（本次申请延期未提交），页面已更新为最新内容。您填写的日期和理由仍保留在表单中，核对后可再次点击「申请延期」。";

    /// <summary>申请延期 in one step: the date asked for is saved and the request fired together, or neither.</summary>
    public async Task<IActionResult> OnPostExtensionAsync(Guid id, DateOnly? deadline, string? reason, int expectedVersion, string? stamp, CancellationToken ct)
    {
        TypedExtension = new ExtensionRequestInput(deadline, reason, expectedVersion, stamp);
        var result = await service.RequestExtensionAsync(id, TypedExtension, WorkflowActor.From(User), ct);
        if (result.Succeeded)
        {
            TempData["Flash"] = $"已申请延期至 {Shared.ChineseFormat.Date(deadline!.Value)}，待财政局审核；审核期间可继续完善整改方案、整改结果和佐证材料。";
            return RedirectToPage(new { id });
        }

        if (result.Status == FireStatus.NotFound || !await LoadAsync(id, ct))
        {
            return NotFound();
        }

        // A page's form always carries its stamp: without one it is a page from before the stamp.
        var refusal = result.Status == FireStatus.Conflict ? FireResult.Conflict(ExtensionConflictMessage)
            : result.StampMissing ? FireResult.Invalid([Findings.FindingStamp.PageMissingMessage])
            : result.Result;
        ExtensionErrors = result.Status == FireStatus.Conflict || result.StampMissing ? refusal.ByField() : result.Errors;
        return this.Refused(refusal);
    }

    public Task<IActionResult> OnPostNextDeadlineAsync(Guid id, DateOnly? deadline, string? stamp, CancellationToken ct)
    {
        TypedDeadline = new(NextDeadlineHandler, deadline);
        return HandleAsync(id, service.SaveNextDeadlineAsync(id, new DeadlineInput(deadline, stamp), WorkflowActor.From(User), ct),
            "新的整改期限已保存，请在事项页「部分整改」并写明未整改内容。", ct);
    }

    /// <summary>A 佐证材料 file for the signed-in browser (the API's download takes a bearer token only).</summary>
    public async Task<IActionResult> OnGetEvidenceAsync(Guid id, Guid evidenceId, CancellationToken ct) =>
        await service.FindEvidenceAsync(id, evidenceId, ct) is { } e ? File(e.Content, e.ContentType, e.FileName) : NotFound();

    public async Task<IActionResult> OnPostEvidenceAsync(Guid id, IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0 || file.Length > SelfEvaluations.Attachments.MaxBytes)
        {
            return await ShowAsync(id, FireResult.Invalid([file is null || file.Length == 0 ? "请选择文件。" : "文件超过 20 MB。"]), ct);
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        var (result, added) = await service.AddEvidenceAsync(id, SelfEvaluations.Attachments.CleanName(file.FileName), buffer.ToArray(), WorkflowActor.From(User), ct);
        return await HandleAsync(id, Task.FromResult(result), $"已上传佐证材料：{added?.FileName}（第 {added?.Version} 版）。", ct);
    }

    /// <summary>A row of the evidence table the signed-in filler may delete: not yet submitted, while the unit holds the case.</summary>
    public bool MayDelete(EvidenceInfo e) => IsUnitFiller && CaseState is { } s && RectificationService.EvidenceStates.Contains(s) && !e.Submitted;

    /// <summary>删除 of a file uploaded by mistake; a page shown before someone deleted it or the case moved on gets the reason (409).</summary>
    public async Task<IActionResult> OnPostDeleteEvidenceAsync(Guid id, Guid evidenceId, CancellationToken ct)
    {
        var (result, deleted) = await service.DeleteEvidenceAsync(id, evidenceId, WorkflowActor.From(User), HttpContext, ct);
        return await HandleAsync(id, Task.FromResult(result), $"已删除佐证材料：{deleted?.FileName}（第 {deleted?.Version} 版）。", ct);
    }

    private async Task<IActionResult> HandleAsync(Guid id, Task<EditResult> operation, string done, CancellationToken ct)
    {
        var result = await operation;
        if (result.Succeeded)
        {
            TempData["Flash"] = done;
            return RedirectToPage(new { id });
        }

        if (result.Status == FireStatus.Conflict && (TypedPlan is not null || TypedResult is not null))
        {
            // Re-rendered with the finding as it is now: its values shown read-only and its stamp in the form.
            Conflicted = true;
            return await ShowAsync(id, FireResult.Conflict(OverwriteMessage), ct);
        }

        if (result.Status == FireStatus.Conflict && TypedDeadline is not null)
        {
            // Re-rendered with the finding as it is now: the message names the date and what it holds now, the form
            // keeps the typed date and carries the new stamp, so the next 保存 overwrites knowingly.
            if (!await LoadAsync(id, ct))
            {
                return NotFound();
            }

            return this.Refused(FireResult.Conflict(Findings.FindingStamp.DateChangedMessage(NextDeadlineLabel, View.Finding.NextDeadline, "保存")));
        }

        // A page's form always carries its stamp: without one it is a page from before the stamp, not an API client.
        return await ShowAsync(id, result.StampMissing && TypedDeadline is not null ? FireResult.Invalid([Findings.FindingStamp.PageMissingMessage]) : result, ct);
    }

    private async Task<IActionResult> ShowAsync(Guid id, FireResult result, CancellationToken ct)
    {
        if (result.Status == FireStatus.NotFound || !await LoadAsync(id, ct))
        {
            return NotFound();
        }

        return this.Refused(result);
    }

    /// <summary>A date as typed in one of the date forms, named by its handler.</summary>
    internal sealed record TypedDate(string Handler, DateOnly? Value);

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var view = await service.ViewAsync(id, WorkflowActor.From(User), ct);
        if (view is null)
        {
            return false;
        }

        View = view;
        Categories = (await Findings.FindingCategories.ActiveAsync(db, ct)).Append(view.Finding.Category).Distinct().ToList();
        Recurring = (await Findings.RecurringFindings.AmongAsync(db, [view.Finding], ct)).Count > 0;
        return true;
    }
}
