namespace BudgetEval.Web.Notifications;

/// <summary>An in-app message (站内消息), written in the same transaction as the change it reports.</summary>
internal sealed class Notification
{
    public Guid Id { get; set; }

    public Guid RecipientUserId { get; set; }

    /// <summary>Which template produced it (<see cref="NotificationEvent"/>), for the digest and the icons.</summary>
    public string? Event { get; set; }

    public required string Title { get; set; }

    public required string Body { get; set; }

    public string? Link { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ReadAt { get; set; }

    /// <summary>Waiting for the recipient's daily digest e-mail (users who chose 每日汇总).</summary>
    public bool DigestPending { get; set; }
}

internal enum EmailMode
{
    Immediate = 1,
    DailyDigest = 2,
}

/// <summary>A user's 通知设置. No row means the defaults: immediate mail, everything on.</summary>
internal sealed class NotificationPreference
{
    public Guid UserId { get; set; }

    public EmailMode EmailMode { get; set; } = EmailMode.Immediate;

    /// <summary>Mail for events other than reminders and escalations, which are always sent.</summary>
    public bool NonEssentialEmail { get; set; } = true;

    public DateTimeOffset UpdatedAt { get; set; }
}

internal enum OutboxStatus
{
    Pending = 1,
    Sent = 2,
    Failed = 3,
}

/// <summary>
/// One e-mail to deliver. Written in the transaction of the change that causes it, so nothing is sent
/// for a change that rolled back and nothing is lost while the mail server is down.
/// </summary>
internal sealed class OutboxMessage
{
    public Guid Id { get; set; }

    public Guid? RecipientUserId { get; set; }

    public required string ToAddress { get; set; }

    public string? ToName { get; set; }

    public required string Event { get; set; }

    public required string Subject { get; set; }

    public required string Html { get; set; }

    public required string Text { get; set; }

    public OutboxStatus Status { get; set; } = OutboxStatus.Pending;

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }
}
