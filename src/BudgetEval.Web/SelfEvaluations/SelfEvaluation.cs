namespace BudgetEval.Web.SelfEvaluations;

/// <summary>
/// The minimal self-evaluation record that the review workflow runs on. The full form (funds table,
/// indicators, report sections) comes in its own issue and plugs into SelfEvaluationIsComplete.
/// </summary>
internal sealed class SelfEvaluation
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    public int FiscalYear { get; set; }

    public required string Title { get; set; }

    /// <summary>The plan's deadline; later submissions are accepted and marked 逾期.</summary>
    public DateOnly Deadline { get; set; }

    public string? Summary { get; set; }

    /// <summary>全年预算数, 万元.</summary>
    public decimal? TotalBudget { get; set; }

    /// <summary>Mirror of the case state, for lists; the engine is the only writer.</summary>
    public required string Status { get; set; }

    public bool IsLate { get; set; }

    /// <summary>Number of the latest frozen version (0 before the first submission).</summary>
    public int CurrentVersion { get; set; }

    /// <summary>The version the bureau last decided on; the reviewer's diff starts from it.</summary>
    public int? LastReviewedVersion { get; set; }

    public Guid? CaseId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public uint RowVersion { get; set; }
}

/// <summary>An immutable snapshot of the content at one submission.</summary>
internal sealed class SelfEvaluationVersion
{
    public Guid Id { get; set; }

    public Guid SelfEvaluationId { get; set; }

    /// <summary>Copy of the owner, so the data scope filters without a join.</summary>
    public Guid OrganisationId { get; set; }

    public int VersionNo { get; set; }

    public required string ContentJson { get; set; }

    public DateTimeOffset SubmittedAt { get; set; }

    public Guid SubmittedBy { get; set; }

    public required string SubmittedByName { get; set; }

    public bool IsLate { get; set; }
}
