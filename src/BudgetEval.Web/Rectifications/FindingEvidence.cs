using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BudgetEval.Web.Rectifications;

/// <summary>
/// One uploaded version of an evidence file (整改佐证材料). A file uploaded again under the same name
/// becomes its next version; earlier versions stay, so what the bureau verified can always be shown.
/// </summary>
internal sealed class FindingEvidence
{
    public Guid Id { get; set; }

    public Guid FindingId { get; set; }

    /// <summary>Copied from the finding so the data-scope filter needs no join.</summary>
    public Guid OrganisationId { get; set; }

    public required string FileName { get; set; }

    public int Version { get; set; }

    public required string ContentType { get; set; }

    public long Size { get; set; }

    public required string Sha256 { get; set; }

    public required byte[] Content { get; set; }

    public DateTimeOffset UploadedAt { get; set; }

    public Guid UploadedBy { get; set; }

    public required string UploadedByName { get; set; }
}

internal sealed class FindingEvidenceConfiguration : IEntityTypeConfiguration<FindingEvidence>
{
    public void Configure(EntityTypeBuilder<FindingEvidence> b)
    {
        b.ToTable("finding_evidence");
        b.Property(a => a.FileName).HasMaxLength(255);
        b.Property(a => a.ContentType).HasMaxLength(100);
        b.Property(a => a.Sha256).HasMaxLength(64);
        b.Property(a => a.UploadedByName).HasMaxLength(100);
        b.HasOne<Findings.Finding>().WithMany().HasForeignKey(a => a.FindingId).OnDelete(DeleteBehavior.Restrict);

        // Two uploads of the same name racing for one version number: the second fails instead of overwriting history.
        b.HasIndex(a => new { a.FindingId, a.FileName, a.Version }).IsUnique();
    }
}
