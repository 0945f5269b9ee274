namespace BudgetEval.Web.SelfEvaluations;

/// <summary>
/// A unit's self-evaluation (自评表 and 自评报告) that the review workflow runs on. Records created by a
/// published plan carry the full form (funds, goals, indicators, report); records created by hand
/// before plans existed keep only title, summary and budget, and are checked as before.
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

    /// <summary>The version the bureau last decided on (the results report reads it); the case page's 版本差异 takes its base from the history (DiffBase).</summary>
    public int? LastReviewedVersion { get; set; }

    public Guid? CaseId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public uint RowVersion { get; set; }

    /// <summary>The plan that created it; null for the early hand-made records.</summary>
    public Guid? PlanId { get; set; }

    public Plans.EvaluationKind Kind { get; set; }

    public string? ProjectName { get; set; }

    /// <summary>
    /// 等级 of the latest submitted version, as frozen with it (the plan's own boundaries); null before the
    /// first submission and for records without an indicator table. Kept here so lists can filter on it
    /// without reading every version's content.
    /// </summary>
    public string? SubmittedGrade { get; set; }

    /// <summary>全年预算数 A, 万元.</summary>
    public decimal? FundsBudget { get; set; }

    /// <summary>The 全年预算数 a list shows: the form's A for a plan's record, the hand-made record's own figure otherwise.</summary>
    public decimal? Budget => PlanId is null ? TotalBudget : FundsBudget;

    /// <summary>全年执行数 B, 万元.</summary>
    public decimal? FundsExecuted { get; set; }

    /// <summary>上级财政转移支付 C, 万元.</summary>
    public decimal? FundsUpperTransfer { get; set; }

    /// <summary>Optional sub-rows (基本支出 人员/公用, 项目支出) as JSON, each with its own rate.</summary>
    public string FundsRowsJson { get; set; } = "[]";

    /// <summary>
    /// 所属独立核算单位个数 (部门整体 only): the first row of the paper form beside the unit's name. Null until filled;
    /// 0 is a real answer (the unit has none).
    /// </summary>
    public int? IndependentUnits { get; set; }

    /// <summary>部门职能概述 (部门整体 only): the paper form's row between 资金情况 and 年度总体目标.</summary>
    public string? Functions { get; set; }

    /// <summary>年初设定目标.</summary>
    public string? GoalsPlanned { get; set; }

    /// <summary>全年完成情况.</summary>
    public string? GoalsAchieved { get; set; }

    public SelfEvaluationReport Report { get; set; } = new();

    public List<SelfEvaluationIndicator> Indicators { get; set; } = [];

    public IReadOnlyList<FundsSubRow> FundsRows
    {
        get => System.Text.Json.JsonSerializer.Deserialize<List<FundsSubRow>>(FundsRowsJson, Plans.Plan.Json) ?? [];
        set => FundsRowsJson = System.Text.Json.JsonSerializer.Serialize(value, Plans.Plan.Json);
    }
}

/// <summary>A sub-row of the funds block (基本支出-人员经费, 基本支出-公用经费, 项目支出 …), 万元.</summary>
internal sealed record FundsSubRow(string Name, decimal? Budget, decimal? Executed, decimal? UpperTransfer);

/// <summary>The sections of the 自评报告, in the official order.</summary>
internal sealed class SelfEvaluationReport
{
    public static readonly IReadOnlyList<(string Key, string Label)> Sections =
    [
        ("basics", "部门基本情况"),
        ("budget", "预算支出情况"),
        ("performance", "绩效情况"),
        ("problems", "存在的问题及原因"),
        ("nextSteps", "下一步改进措施"),
        ("rectification", "上年及以前发现问题的整改情况"),
        ("other", "其他"),
    ];

    /// <summary>
    /// The sections a submission needs (the official report's main parts). 上年及以前发现问题的整改情况 is checked per
    /// finding by its own guard, 其他 is optional.
    /// </summary>
    public static readonly IReadOnlySet<string> Required = new HashSet<string>(StringComparer.Ordinal) { "basics", "budget", "performance", "problems", "nextSteps" };

    public string? Basics { get; set; }

    public string? Budget { get; set; }

    public string? Performance { get; set; }

    public string? Problems { get; set; }

    public string? NextSteps { get; set; }

    /// <summary>Free text until the findings register exists; then it is filled from there.</summary>
    public string? Rectification { get; set; }

    public string? Other { get; set; }

    public string? Get(string key) => key switch
    {
        "basics" => Basics,
        "budget" => Budget,
        "performance" => Performance,
        "problems" => Problems,
        "nextSteps" => NextSteps,
        "rectification" => Rectification,
        "other" => Other,
        _ => null,
    };

    public void Set(string key, string? value)
    {
        value = Shared.TextInput.Block(value);
        switch (key)
        {
            case "basics": Basics = value; break;
            case "budget": Budget = value; break;
            case "performance": Performance = value; break;
            case "problems": Problems = value; break;
            case "nextSteps": NextSteps = value; break;
            case "rectification": Rectification = value; break;
            case "other": Other = value; break;
        }
    }
}

/// <summary>One row of the three-level indicator table.</summary>
internal sealed class SelfEvaluationIndicator
{
    public Guid Id { get; set; }

    public Guid SelfEvaluationId { get; set; }

    /// <summary>Copy of the owner, so the data scope filters without a join.</summary>
    public Guid OrganisationId { get; set; }

    public int SortOrder { get; set; }

    public string? Level1 { get; set; }

    public string? Level2 { get; set; }

    public string? Level3 { get; set; }

    public string? Content { get; set; }

    public string? Target { get; set; }

    public string? Actual { get; set; }

    public decimal? Weight { get; set; }

    public decimal? Score { get; set; }

    public string? Reason { get; set; }

    public string? Measure { get; set; }

    public Scoring.IndicatorLine ToLine() => new(Level1, Level2, Level3, Content, Target, Actual, Weight, Score, Reason, Measure);
}

/// <summary>A supporting file (佐证材料). Stored in PostgreSQL so every node sees it and backups include it (ADR 0007).</summary>
internal sealed class SelfEvaluationAttachment
{
    public Guid Id { get; set; }

    public Guid SelfEvaluationId { get; set; }

    public Guid OrganisationId { get; set; }

    public required string FileName { get; set; }

    public required string ContentType { get; set; }

    public long Size { get; set; }

    public required string Sha256 { get; set; }

    public required byte[] Content { get; set; }

    public DateTimeOffset UploadedAt { get; set; }

    public Guid UploadedBy { get; set; }

    public required string UploadedByName { get; set; }
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
