using System.Data.Common;
using BudgetEval.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace BudgetEval.Web.Workflows;

/// <summary>
/// The first step of every case operation: lock the case row and read its oldest open work item, in one
/// round trip (two statements of one batch, on the transaction's own connection; the second runs after the
/// lock is held, so it sees what the previous holder committed). Both rows are handed to EF's change tracker
/// as unchanged entities, exactly as a tracking query would. Read without the data-scope filter: the caller
/// checks visibility right after (ADR 0012). The column lists follow <see cref="WorkflowInstance"/> and
/// <see cref="WorkItem"/>; every workflow test goes through here.
/// </summary>
internal static class CaseLock
{
    private const string InstanceSql = """
        SELECT "Id", "DefinitionId", "DefinitionVersion", "State", "SubjectType", "SubjectId", "Title", "OrganisationId",
               "AssignedFirmId", "PlanDeadline", "DueAt", "IsLate", "Version", "CreatedAt", "UpdatedAt", "HistorySeq", "HistoryHash", xmin
        FROM budgeteval.workflow_instances WHERE "Id" = $1 FOR UPDATE
        """;

    private const string OpenItemSql = """
        SELECT "Id", "InstanceId", "State", "StateLabel", "Title", "AssigneeUserId", "AssigneeRole", "AssigneeOrganisationId",
               "CaseOrganisationId", "CaseFirmId", "DueAt", "NextReminderAt", "ClaimedBy", "ClaimedAt", "CreatedAt"
        FROM budgeteval.work_items WHERE "InstanceId" = $1 AND "Status" = 'Open' ORDER BY "CreatedAt" LIMIT 1
        """;

    public static async Task<(WorkflowInstance? Instance, WorkItem? OpenItem)> LockAsync(AppDbContext db, IDbContextTransaction tx, Guid caseId, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var batch = new NpgsqlBatch(connection, (NpgsqlTransaction)tx.GetDbTransaction());
        batch.BatchCommands.Add(new NpgsqlBatchCommand(InstanceSql) { Parameters = { new NpgsqlParameter { Value = caseId } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(OpenItemSql) { Parameters = { new NpgsqlParameter { Value = caseId } } });
        WorkflowInstance? instance = null;
        WorkItem? item = null;
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct))
            {
                instance = ReadInstance(reader);
            }

            await reader.NextResultAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                item = ReadItem(reader);
            }
        }

        if (instance is null)
        {
            return (null, null);
        }

        db.Attach(instance);
        if (item is not null)
        {
            db.Attach(item);
        }

        return (instance, item);
    }

    /// <summary>
    /// The same lock for code that changes a case's subject outside Fire (the self-evaluation's edits, the
    /// rectification's evidence and statements): the state and version under the lock, or null if no such case.
    /// </summary>
    public static Task<LockedCase?> StateAsync(AppDbContext db, Guid caseId, CancellationToken ct) =>
        db.Database.SqlQuery<LockedCase>($"SELECT \"State\", \"Version\" FROM budgeteval.workflow_instances WHERE \"Id\" = {caseId} FOR UPDATE")
            .SingleOrDefaultAsync(ct);

    private static WorkflowInstance ReadInstance(DbDataReader r) => new()
    {
        Id = r.GetGuid(0),
        DefinitionId = r.GetString(1),
        DefinitionVersion = r.GetInt32(2),
        State = r.GetString(3),
        SubjectType = r.GetString(4),
        SubjectId = r.GetGuid(5),
        Title = r.GetString(6),
        OrganisationId = r.GetGuid(7),
        AssignedFirmId = r.IsDBNull(8) ? null : r.GetGuid(8),
        PlanDeadline = r.IsDBNull(9) ? null : r.GetFieldValue<DateOnly>(9),
        DueAt = r.IsDBNull(10) ? null : r.GetFieldValue<DateTimeOffset>(10),
        IsLate = r.GetBoolean(11),
        Version = r.GetInt32(12),
        CreatedAt = r.GetFieldValue<DateTimeOffset>(13),
        UpdatedAt = r.GetFieldValue<DateTimeOffset>(14),
        HistorySeq = r.GetInt32(15),
        HistoryHash = r.GetString(16),
        RowVersion = r.GetFieldValue<uint>(17),
    };

    private static WorkItem ReadItem(DbDataReader r) => new()
    {
        Id = r.GetGuid(0),
        InstanceId = r.GetGuid(1),
        State = r.GetString(2),
        StateLabel = r.GetString(3),
        Title = r.GetString(4),
        AssigneeUserId = r.IsDBNull(5) ? null : r.GetGuid(5),
        AssigneeRole = r.IsDBNull(6) ? null : r.GetString(6),
        AssigneeOrganisationId = r.IsDBNull(7) ? null : r.GetGuid(7),
        CaseOrganisationId = r.GetGuid(8),
        CaseFirmId = r.IsDBNull(9) ? null : r.GetGuid(9),
        DueAt = r.IsDBNull(10) ? null : r.GetFieldValue<DateTimeOffset>(10),
        NextReminderAt = r.IsDBNull(11) ? null : r.GetFieldValue<DateTimeOffset>(11),
        Status = WorkItemStatus.Open,
        ClaimedBy = r.IsDBNull(12) ? null : r.GetGuid(12),
        ClaimedAt = r.IsDBNull(13) ? null : r.GetFieldValue<DateTimeOffset>(13),
        CreatedAt = r.GetFieldValue<DateTimeOffset>(14),
    };
}

/// <summary>A case's state and version, read under its row lock.</summary>
internal sealed class LockedCase
{
    public required string State { get; init; }

    public int Version { get; init; }
}
