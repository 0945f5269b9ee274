using System.Globalization;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.SelfEvaluations.Scoring;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.SelfEvaluations;

/// <summary>The 自评表 and 自评报告 editor. Works as a plain form; wwwroot/js/self-evaluation-form.js adds rows and live totals.</summary>
/// <remarks>
/// Each indicator row posts ten fields: a table of a hundred rows is more fields than a form is read with by default
/// (1,024), and the save was refused as an invalid request with everything typed lost. The page takes as many rows as
/// the import and the API do (<see cref="FormValueCount"/>).
/// </remarks>
[RequestFormLimits(ValueCountLimit = FormValueCount)]
internal sealed class FormModel(AppDbContext db, SelfEvaluationService service, FormFiles files, TimeProvider clock, WorkflowRegistry registry,
    Shared.ChinaClock china) : PageModel
{
    /// <summary>The form fields of a table of <see cref="Import.IndicatorFile.MaxRows"/> rows (and its blank row), with room for the rest of the page.</summary>
    public const int FormValueCount = (Import.IndicatorFile.MaxRows + 1) * 10 + 1000;

    /// <summary>The record's state in the review flow (草稿, 退回修改, …).</summary>
    public string StateLabel { get; private set; } = string.Empty;

    /// <summary>When the form is back with the unit through 退回: who sent it back, when, and why.</summary>
    public WorkflowHistoryEntry? Returned { get; private set; }

    /// <summary>The open task's due date when it is not the plan's deadline (a moved deadline, a return's own period).</summary>
    public DateOnly? TaskDue { get; private set; }

    public bool TaskOverdue { get; private set; }

    /// <summary>Open earlier findings without the unit's statement: submission is refused until they have one.</summary>
    public int MissingStatements { get; private set; }

    /// <summary>Names of the inputs a refused save found wrong, marked so the reader finds them.</summary>
    public IReadOnlySet<string> InvalidFields { get; private set; } = new HashSet<string>();

    public bool IsInvalid(string name) => InvalidFields.Contains(name);

    public override Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next) =>
        EditorsOnly.RefuseOthersAsync(this, context, next);

    public IReadOnlyList<SelfEvaluationAttachment> AttachmentList { get; private set; } = [];

    /// <summary>Per row and column, from a refused import file.</summary>
    public IReadOnlyList<Import.ImportError> ImportErrors { get; private set; } = [];

    public LoadedForm Form { get; private set; } = null!;

    public ScoreSheet Sheet { get; private set; } = null!;

    public bool CanEdit { get; private set; }

    [BindProperty]
    public FormInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        Input = FormInput.From(Form);
        return Page();
    }

    /// <summary>The page shows the form as typed (its own save was refused): leaving it would drop that input.</summary>
    public bool FormTyped { get; private set; }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        FormTyped = true; // a successful save redirects; only a refused one renders with this set
        var errors = new Dictionary<string, string[]>();
        var budget = Amount(Input.Budget, "budget", errors);
        var executed = Amount(Input.Executed, "executed", errors);
        var upper = Amount(Input.UpperTransfer, "upperTransfer", errors);
        var indexed = Input.Rows.Select((r, i) => (Row: r, Index: i)).Where(x => !x.Row.IsBlank).Select(x => (Line: x.Row.ToLine(errors, x.Index), x.Index)).ToList();
        var lines = indexed.Select(x => x.Line).ToList();
        var fundsRows = FundsRowsFromInput(errors);
        var units = UnitsFromInput(errors);

        // Texts over their column's size are named (with the count) instead of failing at the database; checked with the others, so every error shows at once.
        foreach (var (k, v) in SelfEvaluationForm.ValidateTexts(Input.GoalsPlanned, Input.GoalsAchieved, Input.Report))
        {
            errors[InputName(k)] = v;
        }

        if (HeaderFields.FunctionsProblem(Input.Functions) is { } functionsProblem)
        {
            errors["Input.Functions"] = [functionsProblem];
        }

        // The range checks run even when some value did not parse, so every wrong value is named in one answer (not a
        // negative amount only after the user fixed a typo elsewhere). A value that did not parse keeps its own message:
        // its null would otherwise read as 请填写.
        foreach (var (k, v) in SelfEvaluationForm.ValidateFunds(budget, executed, upper).Concat(SelfEvaluationForm.ValidateLines(lines, indexed.Select(x => x.Index + 1).ToList())))
        {
            errors.TryAdd(k, v);
        }

        var status = FireStatus.Invalid;
        if (errors.Count == 0)
        {
            var result = await service.EditAsync(id, WorkflowActor.From(User), Input.ExpectedVersion, async (se, c) =>
            {
                se.FundsBudget = budget;
                se.FundsExecuted = executed;
                se.FundsUpperTransfer = upper ?? 0m;
                se.FundsRows = fundsRows;
                if (HeaderFields.Apply(se))
                {
                    // Only the 部门整体 form shows them: a project's page posts neither, and must not blank what is stored.
                    se.IndependentUnits = units;
                    se.Functions = Shared.TextInput.Block(Input.Functions);
                }

                se.GoalsPlanned = Shared.TextInput.Block(Input.GoalsPlanned);
                se.GoalsAchieved = Shared.TextInput.Block(Input.GoalsAchieved);
                foreach (var (key, _) in SelfEvaluationReport.Sections)
                {
                    se.Report.Set(key, Input.Report.GetValueOrDefault(key));
                }

                await SelfEvaluationForm.ReplaceIndicatorsAsync(db, se, lines, clock.GetUtcNow(), c);
                return null;
            }, ct);
            if (result.Status == FireStatus.Ok)
            {
                TempData["Flash"] = "自评表已保存。";
                return Redirect($"/self-evaluations/{id}/form");
            }

            status = result.Status;
            errors = new(result.Errors);
        }

        if (status == FireStatus.NotFound || !await LoadAsync(id, ct))
        {
            return NotFound();
        }

        if (status == FireStatus.Conflict && errors.Values.Any(v => v.Contains(SelfEvaluationService.StaleMessage)))
        {
            // Someone saved in between. The fields the other person changed since the page was loaded (from the page's
            // fingerprints of that version) are named and now show the other's content, since the user left them alone;
            // the user's own edits stay on the page. The form then carries the stored version and its fingerprints, so the
            // next 保存 keeps both people's work (the user's text where both changed a field) and a third save is judged again.
            var storedNow = FormSnapshot.Of(Form);
            Conflict = FormSnapshot.Conflict(storedNow, Posted(units, budget, executed, upper ?? 0m, fundsRows, lines), Input.Fingerprints, Input.ExpectedVersion);
            Input.TakeStored(FormInput.From(Form), Conflict.TakenFromStored);
            Input.ExpectedVersion = Form.Record.RowVersion;
            Input.Fingerprints = storedNow.Fingerprints(Form.Record.RowVersion);
            errors = new() { [string.Empty] = [Conflict.Traced ? MergedMessage : OverwriteMessage] };
        }

        foreach (var m in errors.SelectMany(e => e.Value))
        {
            ModelState.AddModelError(string.Empty, m);
        }

        InvalidFields = InvalidInputs(errors.Keys, indexed);
        Response.StatusCode = StatusFor(status);
        return Page();
    }

    /// <summary>Without the page's fingerprints nothing tells the user's edits from the other's: the page shows what was posted.</summary>
    public const string OverwriteMessage = "自评已被他人修改：已显示您的内容；确认无误后再次点击保存将覆盖对方的修改。";

    public const string MergedMessage = "自评已被他人修改：您修改的栏目保留您的内容，仅对方修改的栏目已换成对方的内容；请核对后再次点击保存。";

    /// <summary>After a save refused because someone else saved first: which fields the other person changed, and which both did.</summary>
    public FormConflict? Conflict { get; private set; }

    /// <summary>The posted form as it would be stored, in the shape the stored record is compared in.</summary>
    /// <remarks>A form without the header fields (a project's) posts neither: the stored values stand for them, as the save keeps them.</remarks>
    private FormSnapshot Posted(int? units, decimal? budget, decimal? executed, decimal upper, List<FundsSubRow> fundsRows, List<IndicatorLine> lines) =>
        HeaderFields.Apply(Form.Record)
            ? FormSnapshot.Of(units, Input.Functions, budget, executed, upper, fundsRows, Input.GoalsPlanned, Input.GoalsAchieved, lines, Input.Report)
            : FormSnapshot.Of(Form.Record.IndependentUnits, Form.Record.Functions, budget, executed, upper, fundsRows, Input.GoalsPlanned, Input.GoalsAchieved, lines, Input.Report);

    /// <summary>The page's input for a text the shared check names as the API does (<c>goalsPlanned</c>, <c>report.basics</c>).</summary>
    private static string InputName(string key) => key switch
    {
        "goalsPlanned" => "Input.GoalsPlanned",
        "goalsAchieved" => "Input.GoalsAchieved",
        _ when key.StartsWith("report.", StringComparison.Ordinal) => $"Input.Report[{key["report.".Length..]}]",
        _ => key,
    };

    /// <summary>
    /// The inputs behind a refused save's messages: the keys of this page's own checks are input names; the shared
    /// funds check names its field; the indicator check's rows (numbered among the filled rows) are matched again row by row.
    /// </summary>
    private static HashSet<string> InvalidInputs(IEnumerable<string> keys, IReadOnlyList<(IndicatorLine Line, int Index)> rows)
    {
        var fields = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (key.StartsWith("Input.", StringComparison.Ordinal))
            {
                fields.Add(key);
            }
            else if (key is "budget" or "executed" or "upperTransfer")
            {
                fields.Add("Input." + char.ToUpperInvariant(key[0]) + key[1..]);
            }
            else if (key.StartsWith("indicators", StringComparison.Ordinal)) // indicators[i].score: the blank rows are not counted there
            {
                foreach (var (line, i) in rows)
                {
                    if (line.Weight is < 0 or > 1000)
                    {
                        fields.Add($"Input.Rows[{i}].Weight");
                    }

                    if (line.Score is < 0 or > 1000 || (line.Score is { } s && line.Weight is { } w && s > w))
                    {
                        fields.Add($"Input.Rows[{i}].Score");
                    }
                }
            }
        }

        return fields;
    }

    /// <summary>A 部门整体 self-evaluation's template carries the header fields' sheet (部门信息) too; a project's has the indicators only.</summary>
    public async Task<IActionResult> OnGetTemplateXlsxAsync(Guid id, CancellationToken ct)
    {
        var se = await db.SelfEvaluations.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        return se is null ? NotFound() : File(Export.FormWorkbook.BlankTemplate(HeaderFields.Apply(se)), Export.FormWorkbook.ContentType, "绩效指标导入模板.xlsx");
    }

    public IActionResult OnGetTemplateCsv() => File(FormFiles.BlankCsv(), "text/csv; charset=utf-8", "绩效指标导入模板.csv");

    public async Task<IActionResult> OnGetAttachmentAsync(Guid id, Guid attachmentId, CancellationToken ct) =>
        await files.FindAttachmentAsync(id, attachmentId, ct) is { } a ? File(a.Content, a.ContentType, a.FileName) : NotFound();

    public async Task<IActionResult> OnPostImportAsync(Guid id, IFormFile? file, CancellationToken ct)
    {
        if (ReadProblem(file, Import.IndicatorFile.MaxBytes, "10 MB") is { } problem)
        {
            return await ShowAsync(id, FireStatus.Invalid, [], [new Import.ImportError(0, string.Empty, problem)], ct);
        }

        if (await UnsavedEditsAsync(id, ct) is { } unsaved)
        {
            return unsaved;
        }

        var (saved, errors, count, notes) = await files.ImportIndicatorsAsync(id, Attachments.CleanName(file!.FileName), await BufferAsync(file), WorkflowActor.From(User), ct);
        if (saved is { Status: FireStatus.Ok })
        {
            TempData["Flash"] = string.Join(" ", [$"已导入 {count} 行指标。", .. notes]);
            return Redirect($"/self-evaluations/{id}/form");
        }

        return await ShowAsync(id, saved?.Status ?? FireStatus.Invalid, saved?.Errors.SelectMany(e => e.Value) ?? [], errors, ct);
    }

    public async Task<IActionResult> OnPostAttachmentAsync(Guid id, IFormFile? file, CancellationToken ct)
    {
        if (ReadProblem(file, Attachments.MaxBytes, "20 MB") is { } tooBig)
        {
            return await ShowAsync(id, FireStatus.Invalid, [$"附件：{tooBig}"], [], ct);
        }

        if (await UnsavedEditsAsync(id, ct) is { } unsaved)
        {
            return unsaved;
        }

        var (saved, added, problem) = await files.AddAttachmentAsync(id, Attachments.CleanName(file!.FileName), await BufferAsync(file), WorkflowActor.From(User), ct);
        if (saved is { Status: FireStatus.Ok })
        {
            TempData["Flash"] = $"已上传附件：{added!.FileName}。";
            return Redirect($"/self-evaluations/{id}/form");
        }

        return await ShowAsync(id, saved?.Status ?? FireStatus.Invalid, problem is null ? saved!.Errors.SelectMany(e => e.Value) : [$"附件：{problem}"], [], ct);
    }

    public async Task<IActionResult> OnPostDeleteAttachmentAsync(Guid id, Guid attachmentId, CancellationToken ct)
    {
        var saved = await files.DeleteAttachmentAsync(id, attachmentId, WorkflowActor.From(User), ct);
        if (saved.Status == FireStatus.Ok)
        {
            TempData["Flash"] = "附件已删除。";
            return Redirect($"/self-evaluations/{id}/form");
        }

        return await ShowAsync(id, saved.Status, saved.Errors.SelectMany(e => e.Value), [], ct);
    }

    public const string UnsavedMessage = "请先保存已填写的内容：本页有尚未保存的修改（{0}）。请先点击“保存”，再重新选择文件上传或导入。";

    /// <summary>
    /// 上传 and 导入 post the form's fields with the file (their buttons belong to the main form): with typed edits not yet
    /// saved, the file action is refused and the page shows those edits again, instead of the reload dropping them.
    /// Null when nothing is unsaved, or the request did not carry the fields (an older page, a script).
    /// </summary>
    private async Task<IActionResult?> UnsavedEditsAsync(Guid id, CancellationToken ct)
    {
        if (Input.ExpectedVersion is null)
        {
            return null;
        }

        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        var errors = new Dictionary<string, string[]>();
        var budget = Amount(Input.Budget, "budget", errors);
        var executed = Amount(Input.Executed, "executed", errors);
        var upper = Amount(Input.UpperTransfer, "upperTransfer", errors);
        var lines = Input.Rows.Select((r, i) => (Row: r, Index: i)).Where(x => !x.Row.IsBlank).Select(x => x.Row.ToLine(errors, x.Index)).ToList();
        var fundsRows = FundsRowsFromInput(errors);
        var units = UnitsFromInput(errors);
        List<string> changed = errors.Count > 0 ? ["填写有误的栏目"] : FormSnapshot.EditedByUser(FormSnapshot.Of(Form), Posted(units, budget, executed, upper ?? 0m, fundsRows, lines), Input.Fingerprints, Input.ExpectedVersion);
        if (changed.Count == 0)
        {
            return null;
        }

        FormTyped = true;
        ModelState.AddModelError(string.Empty, string.Format(System.Globalization.CultureInfo.InvariantCulture, UnsavedMessage, string.Join("、", changed)));
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    /// <summary>The form again, as saved, with the messages of a refused file action (nothing was saved).</summary>
    private async Task<IActionResult> ShowAsync(Guid id, FireStatus status, IEnumerable<string> messages, IReadOnlyList<Import.ImportError> importErrors, CancellationToken ct)
    {
        if (status == FireStatus.NotFound || !await LoadAsync(id, ct))
        {
            return NotFound();
        }

        Input = FormInput.From(Form);
        ImportErrors = importErrors;
        foreach (var m in messages)
        {
            ModelState.AddModelError(string.Empty, m);
        }

        Response.StatusCode = StatusFor(status);
        return Page();
    }

    private static int StatusFor(FireStatus status) => status switch
    {
        FireStatus.Conflict => StatusCodes.Status409Conflict,
        FireStatus.Forbidden => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status422UnprocessableEntity,
    };

    private static string? ReadProblem(IFormFile? file, long maxBytes, string limitText) =>
        file is null || file.Length == 0 ? "请选择文件。" : file.Length > maxBytes ? $"文件超过 {limitText}。" : null;

    private static async Task<byte[]> BufferAsync(IFormFile file)
    {
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await SelfEvaluationForm.LoadAsync(db, id, ct) is not { } form)
        {
            return false;
        }

        Form = form;
        Sheet = form.Sheet();
        AttachmentList = await db.SelfEvaluationAttachments.AsNoTracking().Where(a => a.SelfEvaluationId == id).OrderBy(a => a.UploadedAt).ToListAsync(ct);
        CanEdit = User.IsInRole(Roles.UnitFiller) && Auth.ClaimsExtensions.OrganisationId(User) == form.Record.OrganisationId
            && SelfEvaluationService.EditableStates.Contains(form.Record.Status);
        StateLabel = SelfEvaluationFilter.States(registry).Where(s => s.Id == form.Record.Status).Select(s => s.Label).FirstOrDefault() ?? form.Record.Status;
        if (form.Record.CaseId is { } caseId)
        {
            // The step that brought the case to where it is; shown only when that step was a 退回 (by the unit head or the bureau).
            var entered = await db.WorkflowHistory.AsNoTracking().Where(h => h.InstanceId == caseId && h.ToState == form.Record.Status && h.FromState != h.ToState)
                .OrderByDescending(h => h.Seq).FirstOrDefaultAsync(ct);
            Returned = entered is { Action: "return" } ? entered : null;
            var due = await db.WorkItems.AsNoTracking().Where(w => w.InstanceId == caseId && w.Status == WorkItemStatus.Open && w.DueAt != null)
                .OrderBy(w => w.DueAt).Select(w => w.DueAt).FirstOrDefaultAsync(ct);
            if (due is { } d)
            {
                // Due at the end of a day (midnight after it), shown as that day, as 待办 and the case page show it.
                var day = DateOnly.FromDateTime(china.ToLocal(d.AddSeconds(-1)).DateTime);
                TaskDue = day == form.Record.Deadline ? null : day;
                TaskOverdue = d < clock.GetUtcNow();
            }
        }

        MissingStatements = Rectifications.FollowUp.IsWithUnit(form.Record)
            ? (await Rectifications.FollowUpStated.ErrorsAsync(db, form.Record, ct)).Count
            : 0;
        return true;
    }

    /// <summary>
    /// The optional sub-rows (基本支出 人员/公用, 项目支出). A row without any amount is left out; an amount
    /// that is not a number or is negative is an error naming the row and the column.
    /// </summary>
    private List<FundsSubRow> FundsRowsFromInput(Dictionary<string, string[]> errors)
    {
        var rows = new List<FundsSubRow>();
        foreach (var (row, i) in Input.FundsRows.Select((r, i) => (r, i)))
        {
            if (string.IsNullOrWhiteSpace(row.Budget) && string.IsNullOrWhiteSpace(row.Executed) && string.IsNullOrWhiteSpace(row.UpperTransfer))
            {
                continue;
            }

            var name = Shared.TextInput.Line(row.Name) ?? $"资金明细第{i + 1}行";
            decimal? Parse(string? text, string column)
            {
                if (string.IsNullOrWhiteSpace(text))
                {
                    return null;
                }

                if (Plans.Money.TryParse(text, out var d) && d >= 0)
                {
                    return Plans.Money.Round(d);
                }

                errors[$"Input.FundsRows[{i}].{FundsColumns[column]}"] = [$"资金明细「{name}」的「{column}」须为不小于 0 的数字。"];
                return null;
            }

            var budget = Parse(row.Budget, "全年预算数");
            var executed = Parse(row.Executed, "全年执行数");
            var upper = Parse(row.UpperTransfer, "上级财政转移支付");
            if (Shared.TextInput.Line(row.Name) is null)
            {
                errors[$"Input.FundsRows[{i}].Name"] = [$"资金明细第{i + 1}行须填写名称。"];
            }

            rows.Add(new FundsSubRow(name, budget, executed, upper));
        }

        return rows;
    }

    /// <summary>所属独立核算单位个数 as typed: blank is not filled yet; anything but a whole number ≥ 0 is an error naming the field and the entry.</summary>
    private int? UnitsFromInput(Dictionary<string, string[]> errors)
    {
        if (HeaderFields.TryParseUnits(Input.IndependentUnits, out var units))
        {
            return units;
        }

        errors["Input.IndependentUnits"] = [$"「{HeaderFields.UnitsLabel}」“{Input.IndependentUnits!.Trim()}”不是有效的个数：{HeaderFields.UnitsMessage}。"];
        return null;
    }

    private static readonly Dictionary<string, string> FundsColumns = new(StringComparer.Ordinal)
    {
        ["全年预算数"] = nameof(FundsRowInput.Budget), ["全年执行数"] = nameof(FundsRowInput.Executed), ["上级财政转移支付"] = nameof(FundsRowInput.UpperTransfer),
    };

    private static decimal? Amount(string? text, string key, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (Plans.Money.TryParse(text, out var d))
        {
            return d;
        }

        // Quoted as typed, like the indicator cells' message: the user sees which entry is meant.
        errors[key] = [$"「{SelfEvaluationForm.FundsFieldLabels[key]}」“{text.Trim()}”不是数字。"];
        return null;
    }
}

internal sealed class FormInput
{
    /// <summary>所属独立核算单位个数 as typed (部门整体 only).</summary>
    public string? IndependentUnits { get; set; }

    /// <summary>部门职能概述 (部门整体 only).</summary>
    public string? Functions { get; set; }

    public string? Budget { get; set; }

    public string? Executed { get; set; }

    public string? UpperTransfer { get; set; }

    public string? GoalsPlanned { get; set; }

    public string? GoalsAchieved { get; set; }

    public Dictionary<string, string?> Report { get; set; } = [];

    public List<RowInput> Rows { get; set; } = [];

    /// <summary>基本支出（人员经费/公用经费）and 项目支出, each with its own execution rate.</summary>
    public List<FundsRowInput> FundsRows { get; set; } = [];

    public uint? ExpectedVersion { get; set; }

    /// <summary>Per field, a fingerprint of the stored value the page was loaded with (<see cref="FormSnapshot.Fingerprints"/>).</summary>
    public string? Fingerprints { get; set; }

    /// <summary>Takes the fields named by <see cref="FormConflict.TakenFromStored"/> keys from <paramref name="stored"/>.</summary>
    public void TakeStored(FormInput stored, IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            switch (key)
            {
                case "independentUnits": IndependentUnits = stored.IndependentUnits; break;
                case "functions": Functions = stored.Functions; break;
                case "budget": Budget = stored.Budget; break;
                case "executed": Executed = stored.Executed; break;
                case "upperTransfer": UpperTransfer = stored.UpperTransfer; break;
                case "fundsRows": FundsRows = stored.FundsRows; break;
                case "goalsPlanned": GoalsPlanned = stored.GoalsPlanned; break;
                case "goalsAchieved": GoalsAchieved = stored.GoalsAchieved; break;
                case "indicators": Rows = stored.Rows; break;
                case var k when k.StartsWith("report.", StringComparison.Ordinal):
                    Report[k["report.".Length..]] = stored.Report.GetValueOrDefault(k["report.".Length..]);
                    break;
                default: throw new InvalidOperationException($"No form input for the field key {key}.");
            }
        }
    }

    public static FormInput From(LoadedForm form) => new()
    {
        IndependentUnits = form.Record.IndependentUnits?.ToString(CultureInfo.InvariantCulture),
        Functions = form.Record.Functions,
        Budget = form.Record.FundsBudget?.ToString("0.00", CultureInfo.InvariantCulture),
        Executed = form.Record.FundsExecuted?.ToString("0.00", CultureInfo.InvariantCulture),
        UpperTransfer = form.Record.FundsUpperTransfer?.ToString("0.00", CultureInfo.InvariantCulture),
        GoalsPlanned = form.Record.GoalsPlanned,
        GoalsAchieved = form.Record.GoalsAchieved,
        FundsRows = FundsRowInput.From(form.Record.FundsRows, form.Record.Kind),
        Report = SelfEvaluationReport.Sections.ToDictionary(s => s.Key, s => form.Record.Report.Get(s.Key)),
        Rows = form.Rows.Select(r => new RowInput
        {
            Level1 = r.Level1, Level2 = r.Level2, Level3 = r.Level3, Content = r.Content, Target = r.Target, Actual = r.Actual,
            Weight = r.Weight?.ToString("0.##", CultureInfo.InvariantCulture), Score = r.Score?.ToString("0.##", CultureInfo.InvariantCulture),
            Reason = r.Reason, Measure = r.Measure,
        }).ToList(),
        ExpectedVersion = form.Record.RowVersion,
        Fingerprints = FormSnapshot.Of(form).Fingerprints(form.Record.RowVersion),
    };
}

internal sealed class RowInput
{
    public string? Level1 { get; set; }

    public string? Level2 { get; set; }

    public string? Level3 { get; set; }

    public string? Content { get; set; }

    public string? Target { get; set; }

    public string? Actual { get; set; }

    public string? Weight { get; set; }

    public string? Score { get; set; }

    public string? Reason { get; set; }

    public string? Measure { get; set; }

    public bool IsBlank => new[] { Level1, Level2, Level3, Content, Target, Actual, Weight, Score, Reason, Measure }.All(string.IsNullOrWhiteSpace);

    /// <param name="index">The row's place in the form: errors name it 第N行 (several rows share a 三级指标) and key it by its input.</param>
    public IndicatorLine ToLine(Dictionary<string, string[]> errors, int index)
    {
        decimal? Number(string? text, string label, string field)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (Plans.Money.TryParse(text, out var d))
            {
                return d;
            }

            var name = string.IsNullOrWhiteSpace(Level3 ?? Content) ? "" : $"（{(Level3 ?? Content)!.Trim()}）";
            errors[$"Input.Rows[{index}].{field}"] = [$"第{index + 1}行指标{name}的「{label}」“{text.Trim()}”不是数字。"];
            return null;
        }

        return SelfEvaluationForm.Normalised(new(Level1, Level2, Level3, Content, Target, Actual, Number(Weight, "分值", nameof(Weight)), Number(Score, "得分", nameof(Score)),
            Reason, Measure));
    }
}

internal sealed class FundsRowInput
{
    /// <summary>The rows a unit normally reports for its whole spending; offered blank until it fills them.</summary>
    public static readonly string[] StandardNames = ["基本支出-人员经费", "基本支出-公用经费", "项目支出"];

    /// <summary>A project's funds by source, as in the national 项目支出绩效自评表: it has no 基本支出.</summary>
    public static readonly string[] ProjectNames = ["当年财政拨款", "上年结转资金", "其他资金"];

    public string? Name { get; set; }

    public string? Budget { get; set; }

    public string? Executed { get; set; }

    public string? UpperTransfer { get; set; }

    public static List<FundsRowInput> From(IReadOnlyList<FundsSubRow> rows, Plans.EvaluationKind kind)
    {
        var list = rows.Select(r => new FundsRowInput
        {
            Name = r.Name,
            Budget = r.Budget?.ToString("0.00", CultureInfo.InvariantCulture),
            Executed = r.Executed?.ToString("0.00", CultureInfo.InvariantCulture),
            UpperTransfer = r.UpperTransfer?.ToString("0.00", CultureInfo.InvariantCulture),
        }).ToList();
        list.AddRange((kind == Plans.EvaluationKind.Project ? ProjectNames : StandardNames).Where(n => list.All(r => r.Name != n)).Select(n => new FundsRowInput { Name = n }));
        return list;
    }
}
