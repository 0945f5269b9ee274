using BudgetEval.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Notifications;

/// <summary>
/// One transaction that starts many cases — an accepted report's problems or a 问题批量导入 (整改通知 each), a published
/// plan (a 自评 per unit and project) — wrote each of a unit's people one mail per case, all in the same second. Before
/// that transaction is saved, a person's several mails of the kind become one listing them (at most
/// <see cref="MailTemplates.SummaryMaxItems"/> a mail), as the reminder sweep does for 催办. The in-app notices stay one per
/// case, each with its link.
/// </summary>
internal static class CombinedMails
{
    /// <summary>The 整改通知 of a registration: two or more to one person become one 整改通知 listing.</summary>
    public static void FindingNotices(AppDbContext db, NotificationWriter writer, DateTimeOffset now) =>
        Combine(db, [NotificationEvent.FindingNotice], NotificationEvent.FindingNoticeSummary, 2, n => (n.Title, n.Body, n.Link),
            (name, lines) => MailTemplates.FindingNoticeSummary(name, lines, writer.BaseUrl), now);

    /// <summary>
    /// A plan's publication (or a unit added by 计划变更): each of the unit's people gets one 评价工作计划已发布 mail naming
    /// the plan and listing the unit's self-evaluations (<paramref name="titles"/>, by case link), instead of a 待办 or
    /// 办理结果 mail per self-evaluation.
    /// </summary>
    public static void PlanPublished(AppDbContext db, NotificationWriter writer, Plans.Plan plan, IReadOnlyDictionary<string, string> titles, DateTimeOffset now)
    {
        var due = Shared.ChineseFormat.Date(plan.Deadline);
        Combine(db, [NotificationEvent.TaskAssigned, NotificationEvent.Decision], NotificationEvent.PlanPublished, 1,
            n => n.Link is { } link && titles.TryGetValue(link, out var title) ? (title, $"截止日期：{due}", link) : null,
            (name, lines) => MailTemplates.PlanPublishedSummary(name, plan.Title, plan.NoticeNumber, due, lines, writer.BaseUrl), now);
    }

    /// <param name="line">A notice's line in the listing; null when the notice is not one of this transaction's kind (left alone).</param>
    private static void Combine(AppDbContext db, NotificationEvent[] events, NotificationEvent combined, int atLeast,
        Func<Notification, (string Title, string Body, string? Link)?> line, Func<string, IReadOnlyList<(string Title, string Body, string? Link)>, RenderedMessage> render,
        DateTimeOffset now)
    {
        var names = events.Select(e => e.ToString()).ToHashSet(StringComparer.Ordinal);
        var mails = db.ChangeTracker.Entries<OutboxMessage>().Where(e => e.State == EntityState.Added && e.Entity.Event is { } evt && names.Contains(evt))
            .Select(e => e.Entity).ToList();
        if (mails.Count < atLeast)
        {
            return;
        }

        var notices = db.ChangeTracker.Entries<Notification>().Where(e => e.State == EntityState.Added && e.Entity.Event is { } evt && names.Contains(evt))
            .Select(e => (e.Entity.RecipientUserId, Line: line(e.Entity))).Where(n => n.Line is not null)
            .ToLookup(n => n.RecipientUserId, n => n.Line!.Value);
        foreach (var mine in mails.Where(m => m.RecipientUserId is not null).GroupBy(m => (User: m.RecipientUserId!.Value, m.ToAddress)).Where(g => g.Count() >= atLeast))
        {
            // A person's mails of one kind follow the same preferences, so each of their notices here has its mail; if that
            // ever fails to hold, the mails stay as they are rather than list the wrong cases.
            var listed = notices[mine.Key.User].OrderBy(l => l.Title, StringComparer.Ordinal).ToList();
            if (listed.Count != mine.Count())
            {
                continue;
            }

            var name = mine.First().ToName;
            db.Outbox.RemoveRange(mine);
            foreach (var chunk in listed.Chunk(MailTemplates.SummaryMaxItems))
            {
                db.Outbox.Add(NotificationWriter.NewMessage(mine.Key.User, mine.Key.ToAddress, name, combined.ToString(), render(name ?? mine.Key.ToAddress, chunk), now));
            }
        }
    }
}
