namespace BudgetEval.Web.Workflows;

/// <summary>A running case: which definition (and version) drives it, where it is, whose it is.</summary>
internal sealed class WorkflowInstance
{
    public Guid Id { get; set; }

    public required string DefinitionId { get; set; }

    /// <summary>Fixed at start: a case finishes on the version it started with.</summary>
    public int DefinitionVersion { get; set; }

    public required string State { get; set; }

    /// <summary>What the case is about, e.g. "SelfEvaluation".</summary>
    public required string SubjectType { get; set; }

    public Guid SubjectId { get; set; }

    /// <summary>Shown in 待办 and on the case page, copied from the subject at start.</summary>
    public required string Title { get; set; }

    /// <summary>The owning budget unit; the data scope filters on it.</summary>
    public Guid OrganisationId { get; set; }

    public Guid? AssignedFirmId { get; set; }

    /// <summary>The plan's deadline for the subject (for due rule planDeadline and 逾期).</summary>
    public DateOnly? PlanDeadline { get; set; }

    public DateTimeOffset? DueAt { get; set; }

    public bool IsLate { get; set; }

    /// <summary>Counts state changes and task changes; clients send it back as expectedVersion.</summary>
    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Seq of the newest history entry; kept here so appending needs no read (Fire holds the row lock).</summary>
    public int HistorySeq { get; set; }

    /// <summary>Hash of the newest history entry: the next entry's PrevHash.</summary>
    public string HistoryHash { get; set; } = HistoryChain.Genesis;

    /// <summary>PostgreSQL xmin: a second line of defence behind the row lock taken by Fire.</summary>
    public uint RowVersion { get; set; }
}

internal enum WorkItemStatus
{
    Open = 1,
    Done = 2,
    Cancelled = 3,
}

/// <summary>A human task (待办): one per task state a case is in, for a user or for a role within an organisation.</summary>
internal sealed class WorkItem
{
    public Guid Id { get; set; }

    public Guid InstanceId { get; set; }

    public required string State { get; set; }

    public required string StateLabel { get; set; }

    public required string Title { get; set; }

    /// <summary>Set when the task belongs to one person (reassigned, delegated).</summary>
    public Guid? AssigneeUserId { get; set; }

    public string? AssigneeRole { get; set; }

    public Guid? AssigneeOrganisationId { get; set; }

    /// <summary>Copies of the case's scope so the data-scope filter needs no join.</summary>
    public Guid CaseOrganisationId { get; set; }

    public Guid? CaseFirmId { get; set; }

    public DateTimeOffset? DueAt { get; set; }

    /// <summary>The reminder sweep reads only rows whose time has come (indexed).</summary>
    public DateTimeOffset? NextReminderAt { get; set; }

    public WorkItemStatus Status { get; set; }

    public Guid? ClaimedBy { get; set; }

    public DateTimeOffset? ClaimedAt { get; set; }

    public Guid? CompletedBy { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public string? CompletedAction { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One line of 流转记录. Append-only (a trigger refuses UPDATE and DELETE) and hash-chained per case.</summary>
internal sealed class WorkflowHistoryEntry
{
    public long Id { get; set; }

    public Guid InstanceId { get; set; }

    public int Seq { get; set; }

    public Guid? ActorId { get; set; }

    public required string ActorName { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The action id, or a bookkeeping verb: start, claim, release, reassign, delegate, alter.</summary>
    public required string Action { get; set; }

    public required string ActionLabel { get; set; }

    public string? FromState { get; set; }

    public required string ToState { get; set; }

    public string? Comment { get; set; }

    public required string PrevHash { get; set; }

    public required string Hash { get; set; }
}

/// <summary>So a repeated request (double click, client retry) gets the first answer and no second effect.</summary>
internal sealed class IdempotencyKey
{
    public long Id { get; set; }

    public required string Key { get; set; }

    public Guid UserId { get; set; }

    public Guid InstanceId { get; set; }

    public int StatusCode { get; set; }

    public required string ResponseJson { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
