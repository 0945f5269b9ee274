using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BudgetEval.Web.Notifications;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.ToTable("notifications");
        b.Property(n => n.Event).HasMaxLength(50);
        b.Property(n => n.Title).HasMaxLength(200);
        b.Property(n => n.Body).HasMaxLength(2000);
        b.Property(n => n.Link).HasMaxLength(500);
        b.HasIndex(n => new { n.RecipientUserId, n.ReadAt });
        // The digest job reads only what waits for it.
        b.HasIndex(n => n.RecipientUserId).HasDatabaseName("ix_notifications_digest_pending").HasFilter("\"DigestPending\"");
    }
}

internal sealed class NotificationPreferenceConfiguration : IEntityTypeConfiguration<NotificationPreference>
{
    public void Configure(EntityTypeBuilder<NotificationPreference> b)
    {
        b.ToTable("notification_preferences");
        b.HasKey(p => p.UserId);
        b.Property(p => p.EmailMode).HasConversion<string>().HasMaxLength(20);
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("outbox");
        b.Property(m => m.ToAddress).HasMaxLength(256);
        b.Property(m => m.ToName).HasMaxLength(100);
        b.Property(m => m.Event).HasMaxLength(50);
        b.Property(m => m.Subject).HasMaxLength(300);
        b.Property(m => m.LastError).HasMaxLength(2000);
        b.Property(m => m.Status).HasConversion<string>().HasMaxLength(20);
        // Delivery reads only pending rows whose time has come.
        b.HasIndex(m => m.NextAttemptAt).HasFilter("\"Status\" = 'Pending'");
        b.HasIndex(m => new { m.Status, m.CreatedAt });
    }
}
