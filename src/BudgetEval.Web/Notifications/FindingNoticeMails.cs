using BudgetEval.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Notifications;

/// <summary>
/// An accepted report's problems, or a 批量导入, start many rectification cases in one transaction, each with its 整改通知
/// to the unit's people: a unit got one mail per finding, all in the same second. Before that transaction is saved, a
/// person's several 整改通知 mails become one listing them (at most <see cref="MailTemplates.SummaryMaxItems"/> a mail),
/// as the reminder sweep does for 催办. The in-app notices stay one per finding, each with its link.
/// </summary>
internal static class FindingNoticeMails
{
    /// <summary>Works on the rows tracked for the save: call it after every case was started, before SaveChanges.</summary>
    public static void Combine(AppDbContext db, NotificationWriter writer, DateTimeOffset now)
    {
        var notice = nameof(NotificationEvent.FindingNotice);
        var mails = db.ChangeTracker.Entries<OutboxMessage>().Where(e => e.State == EntityState.Added && e.Entity.Event == notice).Select(e => e.Entity).ToList();
        if (mails.Count < 2)
        {
            return;
        }

        var notices = db.ChangeTracker.Entries<Notification>().Where(e => e.State == EntityState.Added && e.Entity.Event == notice).Select(e => e.Entity)
            .ToLookup(n => n.RecipientUserId);
        foreach (var mine in mails.Where(m => m.RecipientUserId is not null).GroupBy(m => (User: m.RecipientUserId!.Value, m.ToAddress)).Where(g => g.Count() > 1))
        {
            // Everyone's mail of one event follows the same preferences, so each mailed notice has its mail; if that ever
            // fails to hold, the mails stay as they are rather than list the wrong findings.
            var listed = notices[mine.Key.User].OrderBy(n => n.Title, StringComparer.Ordinal).ToList();
            if (listed.Count != mine.Count())
            {
                continue;
            }

            var first = mine.First();
            db.Outbox.RemoveRange(mine);
            foreach (var chunk in listed.Chunk(MailTemplates.SummaryMaxItems))
            {
                db.Outbox.Add(NotificationWriter.NewMessage(mine.Key.User, mine.Key.ToAddress, first.ToName, nameof(NotificationEvent.FindingNoticeSummary),
                    MailTemplates.FindingNoticeSummary(first.ToName ?? mine.Key.ToAddress, [.. chunk.Select(n => (n.Title, n.Body, n.Link))], writer.BaseUrl), now));
            }
        }
    }
}
