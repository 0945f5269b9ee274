using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BudgetEval.Web.Evaluations.Fieldwork;

/// <summary>
/// The procedures of 现场评价 the 2021 sample report names (资料审阅、账务核实、检查支付记录、询问、实地核查), and 其他.
/// Stored by name, so a kind added later does not renumber the rows.
/// </summary>
internal enum FieldworkKind
{
    DocumentReview,
    AccountsCheck,
    PaymentCheck,
    Inquiry,
    SiteVisit,
    Other,
}

/// <summary>
/// One day's fieldwork of the firm's team on an evaluation (现场评价工作记录): what was done, where or on what, by whom,
/// and what it found. The firm's working record: the bureau reads it to judge the report's basis; the evaluated unit
/// does not see it (query filters, <c>AppDbContext</c>).
/// </summary>
internal sealed class FieldworkRecord
{
    public Guid Id { get; set; }

    public Guid EvaluationId { get; set; }

    /// <summary>The evaluated unit, copied from the evaluation like every owned row's organisation.</summary>
    public Guid OrganisationId { get; set; }

    /// <summary>The firm that recorded it, copied so the firm's scope filter reads the row's own column first.</summary>
    public Guid FirmId { get; set; }

    public FieldworkKind Kind { get; set; }

    public DateOnly Date { get; set; }

    /// <summary>对象或地点: the materials, accounts or site the work was on.</summary>
    public required string Subject { get; set; }

    public string? Participants { get; set; }

    /// <summary>工作内容及发现.</summary>
    public required string Content { get; set; }

    public Guid RecordedBy { get; set; }

    public required string RecordedByName { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    public string? UpdatedByName { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public uint RowVersion { get; set; }
}

internal sealed class FieldworkRecordConfiguration : IEntityTypeConfiguration<FieldworkRecord>
{
    public void Configure(EntityTypeBuilder<FieldworkRecord> b)
    {
        b.ToTable("fieldwork_records");
        b.Property(r => r.Kind).HasConversion<string>().HasMaxLength(30);
        b.Property(r => r.Subject).HasMaxLength(FieldworkRules.MaxLine);
        b.Property(r => r.Participants).HasMaxLength(FieldworkRules.MaxLine);
        b.Property(r => r.Content).HasMaxLength(FieldworkRules.MaxContent);
        b.Property(r => r.RecordedByName).HasMaxLength(200);
        b.Property(r => r.UpdatedByName).HasMaxLength(200);
        b.Property(r => r.RowVersion).IsRowVersion();
        b.HasOne<Evaluation>().WithMany().HasForeignKey(r => r.EvaluationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(r => new { r.EvaluationId, r.Date });
    }
}
