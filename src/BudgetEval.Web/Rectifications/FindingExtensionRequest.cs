using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BudgetEval.Web.Rectifications;

internal enum ExtensionDecision
{
    Granted,
    Refused,
}

/// <summary>
/// One 申请延期 of a finding and the bureau's answer to it (延期记录). The case history keeps who asked, when and
/// why, but not the date asked for, which the finding holds only until the bureau decides (then it is the deadline,
/// or cleared): this row keeps it, so a refused request still says on the finding page what was asked and why it was refused.
/// Written in the action's own transaction: the request by <see cref="FindingStatusMirror"/>, the answer by
/// <see cref="ApplyExtension"/> / <see cref="DropExtension"/>.
/// </summary>
internal sealed class FindingExtensionRequest
{
    public Guid Id { get; set; }

    public Guid FindingId { get; set; }

    /// <summary>Copied from the finding so the data-scope filter needs no join.</summary>
    public Guid OrganisationId { get; set; }

    public Guid CaseId { get; set; }

    /// <summary>The case history entry of 申请延期 (<c>workflow_history.seq</c>), so the page does not show it twice.</summary>
    public int RequestSeq { get; set; }

    /// <summary>The date asked for; null only for a request whose date was never saved (a state set by hand).</summary>
    public DateOnly? RequestedDeadline { get; set; }

    /// <summary>The deadline when the request was made.</summary>
    public DateOnly DeadlineBefore { get; set; }

    public string? Reason { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    /// <summary>Null only for a request taken from the history of a deleted account.</summary>
    public Guid? RequestedBy { get; set; }

    public required string RequestedByName { get; set; }

    /// <summary>Null while the bureau has not decided.</summary>
    public ExtensionDecision? Decision { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public Guid? DecidedBy { get; set; }

    public string? DecidedByName { get; set; }

    public string? DecisionComment { get; set; }
}

internal sealed class FindingExtensionRequestConfiguration : IEntityTypeConfiguration<FindingExtensionRequest>
{
    public void Configure(EntityTypeBuilder<FindingExtensionRequest> b)
    {
        b.ToTable("finding_extension_requests");
        b.Property(r => r.Reason).HasMaxLength(Workflows.WorkflowEngine.MaxCommentLength);
        b.Property(r => r.DecisionComment).HasMaxLength(Workflows.WorkflowEngine.MaxCommentLength);
        b.Property(r => r.RequestedByName).HasMaxLength(200);
        b.Property(r => r.DecidedByName).HasMaxLength(200);
        b.Property(r => r.Decision).HasConversion<string>().HasMaxLength(20);
        b.HasOne<Findings.Finding>().WithMany().HasForeignKey(r => r.FindingId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(r => new { r.CaseId, r.RequestSeq }).IsUnique();
        b.HasIndex(r => r.FindingId);
    }
}
