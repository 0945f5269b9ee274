using System.Text.Json;

namespace BudgetEval.Web.Evaluations;

/// <summary>
/// One target of external evaluation (重点绩效评价): a unit's whole spending or one of its projects, from
/// its selection through commissioning, the firm's scoring and report, to the bureau's acceptance. Its
/// status mirrors the case; the table, team, problems and report live in jsonb columns because they are
/// always read and written with the evaluation, never queried on their own.
/// </summary>
internal sealed class Evaluation
{
    public Guid Id { get; set; }

    /// <summary>The evaluated budget unit; the data scope filters on it.</summary>
    public Guid OrganisationId { get; set; }

    public int FiscalYear { get; set; }

    public Plans.EvaluationKind Kind { get; set; }

    public string? ProjectName { get; set; }

    /// <summary>Why this target was selected (e.g. 预算规模大, 执行率低).</summary>
    public required string Reason { get; set; }

    public decimal? Budget { get; set; }

    public required string Title { get; set; }

    public required string Status { get; set; }

    public Guid? CaseId { get; set; }

    /// <summary>The commissioned firm. The firm sees the evaluation only while this points to it.</summary>
    public Guid? FirmId { get; set; }

    public DateOnly? ReportDueDate { get; set; }

    public string TemplateKey { get; set; } = EvaluationTemplates.DefaultKey;

    /// <summary>
    /// The template's four 一级 groups as they were at commissioning (copied with its rows), so the score sheet
    /// keeps its groups when the administrator later edits or retires the template.
    /// </summary>
    public string GroupsJson { get; set; } = "[]";

    public string? ReportNumber { get; set; }

    public DateOnly? ReportDate { get; set; }

    /// <summary>When the bureau accepted the final report; rectification deadlines count from here.</summary>
    public DateOnly? CompletedOn { get; set; }

    public string TeamJson { get; set; } = "[]";

    public string RowsJson { get; set; } = "[]";

    public string ProblemsJson { get; set; } = "[]";

    public string ReportJson { get; set; } = "{}";

    /// <summary>The unit's general remark during the comment window (per-problem remarks sit on the problems).</summary>
    public string? UnitComment { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public uint RowVersion { get; set; }

    public List<TeamMember> Team
    {
        get => Read<List<TeamMember>>(TeamJson) ?? [];
        set => TeamJson = JsonSerializer.Serialize(value, Json);
    }

    public IReadOnlyList<string> Groups
    {
        // Empty until commissioned, and on a row an older node commissioned during a rolling upgrade (it knows
        // only the built-in templates and does not write the column): then the built-in template its key names.
        get => Read<List<string>>(GroupsJson) is { Count: > 0 } groups ? groups : (EvaluationTemplates.Find(TemplateKey) ?? EvaluationTemplates.Default).Groups;
        set => GroupsJson = JsonSerializer.Serialize(value, Json);
    }

    public List<ScoreRow> Rows
    {
        get => Read<List<ScoreRow>>(RowsJson) ?? [];
        set => RowsJson = JsonSerializer.Serialize(value, Json);
    }

    public List<Problem> Problems
    {
        get => Read<List<Problem>>(ProblemsJson) ?? [];
        set => ProblemsJson = JsonSerializer.Serialize(value, Json);
    }

    public Dictionary<string, string> Report
    {
        get => Read<Dictionary<string, string>>(ReportJson) ?? [];
        set => ReportJson = JsonSerializer.Serialize(value, Json);
    }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static T? Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Json);
}

/// <summary>A team member with their recorded conflict-of-interest declaration (利益冲突声明).</summary>
internal sealed record TeamMember(string Name, bool IsLead, string? Title, string Declaration, DateTimeOffset DeclaredAt, string DeclaredBy);

/// <summary>
/// One row of the evaluation indicator table. A not-applicable row keeps its name with 分值 0 and says in
/// <see cref="MovedTo"/> which row received its points (the sample: 资金到位率 → 履职尽责) and in
/// <see cref="MovedWeight"/> how many, so that un-marking or moving it again gives back exactly those.
/// </summary>
internal sealed record ScoreRow(
    string Level1,
    string? Level2,
    string Level3,
    decimal Weight,
    string? Points,
    string? Standard,
    decimal? Score,
    string? Note,
    bool NotApplicable = false,
    string? MovedTo = null,
    decimal? MovedWeight = null);

/// <summary>
/// A 存在的问题 of the report, as the firm drafts it; the unit comments on or disputes it in the window and
/// the firm answers. On completion each becomes a finding in the register. <see cref="No"/> is its place in
/// the list and changes when problems are removed or reordered; <see cref="Id"/> stays with the problem, so
/// the unit's remarks and the firm's answer follow it (problems saved before ids existed get one at the next save).
/// </summary>
internal sealed record Problem(
    int No,
    string Category,
    string Title,
    string Detail,
    string? IndicatorRow,
    string? Recommendation,
    bool RectifiedBeforeReport = false,
    DateOnly? RectifiedOn = null,
    string? RectifiedEvidence = null,
    string? PriorSourceKind = null,
    string? PriorSourceDocument = null,
    string? UnitComment = null,
    bool Disputed = false,
    string? FirmAnswer = null,
    Guid? Id = null);

/// <summary>The report's structured sections (as in the sample report), in order.</summary>
internal static class ReportSections
{
    public static readonly IReadOnlyList<(string Key, string Label)> All =
    [
        ("overview", "部门概况"),
        ("spending", "支出情况"),
        ("goals", "绩效目标"),
        ("conclusion", "绩效情况及评价结论"),
        ("problems", "存在的问题"),
        ("recommendations", "有关建议"),
    ];

    public static bool IsKnown(string key) => All.Any(s => s.Key == key);
}
