using System.Text.Json;
using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BudgetEval.Web.Evaluations.ReplacedFirms;

/// <summary>
/// What a replaced firm left on the evaluation (更换评价机构): its scores, total and grade, draft report and problems,
/// frozen in the replacement's transaction, because the new firm takes the table over and overwrites them as it revises.
/// Append-only: written by <see cref="ReleaseFirm"/> and never changed or deleted (no page or endpoint writes it).
/// </summary>
internal sealed class ReplacedFirmRecord
{
    public Guid Id { get; set; }

    public Guid EvaluationId { get; set; }

    /// <summary>The evaluated unit, copied from the evaluation so the data scope filters without a join.</summary>
    public Guid OrganisationId { get; set; }

    /// <summary>1 for the evaluation's first replacement, 2 for the next…</summary>
    public int No { get; set; }

    /// <summary>The seq of the case's 更换评价机构 history entry, so the evaluation page links that entry to this record.</summary>
    public int HistorySeq { get; set; }

    /// <summary>The replaced firm; null only if the case had none recorded.</summary>
    public Guid? FirmId { get; set; }

    public required string FirmName { get; set; }

    public DateTimeOffset ReplacedAt { get; set; }

    public Guid ReplacedBy { get; set; }

    public required string ReplacedByName { get; set; }

    public required string Reason { get; set; }

    public required string ContentJson { get; set; }

    public ReplacedFirmContent Content => JsonSerializer.Deserialize<ReplacedFirmContent>(ContentJson, Evaluation.Json)!;
}

/// <summary>
/// The old firm's work as it stood: the table's rows (with 分值, 得分 and 评分说明) and the sheet's arithmetic as
/// <see cref="EvaluationScoreSheet"/> computed it then, the draft report's sections and its problems (the firm writes
/// both and the new firm rewrites them), and the report number and date it had given. <see cref="State"/> is where the
/// case stood (评价及报告初稿 or 正式报告).
/// </summary>
internal sealed record ReplacedFirmContent(
    string State,
    string StateLabel,
    IReadOnlyList<ScoreRow> Rows,
    IReadOnlyList<GroupSubtotal> Groups,
    decimal WeightTotal,
    decimal Total,
    string Grade,
    IReadOnlyList<string> Incomplete,
    IReadOnlyDictionary<string, string> Report,
    IReadOnlyList<Problem> Problems,
    string? ReportNumber,
    DateOnly? ReportDate)
{
    public static ReplacedFirmContent Of(Evaluation e, string state, string stateLabel)
    {
        var sheet = EvaluationSubject.Sheet(e);
        return new(state, stateLabel, e.Rows, sheet.Groups, sheet.WeightTotal, sheet.Total, sheet.Grade, sheet.Incomplete, e.Report, e.Problems, e.ReportNumber, e.ReportDate);
    }
}

internal sealed class ReplacedFirmRecordConfiguration : IEntityTypeConfiguration<ReplacedFirmRecord>
{
    public void Configure(EntityTypeBuilder<ReplacedFirmRecord> b)
    {
        b.ToTable("replaced_firm_records");
        b.Property(r => r.FirmName).HasMaxLength(300);
        b.Property(r => r.ReplacedByName).HasMaxLength(200);
        b.Property(r => r.Reason).HasMaxLength(20000);
        b.Property(r => r.ContentJson).HasColumnType("jsonb");
        b.Ignore(r => r.Content);

        // Restrict: the record outlives nothing it describes; an evaluation with one is not deleted.
        b.HasOne<Evaluation>().WithMany().HasForeignKey(r => r.EvaluationId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(r => new { r.EvaluationId, r.No }).IsUnique();
    }
}

/// <summary>Who reads the records: whoever may see the evaluation's score table now (<see cref="EvaluationService.MaySeeReport"/>).</summary>
internal static class ReplacedFirmRecords
{
    /// <summary>The evaluation and its records, oldest first, or null when the caller may not read them (answered 404).</summary>
    public static async Task<(Evaluation Evaluation, IReadOnlyList<ReplacedFirmRecord> Records)?> VisibleAsync(AppDbContext db, DataScope scope, Guid id, CancellationToken ct)
    {
        if (await db.Evaluations.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct) is not { } e || !EvaluationService.MaySeeReport(e, scope))
        {
            return null;
        }

        return (e, await db.ReplacedFirmRecords.AsNoTracking().Where(r => r.EvaluationId == id).OrderBy(r => r.No).ToListAsync(ct));
    }

    /// <summary>Freezes the firm's work inside the 更换评价机构 transaction (before <see cref="FirmHandover.Release"/> clears its report number).</summary>
    public static async Task AddAsync(FireContext context, Evaluation e, Guid? firmId, string? firmName, CancellationToken ct)
    {
        var earlier = await context.Db.ReplacedFirmRecords.IgnoreQueryFilters().CountAsync(r => r.EvaluationId == e.Id, ct);
        context.Db.ReplacedFirmRecords.Add(new ReplacedFirmRecord
        {
            Id = Guid.CreateVersion7(context.Now),
            EvaluationId = e.Id,
            OrganisationId = e.OrganisationId,
            No = earlier + 1,
            HistorySeq = context.Instance.HistorySeq + 1, // the engine appends the action's entry after the effects
            FirmId = firmId,
            FirmName = firmName ?? "（未记录）",
            ReplacedAt = context.Now,
            ReplacedBy = context.Actor.UserId,
            ReplacedByName = context.Actor.DisplayName,
            Reason = context.Comment ?? string.Empty,
            ContentJson = JsonSerializer.Serialize(ReplacedFirmContent.Of(e, context.From.Id, context.From.Label), Evaluation.Json),
        });
    }
}
