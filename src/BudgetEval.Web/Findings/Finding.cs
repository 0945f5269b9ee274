namespace BudgetEval.Web.Findings;

/// <summary>Where a finding comes from. Stored as text (the enum names), shown in Chinese.</summary>
internal enum FindingSource
{
    ThirdParty = 1,
    Audit = 2,
    Inspection = 3,
    SelfEvaluation = 4,
}

/// <summary>Mirrored from the finding's rectification case (Rectifications/), except the sample's fixed-before-report ones.</summary>
internal enum FindingStatus
{
    /// <summary>未整改: the case waits for the unit's plan.</summary>
    Open = 1,

    /// <summary>Fixed — before the report (the sample's two) or verified by the bureau.</summary>
    Rectified = 2,

    /// <summary>整改中: plan given, result being carried out or verified.</summary>
    InProgress = 3,

    /// <summary>部分整改: the bureau found part of it done and set a new deadline for the rest.</summary>
    Partial = 4,

    /// <summary>无法整改: closed with the bureau's acceptance of the justification; stays on the follow-up list.</summary>
    Unrectifiable = 5,
}

/// <summary>One line of the 问题台账: a problem a unit must rectify, by its deadline.</summary>
internal sealed class Finding
{
    public Guid Id { get; set; }

    /// <summary>Readable and unique, e.g. 2021-第三方评价-003; the sequence counts per fiscal year.</summary>
    public required string Number { get; set; }

    /// <summary>The responsible unit; the data scope filters on it.</summary>
    public Guid OrganisationId { get; set; }

    public int FiscalYear { get; set; }

    public required string Category { get; set; }

    public required string Title { get; set; }

    public required string Detail { get; set; }

    public string? IndicatorRow { get; set; }

    public string? Recommendation { get; set; }

    public DateOnly Deadline { get; set; }

    public FindingSource Source { get; set; }

    public string? SourceDocument { get; set; }

    public DateOnly? SourceDate { get; set; }

    /// <summary>The evaluation it came out of (third-party findings only).</summary>
    public Guid? EvaluationId { get; set; }

    /// <summary>Where the problem was found before the evaluation named it, e.g. 巡察 望治党组〔2020〕9号 (third-party findings only).</summary>
    public string? PriorSourceKind { get; set; }

    public string? PriorSourceDocument { get; set; }

    /// <summary>The unit's comment on the problem in the report's comment window; <see cref="UnitDisputed"/> when it was an 异议.</summary>
    public string? UnitComment { get; set; }

    public bool UnitDisputed { get; set; }

    /// <summary>The firm's answer to the unit's comment, as given with the final report.</summary>
    public string? FirmAnswer { get; set; }

    public FindingStatus Status { get; set; }

    public bool RectifiedBeforeReport { get; set; }

    public DateOnly? RectifiedOn { get; set; }

    public string? RectifiedEvidence { get; set; }

    public Guid CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>整改措施 of the unit's plan.</summary>
    public string? PlanMeasures { get; set; }

    public string? PlanResponsible { get; set; }

    public DateOnly? PlanDate { get; set; }

    /// <summary>整改结果 as the unit reports it (the evidence files are in finding_evidence).</summary>
    public string? ResultText { get; set; }

    /// <summary>
    /// The day (China time) the unit reported the result (报送整改结果), kept while the bureau verifies it and cleared when
    /// the case goes back to the unit; a result reported by the deadline is not 逾期 while it waits (FindingOverdue).
    /// </summary>
    public DateOnly? ResultReportedOn { get; set; }

    /// <summary>The date the unit asks for; saved before 申请延期 and applied (or dropped) by the bureau's answer.</summary>
    public DateOnly? RequestedDeadline { get; set; }

    /// <summary>The bureau's new deadline for 部分整改, saved before the action.</summary>
    public DateOnly? NextDeadline { get; set; }

    /// <summary>What remains after 部分整改 (the bureau's comment).</summary>
    public string? Remaining { get; set; }

    /// <summary>The bureau's last verification: the action's label and its comment.</summary>
    public string? Verification { get; set; }

    /// <summary>Set when the bureau closes the case; a finding fixed before the report is closed by its 整改完成日期 instead.</summary>
    public DateOnly? ClosedOn { get; set; }

    /// <summary>When the finding was finished, whichever way (not mapped: read-only).</summary>
    public DateOnly? FinishedOn => ClosedOn ?? (RectifiedBeforeReport ? RectifiedOn : null);

    public int Extensions { get; set; }
}

internal static class FindingLabels
{
    /// <summary>
    /// How a finding recorded as already rectified says so: 报告前 only for a third-party report's problem; one of 审计,
    /// 巡察 or 自评 registered by hand had no report to be fixed before.
    /// </summary>
    public static string RectifiedEarly(Finding finding) => finding.Source == FindingSource.ThirdParty ? "报告前已整改" : "登记时已整改";

    /// <summary>Default rectification period after the evaluation is completed.</summary>
    public const int DefaultDeadlineDays = 60;

    public static string Source(FindingSource source) => source switch
    {
        FindingSource.ThirdParty => "第三方评价",
        FindingSource.Audit => "审计",
        FindingSource.Inspection => "巡察",
        FindingSource.SelfEvaluation => "自评",
        _ => source.ToString(),
    };

    /// <summary>The statuses in the order a finding passes through them (the enum's numbers are storage, not order).</summary>
    public static readonly IReadOnlyList<FindingStatus> FlowOrder =
        [FindingStatus.Open, FindingStatus.InProgress, FindingStatus.Partial, FindingStatus.Rectified, FindingStatus.Unrectifiable];

    public static string Status(FindingStatus status) => status switch
    {
        FindingStatus.Open => "未整改",
        FindingStatus.InProgress => "整改中",
        FindingStatus.Partial => "部分整改",
        FindingStatus.Rectified => "已整改",
        FindingStatus.Unrectifiable => "无法整改",
        _ => status.ToString(),
    };

    /// <summary>跟踪清单: everything not verified as rectified, including what cannot be rectified.</summary>
    public static bool FollowedUp(FindingStatus status) => status != FindingStatus.Rectified;

    public static FindingSource? ParseSource(string? text) =>
        Enum.GetValues<FindingSource>().Cast<FindingSource?>().FirstOrDefault(s => string.Equals(s.ToString(), text, StringComparison.OrdinalIgnoreCase) || Source(s!.Value) == text);

    public static FindingStatus? ParseStatus(string? text) =>
        Enum.GetValues<FindingStatus>().Cast<FindingStatus?>().FirstOrDefault(s => string.Equals(s.ToString(), text, StringComparison.OrdinalIgnoreCase) || Status(s!.Value) == text);
}
