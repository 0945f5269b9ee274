using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.SelfEvaluations.Import;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.SelfEvaluations;

/// <summary>
/// Indicator import and attachments, shared by the API and the 自评表 page, so both take the same checks
/// and go through <see cref="SelfEvaluationService.EditAsync"/> (who may change what, when).
/// </summary>
internal sealed class FormFiles(SelfEvaluationService service, AppDbContext db, TimeProvider clock)
{
    /// <summary>The blank import table as UTF-8 CSV with a BOM, so Excel opens the Chinese header correctly.</summary>
    public static byte[] BlankCsv() =>
        [.. System.Text.Encoding.UTF8.GetPreamble(), .. System.Text.Encoding.UTF8.GetBytes(CsvText.Write([IndicatorFile.Header]))];

    /// <summary>
    /// Reads the whole file first; only a file without a single bad cell replaces the table. The notes tell
    /// the user what in an accepted file was not imported.
    /// </summary>
    public async Task<(SelfEvaluationSaveResult? Saved, IReadOnlyList<ImportError> Errors, int Count, IReadOnlyList<string> Notes)> ImportIndicatorsAsync(
        Guid id, string fileName, byte[] content, WorkflowActor actor, CancellationToken ct)
    {
        var result = IndicatorFile.Read(fileName, content);
        if (!result.Succeeded)
        {
            return (null, result.Errors, 0, []);
        }

        var notes = result.Notes;
        var saved = await service.EditAsync(id, actor, null, async (se, c) =>
        {
            await SelfEvaluationForm.ReplaceIndicatorsAsync(db, se, result.Lines, clock.GetUtcNow(), c);

            // The header fields' named cells: taken on a 部门整体 form when filled; blank or absent (an older file) leaves the form's own.
            // Only a value that changes the form is mentioned: re-importing an unchanged export says nothing new.
            var header = new List<string>();
            if (result.IndependentUnits is { } units && HeaderFields.Apply(se) && units != se.IndependentUnits)
            {
                se.IndependentUnits = units;
                header.Add(HeaderFields.UnitsLabel);
            }

            if (result.Functions is { } functions && HeaderFields.Apply(se) && functions != se.Functions)
            {
                se.Functions = functions;
                header.Add(HeaderFields.FunctionsLabel);
            }

            // One note says what was taken: "只导入了指标" followed by "同时导入了…" contradicted itself.
            if (result.Funds is { } funds)
            {
                notes = [FundsNote(funds, se, header), .. result.Notes];
            }
            else if (header.Count > 0)
            {
                notes = [.. notes, $"同时导入了{Named(header)}。"];
            }

            return null;
        }, ct);
        return (saved, [], result.Lines.Count, notes);
    }

    /// <summary>
    /// An exported 自评表 carries the funds and the goals above its indicators. The import takes the indicators
    /// only (funds have their own checks and 执行率 on the form), so the user is told, and told which amounts
    /// in the file differ from the form: an edit there would otherwise be lost without a word.
    /// </summary>
    private static string Named(IEnumerable<string> labels) => string.Join("、", labels.Select(h => $"「{h}」"));

    private static string FundsNote(IReadOnlyList<FundsLine> funds, SelfEvaluation se, IReadOnlyList<string> header)
    {
        static bool Same(FundsCell? cell, decimal? saved) => cell is null
            || (cell.Text.Length == 0 ? saved is null
                : decimal.TryParse(cell.Text, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var value) && value == saved);

        var differ = new List<string>();
        foreach (var line in funds)
        {
            var (budget, executed, transfer) = line.Name == Export.FormWorkbook.FundsTotal ? (se.FundsBudget, se.FundsExecuted, se.FundsUpperTransfer)
                : se.FundsRows.FirstOrDefault(r => r.Name == line.Name) is { } row ? (row.Budget, row.Executed, row.UpperTransfer)
                : (null, null, null);
            (FundsCell? Cell, decimal? Saved)[] pairs = [(line.Budget, budget), (line.Executed, executed), (line.UpperTransfer, transfer)];
            differ.AddRange(pairs.Where(x => !Same(x.Cell, x.Saved)).Select(x => x.Cell!.Cell));
        }

        var note = $"只导入了指标{(header.Count > 0 ? "和" + Named(header) : string.Empty)}：文件中的资金情况和年度总体目标不随指标导入，如需修改，请在自评表页面上修改。";
        return differ.Count == 0 ? note : note + $"文件中 {string.Join("、", differ)} 的金额与表单上的不同，未被采用。";
    }

    /// <summary>Type and size are checked before anything is stored; a refused file answers with the reason and no save result.</summary>
    public async Task<(SelfEvaluationSaveResult? Saved, SelfEvaluationAttachment? Added, string? Problem)> AddAttachmentAsync(
        Guid id, string fileName, byte[] content, WorkflowActor actor, CancellationToken ct)
    {
        if (Attachments.Check(fileName, content) is { } problem)
        {
            return (null, null, problem);
        }

        SelfEvaluationAttachment? added = null;
        var saved = await service.EditAsync(id, actor, null, async (se, c) =>
        {
            added = Attachments.Create(se, fileName, content, actor, clock.GetUtcNow());

            // A double click or a resent form must not store the same file twice.
            if (await db.SelfEvaluationAttachments.AnyAsync(a => a.SelfEvaluationId == se.Id && a.FileName == fileName && a.Sha256 == added.Sha256, c))
            {
                added = null;
                return new Dictionary<string, string[]> { ["file"] = [$"附件「{fileName}」已上传过（内容相同），未重复保存。"] };
            }

            db.SelfEvaluationAttachments.Add(added);
            return null;
        }, ct, movesVersion: false);
        return (saved, added, null);
    }

    /// <summary>Attachments are records of their own: adding or deleting one leaves the form's version (its fields' concurrency check) as it is.</summary>
    public Task<SelfEvaluationSaveResult> DeleteAttachmentAsync(Guid id, Guid attachmentId, WorkflowActor actor, CancellationToken ct) =>
        service.EditAsync(id, actor, null, async (se, c) =>
        {
            var n = await db.SelfEvaluationAttachments.Where(a => a.Id == attachmentId && a.SelfEvaluationId == se.Id).ExecuteDeleteAsync(c);
            return n == 0 ? new Dictionary<string, string[]> { ["attachment"] = ["附件不存在。"] } : null;
        }, ct, movesVersion: false);

    /// <summary>Through the data scope: another unit's file is not found.</summary>
    public Task<SelfEvaluationAttachment?> FindAttachmentAsync(Guid id, Guid attachmentId, CancellationToken ct) =>
        db.SelfEvaluationAttachments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == attachmentId && a.SelfEvaluationId == id, ct);
}
