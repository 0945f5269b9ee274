using BudgetEval.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace BudgetEval.Web.Notifications;

/// <summary>
/// Notifications and outbox rows built by <see cref="NotificationWriter.BuildAsync"/>. For large batches
/// (the reminder sweep, a plan's deadline moving) they are inserted with one multi-row statement per table, appended to the caller's
/// <see cref="NpgsqlBatch"/>, so they commit in the caller's transaction like rows saved through EF would.
/// </summary>
internal sealed record NotificationRows(List<Notification> Notifications, List<OutboxMessage> Outbox)
{
    public void AppendTo(NpgsqlBatch batch)
    {
        if (Notifications.Count > 0)
        {
            var n = Notifications;
            batch.BatchCommands.Add(Command(
                """
                INSERT INTO budgeteval.notifications ("Id", "RecipientUserId", "Event", "Title", "Body", "Link", "CreatedAt", "ReadAt", "DigestPending")
                SELECT i, r, e, t, b, l, c, NULL, d FROM unnest($1, $2, $3, $4, $5, $6, $7, $8) AS x(i, r, e, t, b, l, c, d)
                """,
                Array(NpgsqlDbType.Uuid, n.Select(x => x.Id)),
                Array(NpgsqlDbType.Uuid, n.Select(x => x.RecipientUserId)),
                Array(NpgsqlDbType.Text, n.Select(x => x.Event)),
                Array(NpgsqlDbType.Text, n.Select(x => x.Title)),
                Array(NpgsqlDbType.Text, n.Select(x => x.Body)),
                Array(NpgsqlDbType.Text, n.Select(x => x.Link)),
                Array(NpgsqlDbType.TimestampTz, n.Select(x => x.CreatedAt.UtcDateTime)),
                Array(NpgsqlDbType.Boolean, n.Select(x => x.DigestPending))));
        }

        if (Outbox.Count > 0)
        {
            var o = Outbox;
            batch.BatchCommands.Add(Command(
                """
                INSERT INTO budgeteval.outbox ("Id", "RecipientUserId", "ToAddress", "ToName", "Event", "Subject", "Html", "Text", "Status", "Attempts", "NextAttemptAt", "LastError", "CreatedAt", "SentAt")
                SELECT i, r, a, n, e, s, h, t, st, 0, na, NULL, c, NULL FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) AS x(i, r, a, n, e, s, h, t, st, na, c)
                """,
                Array(NpgsqlDbType.Uuid, o.Select(x => x.Id)),
                Array(NpgsqlDbType.Uuid, o.Select(x => x.RecipientUserId)),
                Array(NpgsqlDbType.Text, o.Select(x => x.ToAddress)),
                Array(NpgsqlDbType.Text, o.Select(x => x.ToName)),
                Array(NpgsqlDbType.Text, o.Select(x => x.Event)),
                Array(NpgsqlDbType.Text, o.Select(x => x.Subject)),
                Array(NpgsqlDbType.Text, o.Select(x => x.Html)),
                Array(NpgsqlDbType.Text, o.Select(x => x.Text)),
                Array(NpgsqlDbType.Text, o.Select(x => x.Status.ToString())),
                Array(NpgsqlDbType.TimestampTz, o.Select(x => x.NextAttemptAt.UtcDateTime)),
                Array(NpgsqlDbType.TimestampTz, o.Select(x => x.CreatedAt.UtcDateTime))));
        }
    }

    /// <summary>Writes the rows in one round trip, in the transaction the context's connection is in.</summary>
    public async Task InsertAsync(AppDbContext db, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction());
        AppendTo(batch);
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(ct);
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Array<T>(NpgsqlDbType type, IEnumerable<T> values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | type, Value = values.ToArray() };
}
