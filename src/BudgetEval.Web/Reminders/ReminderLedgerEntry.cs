using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BudgetEval.Web.Reminders;

/// <summary>
/// One reminder given: (work item, stage, day, recipient) is unique, so however often the sweep runs, on
/// however many nodes, a reminder exists once. The notification and outbox rows are written in the same
/// transaction, so a ledger row means the reminder was really queued.
/// </summary>
internal sealed class ReminderLedgerEntry
{
    public long Id { get; set; }

    public Guid WorkItemId { get; set; }

    /// <summary>before-7, before-3, before-1, due, overdue, escalate-UnitHead, …, or manual-{id} for 催办.</summary>
    public required string Stage { get; set; }

    /// <summary>The civil day (Asia/Shanghai) the reminder belongs to.</summary>
    public DateOnly Day { get; set; }

    public Guid RecipientUserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Who sent a manual 催办 (null for the sweep).</summary>
    public Guid? SentBy { get; set; }

    public string? Message { get; set; }
}

internal sealed class ReminderLedgerConfiguration : IEntityTypeConfiguration<ReminderLedgerEntry>
{
    public void Configure(EntityTypeBuilder<ReminderLedgerEntry> b)
    {
        b.ToTable("reminder_ledger");
        b.Property(r => r.Stage).HasMaxLength(60);
        b.Property(r => r.Message).HasMaxLength(1000);
        b.HasIndex(r => new { r.WorkItemId, r.Stage, r.Day, r.RecipientUserId }).IsUnique();
        b.HasIndex(r => r.CreatedAt);
    }
}
