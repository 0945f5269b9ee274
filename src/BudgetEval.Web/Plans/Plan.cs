using System.Text.Json;
using System.Text.Json.Serialization;

namespace BudgetEval.Web.Plans;

internal enum PlanStatus
{
    Draft,
    Published,
}

/// <summary>部门整体支出自评 (a whole unit) or 项目支出自评 (a named project or special fund of a unit).</summary>
internal enum EvaluationKind
{
    DepartmentWide,
    Project,
}

internal static class EvaluationKinds
{
    public static string Label(EvaluationKind kind) => kind == EvaluationKind.Project ? "项目支出绩效自评" : "部门整体支出绩效自评";

    /// <summary>The same kinds as targets of the bureau's external evaluation (重点评价), which is not a 自评.</summary>
    public static string EvaluationLabel(EvaluationKind kind) => kind == EvaluationKind.Project ? "项目支出绩效评价" : "部门整体支出绩效评价";

    /// <summary>Accepts the enum name or the Chinese words (部门整体支出 / 项目支出); never a number.</summary>
    public static EvaluationKind? Parse(string? text) => text?.Trim() switch
    {
        null or "" => EvaluationKind.DepartmentWide,
        var t when Shared.EnumNames.TryParse<EvaluationKind>(t, out var k) => k,
        var t when t.StartsWith("项目", StringComparison.Ordinal) => EvaluationKind.Project,
        var t when t.StartsWith("部门", StringComparison.Ordinal) => EvaluationKind.DepartmentWide,
        _ => null,
    };
}

/// <summary>The bureau's yearly 评价工作计划: who submits what, by when, scored how.</summary>
internal sealed class Plan
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public Guid Id { get; set; }

    /// <summary>The year evaluated (the notice is issued the year after).</summary>
    public int FiscalYear { get; set; }

    public required string Title { get; set; }

    /// <summary>文号, e.g. 望财绩〔2022〕3号.</summary>
    public string? NoticeNumber { get; set; }

    public DateOnly Deadline { get; set; }

    public PlanStatus Status { get; set; }

    /// <summary>The scoring rules as JSON; read and written through <see cref="Rules"/>.</summary>
    public string ScoringRulesJson { get; set; } = "{}";

    public string TemplateId { get; set; } = IndicatorTemplates.Default.Id;

    /// <summary>The indicator template as JSON (copied from a built-in one, so later edits of the built-ins do not change a published plan).</summary>
    public string TemplateJson { get; set; } = "[]";

    public List<PlanTarget> Targets { get; set; } = [];

    public List<PlanAmendment> Amendments { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public Guid CreatedBy { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }

    public Guid? PublishedBy { get; set; }

    public uint RowVersion { get; set; }

    public ScoringRules Rules
    {
        get => JsonSerializer.Deserialize<ScoringRules>(ScoringRulesJson, Json) ?? ScoringRules.Default;
        set => ScoringRulesJson = JsonSerializer.Serialize(value, Json);
    }

    public IReadOnlyList<TemplateGroup> Template
    {
        get => JsonSerializer.Deserialize<List<TemplateGroup>>(TemplateJson, Json) ?? [];
        set => TemplateJson = JsonSerializer.Serialize(value, Json);
    }
}

/// <summary>One unit (and, for 项目支出, one project of it) that the plan covers.</summary>
internal sealed class PlanTarget
{
    public Guid Id { get; set; }

    public Guid PlanId { get; set; }

    public Guid OrganisationId { get; set; }

    public EvaluationKind Kind { get; set; }

    public string? ProjectName { get; set; }

    /// <summary>The project's budget, 万元.</summary>
    public decimal? ProjectBudget { get; set; }

    /// <summary>Set when publishing created its self-evaluation.</summary>
    public Guid? SelfEvaluationId { get; set; }
}

/// <summary>A change made to a plan after publishing (a unit added, the deadline moved), kept for the record.</summary>
internal sealed class PlanAmendment
{
    public Guid Id { get; set; }

    public Guid PlanId { get; set; }

    public DateTimeOffset At { get; set; }

    public Guid ByUserId { get; set; }

    public required string ByName { get; set; }

    public required string Description { get; set; }
}

/// <summary>A level-1 indicator group with its default level-2 groups.</summary>
internal sealed record TemplateGroup(string Level1, IReadOnlyList<string> Level2);

internal sealed record IndicatorTemplate(string Id, string Name, IReadOnlyList<TemplateGroup> Groups);

internal static class IndicatorTemplates
{
    /// <summary>产出/效益/满意度: what self-evaluation tables use (the 2022 sample).</summary>
    public static readonly IndicatorTemplate Default = new("default", "产出/效益/满意度（自评常用）",
    [
        new("产出指标", ["数量指标", "质量指标", "时效指标", "成本指标"]),
        new("效益指标", ["经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"]),
        new("满意度指标", ["服务对象满意度指标"]),
    ]);

    /// <summary>The 2020 national framework (财预〔2020〕10号) 决策/过程/产出/效益.</summary>
    public static readonly IndicatorTemplate National2020 = new("national2020", "决策/过程/产出/效益（2020年全国框架）",
    [
        new("决策", ["项目立项", "绩效目标", "资金投入"]),
        new("过程", ["资金管理", "组织实施"]),
        new("产出", ["产出数量", "产出质量", "产出时效", "产出成本"]),
        new("效益", ["项目效益"]),
    ]);

    public static readonly IReadOnlyList<IndicatorTemplate> All = [Default, National2020];

    public static IndicatorTemplate? Find(string? id) => All.FirstOrDefault(t => t.Id == (string.IsNullOrWhiteSpace(id) ? Default.Id : id));
}
