using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Hosting;
using BudgetEval.Web.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BudgetEval.Web.Notifications;

/// <summary>One notification for one user.</summary>
internal sealed record NotificationRequest(Guid RecipientUserId, NotificationEvent Event, NotificationFacts Facts);

/// <summary>
/// Adds in-app notifications and their e-mails (outbox rows) to the DbContext; the caller saves them in
/// the transaction of the change they report. Mail follows the recipient's 通知设置: immediate, into the
/// daily digest, or none for non-essential events; reminders and escalations always go immediately. Accounts an
/// administrator has locked get nothing (<see cref="Auth.LockoutKinds.AdministrativeFrom"/>).
/// </summary>
internal sealed class NotificationWriter(IOptions<AppOptions> app)
{
    private readonly string _baseUrl = app.Value.PublicBaseUrl.TrimEnd('/');

    public string BaseUrl => _baseUrl;

    public async Task AddAsync(AppDbContext db, IReadOnlyCollection<NotificationRequest> requests, DateTimeOffset now, CancellationToken ct)
    {
        var rows = await BuildAsync(db, requests, now, ct);
        db.Notifications.AddRange(rows.Notifications);
        db.Outbox.AddRange(rows.Outbox);
    }

    /// <summary>
    /// The rows <see cref="AddAsync"/> would add, for callers that write many at once with
    /// <see cref="NotificationRows.InsertAsync"/> instead of the change tracker (the reminder sweep).
    /// </summary>
    /// <remarks>
    /// With <paramref name="oneMailEach"/> a person's several mails of the batch become one summary of at most
    /// <see cref="MailTemplates.SummaryMaxItems"/> items: the reminder sweep's 催办汇总 (a unit whose nine findings share a
    /// deadline got nine mails at 09:00 on each reminder day), a plan's 截止日期调整. The in-app notices stay one per case.
    /// </remarks>
    public async Task<NotificationRows> BuildAsync(AppDbContext db, IReadOnlyCollection<NotificationRequest> requests, DateTimeOffset now, CancellationToken ct,
        MailSummary? oneMailEach = null)
    {
        if (requests.Count == 0)
        {
            return new NotificationRows([], []);
        }

        var ids = requests.Select(r => r.RecipientUserId).Distinct().ToList();
        return Build(requests, await PeopleAsync(db, db.Users.IgnoreQueryFilters().Where(u => ids.Contains(u.Id)), null, now, ct), now, oneMailEach);
    }

    /// <summary>
    /// One notification of <paramref name="evt"/> for each of <paramref name="recipients"/>: who they are and
    /// how they want mail is read in the same query that finds them (a workflow effect's hot path).
    /// </summary>
    /// <remarks>
    /// With <paramref name="split"/>, only the recipients holding its role get <paramref name="evt"/> and the
    /// others its event instead (those asked to act, and those only told), still in one query.
    /// </remarks>
    public async Task AddToAsync(AppDbContext db, IQueryable<AppUser> recipients, NotificationEvent evt, NotificationFacts facts, DateTimeOffset now, CancellationToken ct,
        (string Role, NotificationEvent Others)? split = null)
    {
        var people = await PeopleAsync(db, recipients, split?.Role, now, ct);
        var requests = people.Values.Select(p => new NotificationRequest(p.Id, split is { } s && !p.HasRole ? s.Others : evt, facts)).ToList();
        var rows = Build(requests, people, now);
        db.Notifications.AddRange(rows.Notifications);
        db.Outbox.AddRange(rows.Outbox);
    }

    private sealed record Person(Guid Id, string DisplayName, string? Email, EmailMode? EmailMode, bool? NonEssentialEmail, bool HasRole);

    private static async Task<Dictionary<Guid, Person>> PeopleAsync(AppDbContext db, IQueryable<AppUser> users, string? role, DateTimeOffset now, CancellationToken ct)
    {
        // An administrator's lock means the person cannot act and may have left the unit: no notice, no mail.
        var lockedFrom = Auth.LockoutKinds.AdministrativeFrom(now);
        // The sets and the flag as locals: EF reads a captured variable directly, but evaluates a longer path
        // (db.Roles) or an expression (role != null) by compiling a delegate on every call.
        var (preferences, userRoles, roles, withRole) = (db.NotificationPreferences, db.UserRoles, db.Roles, role is not null);
        return (await users.AsNoTracking()
            .Where(u => u.LockoutEnd == null || u.LockoutEnd <= lockedFrom)
            .Select(u => new
            {
                u.Id,
                u.DisplayName,
                u.Email,
                Preference = preferences.Where(p => p.UserId == u.Id).Select(p => new { p.EmailMode, p.NonEssentialEmail }).FirstOrDefault(),
                HasRole = withRole && userRoles.Any(ur => ur.UserId == u.Id && roles.Any(r => r.Id == ur.RoleId && r.Name == role)),
            })
            .ToListAsync(ct))
        .ToDictionary(u => u.Id, u => new Person(u.Id, u.DisplayName, u.Email, u.Preference?.EmailMode, u.Preference?.NonEssentialEmail, u.HasRole));
    }

    private NotificationRows Build(IReadOnlyCollection<NotificationRequest> requests, Dictionary<Guid, Person> people, DateTimeOffset now, MailSummary? oneMailEach = null)
    {
        var rows = new NotificationRows([], []);
        var mails = new List<(Person Person, NotificationRequest Request, Notification Notice, RenderedMessage Message)>();
        foreach (var request in requests)
        {
            if (!people.TryGetValue(request.RecipientUserId, out var person))
            {
                continue;
            }

            var link = request.Facts.CaseId is { } caseId ? CaseLink(caseId) : null;
            var message = MailTemplates.Render(request.Event, request.Facts, person.DisplayName, link is null ? null : _baseUrl + link);
            var essential = MailTemplates.IsEssential(request.Event);
            var mode = person.EmailMode ?? EmailMode.Immediate;
            var wantsMail = essential || (person.NonEssentialEmail ?? true);
            var hasAddress = !string.IsNullOrWhiteSpace(person.Email);
            var immediate = hasAddress && wantsMail && (essential || mode == EmailMode.Immediate);

            var notice = new Notification
            {
                Id = Guid.CreateVersion7(now),
                RecipientUserId = person.Id,
                Event = request.Event.ToString(),
                Title = Truncate(MailTemplates.InAppTitle(message.Subject), 200),
                Body = Truncate(message.Summary, 2000),
                Link = link,
                CreatedAt = now,
                DigestPending = hasAddress && wantsMail && !immediate,
            };
            rows.Notifications.Add(notice);
            if (immediate)
            {
                mails.Add((person, request, notice, message));
            }
        }

        foreach (var group in mails.GroupBy(m => oneMailEach is not null ? m.Person.Id : m.Notice.Id))
        {
            var person = group.First().Person;
            foreach (var chunk in group.OrderBy(m => MailTemplates.Urgency(m.Request.Event, m.Request.Facts.DueToday)).Chunk(MailTemplates.SummaryMaxItems))
            {
                rows.Outbox.Add(chunk.Length == 1 || oneMailEach is null
                    ? NewMessage(person.Id, person.Email!, person.DisplayName, chunk[0].Request.Event.ToString(), chunk[0].Message, now)
                    : NewMessage(person.Id, person.Email!, person.DisplayName, oneMailEach.Event.ToString(),
                        oneMailEach.Render(person.DisplayName, [.. chunk.Select(m => new SummaryItem(m.Request.Event, m.Request.Facts.DueToday, m.Notice.Title, m.Notice.Body, m.Notice.Link))], _baseUrl), now));
            }
        }

        return rows;
    }

    /// <summary>A notice's link to its case (relative; mails prefix <see cref="BaseUrl"/>).</summary>
    public static string CaseLink(Guid caseId) => $"/cases/{caseId}";

    public static OutboxMessage NewMessage(Guid? userId, string address, string? name, string evt, RenderedMessage message, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        RecipientUserId = userId,
        ToAddress = address,
        ToName = name,
        Event = evt,
        Subject = Truncate(message.Subject, 300),
        Html = message.Html,
        Text = message.Text,
        Status = OutboxStatus.Pending,
        NextAttemptAt = now,
        CreatedAt = now,
    };

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}

/// <summary>How a person's several mails of one batch become one (<see cref="NotificationWriter.BuildAsync"/>): its event and its template.</summary>
internal sealed record MailSummary(NotificationEvent Event, Func<string, IReadOnlyList<SummaryItem>, string, RenderedMessage> Render)
{
    /// <summary>The reminder sweep's and 逾期督办's 催办汇总 (督办汇总 when all are 督办).</summary>
    public static readonly MailSummary Reminders = new(NotificationEvent.ReminderSummary, MailTemplates.ReminderSummary);

    /// <summary>A plan's moved deadline for a unit's several self-evaluations.</summary>
    public static readonly MailSummary DeadlineChanges = new(NotificationEvent.DeadlineChangeSummary, MailTemplates.DeadlineChangeSummary);
}
