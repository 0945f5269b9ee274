using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Evaluations.Fieldwork;

/// <summary>What a caller sends for a record: <see cref="Kind"/> as the enum name or its Chinese label.</summary>
internal sealed record FieldworkInput(string? Kind, DateOnly? Date, string? Subject, string? Participants, string? Content);

internal sealed record FieldworkResult(FireStatus Status, FieldworkRecord? Record, IReadOnlyList<FieldError> Errors)
{
    public bool Succeeded => Status == FireStatus.Ok;

    public static FieldworkResult Ok(FieldworkRecord? record) => new(FireStatus.Ok, record, []);

    public static FieldworkResult Fail(FireStatus status, string message, string field = "") => new(status, null, [new FieldError(field, message)]);
}

/// <summary>An evaluation's fieldwork records as its caller may see them, and whether that caller may change them now.</summary>
internal sealed record FieldworkList(Evaluation Evaluation, IReadOnlyList<FieldworkRecord> Records, bool MayEdit, bool IsFirm);

/// <summary>The rules of 现场评价工作记录, shared by the page, the API and the demo seed.</summary>
internal static class FieldworkRules
{
    public const int MaxLine = 200;

    public const int MaxContent = 4000;

    /// <summary>Records per evaluation: weeks of daily steps fit many times over, and the page and API list them whole.</summary>
    public const int MaxRecords = 500;

    /// <summary>While the firm works on the report: drafting, the unit's comment window (points it disputes are checked again) and the final report.</summary>
    public static readonly string[] EditableStates = ["drafting", "comment_window", "final_report"];

    public static readonly IReadOnlyList<(FieldworkKind Kind, string Label)> Kinds =
    [
        (FieldworkKind.DocumentReview, "资料审阅"),
        (FieldworkKind.AccountsCheck, "账务核实"),
        (FieldworkKind.PaymentCheck, "检查支付记录"),
        (FieldworkKind.Inquiry, "询问"),
        (FieldworkKind.SiteVisit, "实地核查"),
        (FieldworkKind.Other, "其他"),
    ];

    public static string Label(FieldworkKind kind) => Kinds.First(k => k.Kind == kind).Label;

    public static FieldworkKind? Parse(string? text)
    {
        var t = text?.Trim();
        foreach (var (kind, label) in Kinds)
        {
            if (string.Equals(t, kind.ToString(), StringComparison.OrdinalIgnoreCase) || t == label)
            {
                return kind;
            }
        }

        return null;
    }

    /// <summary>The bureau and the assigned firm read the records; the evaluated unit does not (the firm's working record).</summary>
    public static bool MayRead(Evaluation e, WorkflowActor actor) => actor.OrganisationKind == OrganisationKind.FinanceBureau || EvaluationService.IsFirmOf(e, actor);

    /// <summary>
    /// Every field checked at once, each message naming its field (keys as the API spells them). The date lies in the
    /// evaluated year or after it (fieldwork on year N happens in N+1, sometimes late in N), and not in the future.
    /// </summary>
    public static List<FieldError> Validate(FieldworkInput input, int fiscalYear, DateOnly today, out FieldworkKind kind)
    {
        var errors = new List<FieldError>();
        kind = FieldworkKind.Other;
        if (string.IsNullOrWhiteSpace(input.Kind))
        {
            errors.Add(new("kind", "请选择「工作方式」。"));
        }
        else if (Parse(input.Kind) is { } k)
        {
            kind = k;
        }
        else
        {
            errors.Add(new("kind", $"「工作方式」应为{string.Join("、", Kinds.Select(x => x.Label))}之一。"));
        }

        var earliest = new DateOnly(fiscalYear, 1, 1);
        if (input.Date is not { } date)
        {
            errors.Add(new("date", "请填写「日期」。"));
        }
        else if (date < earliest || date > today)
        {
            errors.Add(new("date", $"「日期」应在 {ChineseFormat.Date(earliest)} 至今天（{ChineseFormat.Date(today)}）之间。"));
        }

        Line(errors, "subject", "对象或地点", input.Subject, required: true);
        Line(errors, "participants", "参与人员", input.Participants, required: false);
        var content = TextInput.Block(input.Content);
        if (content is null)
        {
            errors.Add(new("content", "请填写「工作内容及发现」。"));
        }
        else if (content.Length > MaxContent)
        {
            errors.Add(new("content", $"「工作内容及发现」不能超过 {MaxContent} 字（现为 {content.Length} 字）。"));
        }

        return errors;
    }

    private static void Line(List<FieldError> errors, string field, string label, string? text, bool required)
    {
        var line = TextInput.Line(text);
        if (line is null && required)
        {
            errors.Add(new(field, $"请填写「{label}」。"));
        }
        else if (line?.Length > MaxLine)
        {
            errors.Add(new(field, $"「{label}」不能超过 {MaxLine} 字（现为 {line.Length} 字）。"));
        }
    }
}

/// <summary>
/// Adds, corrects and deletes 现场评价工作记录. Adding never conflicts (teammates record their own days side by side);
/// a correction or deletion carries the version of the record it was made on and is refused when the record changed since.
/// </summary>
internal sealed class FieldworkService(AppDbContext db, TimeProvider clock, ChinaClock china)
{
    public const string StaleMessage = "该条记录已被他人修改（本次保存未生效）：已保留您填写的内容，请核对对方保存的内容后再保存。";

    public const string GoneMessage = "该条记录已被他人删除。";

    public const string ClosedMessage = "当前环节不能修改现场评价工作记录：评价报告已提交财政局审核或评价已结束。";

    public static string MissingVersionMessage(Guid id) =>
        $"缺少版本号 expectedVersion：请先读取记录（GET /api/evaluations/{id}/fieldwork，返回的 version）并随修改一并提交，以免覆盖他人的修改。";

    /// <summary>The records in the order they happened, or null when the caller may not see them (404).</summary>
    public async Task<FieldworkList?> ListAsync(Guid evaluationId, WorkflowActor actor, CancellationToken ct)
    {
        if (await VisibleAsync(evaluationId, actor, ct) is not { } e)
        {
            return null;
        }

        var records = await db.FieldworkRecords.AsNoTracking().Where(r => r.EvaluationId == evaluationId)
            .OrderBy(r => r.Date).ThenBy(r => r.RecordedAt).ThenBy(r => r.Id).ToListAsync(ct);
        var isFirm = EvaluationService.IsFirmOf(e, actor);
        return new(e, records, isFirm && FieldworkRules.EditableStates.Contains(e.Status), isFirm);
    }

    /// <summary>The evaluation if the caller may read its records (the scope filters first, then <see cref="FieldworkRules.MayRead"/>).</summary>
    private async Task<Evaluation?> VisibleAsync(Guid evaluationId, WorkflowActor actor, CancellationToken ct) =>
        await db.Evaluations.AsNoTracking().SingleOrDefaultAsync(x => x.Id == evaluationId, ct) is { } e && FieldworkRules.MayRead(e, actor) ? e : null;

    public async Task<int> CountAsync(Guid evaluationId, CancellationToken ct) =>
        await db.FieldworkRecords.CountAsync(r => r.EvaluationId == evaluationId, ct);

    public Task<FieldworkResult> AddAsync(Guid evaluationId, FieldworkInput input, WorkflowActor actor, CancellationToken ct) =>
        ChangeAsync(evaluationId, null, null, input, actor, (e, _, kind) =>
        {
            var now = clock.GetUtcNow();
            var record = new FieldworkRecord
            {
                Id = Guid.CreateVersion7(), EvaluationId = e.Id, OrganisationId = e.OrganisationId, FirmId = e.FirmId!.Value,
                Subject = string.Empty, Content = string.Empty, RecordedBy = actor.UserId, RecordedByName = actor.DisplayName, RecordedAt = now,
            };
            Fill(record, input, kind!.Value);
            db.FieldworkRecords.Add(record);
            return record;
        }, ct);

    public Task<FieldworkResult> UpdateAsync(Guid evaluationId, Guid recordId, FieldworkInput input, uint? expectedVersion, WorkflowActor actor, CancellationToken ct) =>
        ChangeAsync(evaluationId, recordId, expectedVersion, input, actor, (_, record, kind) =>
        {
            Fill(record!, input, kind!.Value);
            record!.UpdatedByName = actor.DisplayName;
            record.UpdatedAt = clock.GetUtcNow();
            return record;
        }, ct);

    public Task<FieldworkResult> DeleteAsync(Guid evaluationId, Guid recordId, uint? expectedVersion, WorkflowActor actor, CancellationToken ct) =>
        ChangeAsync(evaluationId, recordId, expectedVersion, null, actor, (_, record, _) =>
        {
            db.FieldworkRecords.Remove(record!);
            return null;
        }, ct);

    private static void Fill(FieldworkRecord record, FieldworkInput input, FieldworkKind kind)
    {
        record.Kind = kind;
        record.Date = input.Date!.Value;
        record.Subject = TextInput.Line(input.Subject)!;
        record.Participants = TextInput.Line(input.Participants);
        record.Content = TextInput.Block(input.Content)!;
    }

    /// <summary>
    /// Access (404 unseen, 403 not the firm), version present (a correction or deletion), state, the record and its
    /// version, the input; then the change is saved, its concurrency token ending a race that slipped in between in 409.
    /// </summary>
    private async Task<FieldworkResult> ChangeAsync(Guid evaluationId, Guid? recordId, uint? expectedVersion, FieldworkInput? input, WorkflowActor actor,
        Func<Evaluation, FieldworkRecord?, FieldworkKind?, FieldworkRecord?> change, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        if (await VisibleAsync(evaluationId, actor, ct) is not { } e)
        {
            return FieldworkResult.Fail(FireStatus.NotFound, "记录不存在或您无权查看。");
        }

        if (!EvaluationService.IsFirmOf(e, actor))
        {
            return FieldworkResult.Fail(FireStatus.Forbidden, "只有受托评价机构的评价人员可以填写现场评价工作记录。");
        }

        if (recordId is not null && expectedVersion is null)
        {
            return FieldworkResult.Fail(FireStatus.Invalid, MissingVersionMessage(evaluationId), "expectedVersion");
        }

        if (!FieldworkRules.EditableStates.Contains(e.Status))
        {
            return FieldworkResult.Fail(FireStatus.Invalid, ClosedMessage);
        }

        FieldworkRecord? record = null;
        if (recordId is { } rid)
        {
            record = await db.FieldworkRecords.SingleOrDefaultAsync(r => r.Id == rid && r.EvaluationId == evaluationId, ct);
            if (record is null)
            {
                return FieldworkResult.Fail(FireStatus.Conflict, GoneMessage);
            }

            if (record.RowVersion != expectedVersion)
            {
                db.ChangeTracker.Clear();
                return FieldworkResult.Fail(FireStatus.Conflict, StaleMessage);
            }
        }

        if (recordId is null && await db.FieldworkRecords.CountAsync(r => r.EvaluationId == evaluationId, ct) >= FieldworkRules.MaxRecords)
        {
            return FieldworkResult.Fail(FireStatus.Invalid, $"每个评价最多 {FieldworkRules.MaxRecords} 条现场评价工作记录，请合并同类记录后再添加。");
        }

        FieldworkKind? kind = null;
        if (input is not null)
        {
            var errors = FieldworkRules.Validate(input, e.FiscalYear, china.Today(clock), out var k);
            if (errors.Count > 0)
            {
                db.ChangeTracker.Clear();
                return new(FireStatus.Invalid, null, errors);
            }

            kind = k;
        }

        var saved = change(e, record, kind);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return FieldworkResult.Fail(FireStatus.Conflict, StaleMessage);
        }

        return FieldworkResult.Ok(saved);
    }
}
