namespace BudgetEval.Web.Findings;

/// <summary>Where a finding comes from. Stored as text (the enum names), shown in Chinese.</summary>
internal enum FindingSource
{
    ThirdParty = 1,
    Audit = 2,
    Inspection = 3,
    SelfEvaluation = 4,
}

internal enum FindingStatus
{
    /// <summary>Waiting for rectification (the rectification workflow will take it from here).</summary>
    Open = 1,

    /// <summary>Fixed — before the report (the sample's two) or verified later.</summary>
    Rectified = 2,
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

    public FindingStatus Status { get; set; }

    public bool RectifiedBeforeReport { get; set; }

    public DateOnly? RectifiedOn { get; set; }

    public string? RectifiedEvidence { get; set; }

    public Guid CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

internal static class FindingLabels
{
    /// <summary>The default category list (问题类别); the issue asks for it to be editable, a later admin page will own it.</summary>
    public static readonly IReadOnlyList<string> Categories = ["预算绩效管理", "财务管理", "资产管理", "业务管理", "项目管理", "整改落实", "其他"];

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

    public static string Status(FindingStatus status) => status switch
    {
        FindingStatus.Open => "待整改",
        FindingStatus.Rectified => "已整改",
        _ => status.ToString(),
    };

    public static FindingSource? ParseSource(string? text) =>
        Enum.GetValues<FindingSource>().Cast<FindingSource?>().FirstOrDefault(s => string.Equals(s.ToString(), text, StringComparison.OrdinalIgnoreCase) || Source(s!.Value) == text);

    public static FindingStatus? ParseStatus(string? text) =>
        Enum.GetValues<FindingStatus>().Cast<FindingStatus?>().FirstOrDefault(s => string.Equals(s.ToString(), text, StringComparison.OrdinalIgnoreCase) || Status(s!.Value) == text);
}
