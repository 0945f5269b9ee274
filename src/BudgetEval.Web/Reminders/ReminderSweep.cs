using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Notifications;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace BudgetEval.Web.Reminders;

internal sealed record SweepResult(int WorkItems, int Reminders, int Batches);

/// <summary>
/// Gives every open work item the reminders its state's policy owes it. Each batch is one transaction:
/// claim due items (next reminder time passed) with FOR UPDATE SKIP LOCKED, so two nodes or two runs
/// never hold the same item; insert the ledger rows with ON CONFLICT DO NOTHING, so a reminder already
/// given is never given again; write notifications and outbox rows only for ledger rows actually
/// inserted; move each item's next reminder time on. A crash rolls the whole batch back.
/// Done items are never claimed (the query reads only open ones), so reminders stop with the task.
/// A person's reminders of one batch go out as one 催办汇总 mail (<see cref="NotificationWriter.BuildAsync"/>).
/// </summary>
internal sealed class ReminderSweep(
    IServiceScopeFactory scopes,
    WorkflowRegistry registry,
    ReminderSchedule schedule,
    NotificationWriter writer,
    TimeProvider clock,
    ILogger<ReminderSweep> logger)
{
    public const int DefaultBatchSize = 500;

    /// <summary>
    /// Batches run on this many connections at once: SKIP LOCKED keeps them apart, and while one waits for
    /// PostgreSQL (its commit's fsync) the other renders its mails.
    /// </summary>
    public const int Workers = 2;

    public async Task<SweepResult> RunAsync(CancellationToken ct, int batchSize = DefaultBatchSize)
    {
        // Batches run one at a time until one comes back full: a district's morning (fewer due items than a batch)
        // is then one batch, so each person gets one 催办汇总 rather than one per worker that happened to claim some of
        // their items. Only a sweep with more to do runs the workers side by side. (An item catching up on missed days
        // is claimed again by the next batch, so the loop goes on until a batch finds nothing.)
        var (alone, full) = await WorkAsync(batchSize, untilFull: true, ct);
        var results = full
            ? (await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () => (await WorkAsync(batchSize, untilFull: false, ct)).Result, ct)))).Append(alone).ToArray()
            : [alone];
        var total = new SweepResult(results.Sum(r => r.WorkItems), results.Sum(r => r.Reminders), results.Sum(r => r.Batches));
        if (total.WorkItems > 0)
        {
            logger.LogInformation("Reminder sweep: {Items} work item(s), {Reminders} reminder(s) in {Batches} batch(es)", total.WorkItems, total.Reminders, total.Batches);
        }

        return total;
    }

    /// <summary>Batches until one finds nothing, or (<paramref name="untilFull"/>) until one comes back full.</summary>
    private async Task<(SweepResult Result, bool Full)> WorkAsync(int batchSize, bool untilFull, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        int items = 0, reminders = 0, batches = 0;
        while (true)
        {
            var (claimed, given) = await BatchAsync(db, batchSize, ct);
            if (claimed == 0)
            {
                return (new SweepResult(items, reminders, batches), false);
            }

            items += claimed;
            reminders += given;
            batches++;
            if (untilFull && claimed >= batchSize)
            {
                return (new SweepResult(items, reminders, batches), true);
            }
        }
    }

    private Task<(int Claimed, int Given)> BatchAsync(AppDbContext db, int batchSize, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var now = clock.GetUtcNow();
            var items = await db.WorkItems.FromSql($"""
                SELECT * FROM budgeteval.work_items
                WHERE "Status" = 'Open' AND "NextReminderAt" <= {now}
                ORDER BY "NextReminderAt" LIMIT {batchSize}
                FOR UPDATE SKIP LOCKED
                """).IgnoreQueryFilters().AsNoTracking().ToListAsync(ct);
            if (items.Count == 0)
            {
                return (0, 0);
            }

            var instanceIds = items.Select(i => i.InstanceId).Distinct().ToList();
            var definitions = await db.WorkflowInstances.IgnoreQueryFilters().AsNoTracking().Where(i => instanceIds.Contains(i.Id))
                .Select(i => new { i.Id, i.DefinitionId, i.DefinitionVersion }).ToDictionaryAsync(i => i.Id, ct);

            var today = schedule.Today(now);
            var nextAt = new DateTime?[items.Count];
            var owed = new List<(WorkItem Item, ReminderStage Stage, DateOnly Day, DateOnly DueDay)>();
            for (var index = 0; index < items.Count; index++)
            {
                var item = items[index];
                var d = definitions[item.InstanceId];
                var def = registry.Get(d.DefinitionId, d.DefinitionVersion);
                var policy = def.HasState(item.State) ? def.State(item.State).Reminders : null;
                if (policy is null || item.DueAt is not { } dueAt || item.NextReminderAt is not { } slotAt)
                {
                    continue;
                }

                var dueDay = schedule.DueDay(dueAt);
                var slot = schedule.Today(slotAt);
                var next = schedule.NextDayAfter(policy, dueDay, slot);
                var stages = schedule.StagesOn(policy, dueDay, slot);

                // Catching up after an outage: a missed day's reminder is superseded by a later one that is
                // also due by now, but an escalation is never dropped.
                if (slot < today && next is { } n && n <= today)
                {
                    stages = stages.Where(s => s.Kind == ReminderKind.Escalation).ToList();
                }

                owed.AddRange(stages.Select(s => (item, s, s.LedgerDay ?? slot, dueDay)));
                nextAt[index] = next is { } nextDay ? schedule.At(nextDay).UtcDateTime : null;
            }

            var recipients = await ReminderRecipients.LoadAsync(db, items, owed.Select(o => o.Stage.EscalateTo).OfType<string>(), now, ct);
            var candidates = new List<(WorkItem Item, ReminderStage Stage, DateOnly Day, DateOnly DueDay, Guid User)>();
            foreach (var (item, stage, day, dueDay) in owed)
            {
                var users = stage.EscalateTo is { } role ? recipients.Escalation(item, role) : recipients.Assignees(item);
                candidates.AddRange(users.Select(u => (item, stage, day, dueDay, u)));
            }

            candidates = candidates.DistinctBy(c => (c.Item.Id, c.Stage.Stage, c.Day, c.User)).ToList();

            var inserted = await InsertLedgerAsync(db, tx, candidates.Select(c => (c.Item.Id, c.Stage.Stage, c.Day, c.User)).ToList(), now, ct);
            candidates = candidates.Where(c => inserted.Contains((c.Item.Id, c.Stage.Stage, c.Day, c.User))).ToList();
            var holders = await TaskHolders.LoadAsync(db, candidates.Where(c => c.Stage.Kind == ReminderKind.Escalation).Select(c => c.Item).ToList(), ct);
            var requests = candidates
                .Select(c => new NotificationRequest(c.User, EventOf(c.Stage), new NotificationFacts(c.Item.Title)
                {
                    CaseId = c.Item.InstanceId,
                    StateLabel = c.Item.StateLabel,
                    Due = ChineseFormat.Date(c.DueDay),
                    OverdueWorkingDays = c.Stage.OverdueWorkingDays,
                    DueToday = c.Stage.Kind == ReminderKind.DueDay,
                    Assignee = c.Stage.Kind == ReminderKind.Escalation ? holders.Describe(c.Item, recipients.Assignees(c.Item).Count == 0) : null,
                }))
                .ToList();

            // The batch's writes go in one round trip of multi-row statements instead of ~1,500 tracked entities.
            var rows = await writer.BuildAsync(db, requests, now, ct, oneMailEach: MailSummary.Reminders);
            await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)tx.GetDbTransaction());
            rows.AppendTo(batch);
            var move = new NpgsqlBatchCommand("""
                UPDATE budgeteval.work_items w SET "NextReminderAt" = x.n
                FROM unnest($1, $2) AS x(i, n) WHERE w."Id" = x.i
                """);
            move.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid, Value = items.Select(i => i.Id).ToArray() });
            move.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, Value = nextAt });
            batch.BatchCommands.Add(move);
            await batch.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
            return (items.Count, requests.Count);
        });
    }

    private static NotificationEvent EventOf(ReminderStage stage) => stage.Kind switch
    {
        ReminderKind.Overdue => NotificationEvent.Overdue,
        ReminderKind.Escalation => NotificationEvent.Escalation,
        _ => NotificationEvent.Reminder,
    };

    /// <summary>One statement for the batch; returns the keys that were new (the rest were given before).</summary>
    private static async Task<HashSet<(Guid, string, DateOnly, Guid)>> InsertLedgerAsync(AppDbContext db, IDbContextTransaction tx,
        IReadOnlyList<(Guid WorkItem, string Stage, DateOnly Day, Guid User)> rows, DateTimeOffset now, CancellationToken ct)
    {
        var result = new HashSet<(Guid, string, DateOnly, Guid)>();
        if (rows.Count == 0)
        {
            return result;
        }

        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO budgeteval.reminder_ledger ("WorkItemId", "Stage", "Day", "RecipientUserId", "CreatedAt")
            SELECT w, s, d, r, @now FROM unnest(@w, @s, @d, @r) AS t(w, s, d, r)
            ON CONFLICT ("WorkItemId", "Stage", "Day", "RecipientUserId") DO NOTHING
            RETURNING "WorkItemId", "Stage", "Day", "RecipientUserId"
            """, conn, (NpgsqlTransaction)tx.GetDbTransaction());
        cmd.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now.UtcDateTime });
        cmd.Parameters.Add(new NpgsqlParameter("w", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = rows.Select(r => r.WorkItem).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("s", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Stage).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("d", NpgsqlDbType.Array | NpgsqlDbType.Date) { Value = rows.Select(r => r.Day).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("r", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = rows.Select(r => r.User).ToArray() });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result.Add((reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateOnly>(2), reader.GetGuid(3)));
        }

        return result;
    }
}
