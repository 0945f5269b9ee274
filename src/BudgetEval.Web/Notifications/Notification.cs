namespace BudgetEval.Web.Notifications;

/// <summary>An in-app message (站内消息), written in the same transaction as the change it reports.</summary>
internal sealed class Notification
{
    public Guid Id { get; set; }

    public Guid RecipientUserId { get; set; }

    public required string Title { get; set; }

    public required string Body { get; set; }

    public string? Link { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ReadAt { get; set; }
}
