using System.Text.Json;
using BudgetEval.Web.Evaluations;
using BudgetEval.Web.Plans;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BudgetEval.Web.Admin.Templates;

/// <summary>Which form a template feeds: the 自评 indicator table of a plan, or the 重点评价 indicator table of an evaluation.</summary>
internal enum TemplateKind
{
    SelfEvaluation,
    Evaluation,
}

internal static class TemplateKinds
{
    public static string Label(TemplateKind kind) => kind == TemplateKind.Evaluation ? "重点评价指标模板" : "自评指标模板";

    /// <summary>Accepts the enum name only (the API and the page's hidden field); never a number.</summary>
    public static TemplateKind? Parse(string? text) => Shared.EnumNames.TryParse<TemplateKind>(text?.Trim() ?? string.Empty, out var k) ? k : null;
}

/// <summary>One row of a 重点评价 template: what the firm starts each evaluation's table from.</summary>
internal sealed record TemplateRow(string Level1, string? Level2, string Level3, decimal Weight, string? Points, string? Standard)
{
    public ScoreRow ToScoreRow() => new(Level1, Level2, Level3, Weight, Points, Standard, null, null);
}

/// <summary>
/// An indicator template the administrator keeps (指标模板管理). Plans and evaluations copy its content when they
/// take it (a plan its groups, an evaluation its groups and rows), so editing or retiring it never changes what
/// already uses it; that is also why a template is never deleted, only retired (停用).
/// </summary>
internal sealed class IndicatorTemplateRecord
{
    public int Id { get; set; }

    public TemplateKind Kind { get; set; }

    /// <summary>What plans (<c>TemplateId</c>) and evaluations (<c>TemplateKey</c>) record; never changes.</summary>
    public required string Key { get; set; }

    public required string Name { get; set; }

    /// <summary>自评: a list of <see cref="TemplateGroup"/>; 重点评价: the four 一级 names.</summary>
    public string GroupsJson { get; set; } = "[]";

    /// <summary>重点评价 only: the <see cref="TemplateRow"/>s; 自评 templates keep "[]".</summary>
    public string RowsJson { get; set; } = "[]";

    public bool IsActive { get; set; } = true;

    public int SortOrder { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public uint RowVersion { get; set; }

    public IReadOnlyList<TemplateGroup> SelfEvaluationGroups
    {
        get => Kind == TemplateKind.SelfEvaluation ? JsonSerializer.Deserialize<List<TemplateGroup>>(GroupsJson, Plan.Json) ?? [] : [];
        set => GroupsJson = JsonSerializer.Serialize(value, Plan.Json);
    }

    public IReadOnlyList<string> EvaluationGroups
    {
        get => Kind == TemplateKind.Evaluation ? JsonSerializer.Deserialize<List<string>>(GroupsJson, Plan.Json) ?? [] : [];
        set => GroupsJson = JsonSerializer.Serialize(value, Plan.Json);
    }

    public IReadOnlyList<TemplateRow> Rows
    {
        get => JsonSerializer.Deserialize<List<TemplateRow>>(RowsJson, Plan.Json) ?? [];
        set => RowsJson = JsonSerializer.Serialize(value, Plan.Json);
    }

    public IndicatorTemplate ToIndicatorTemplate() => new(Key, Name, SelfEvaluationGroups);

    public EvaluationTemplate ToEvaluationTemplate() => new(Key, Name, EvaluationGroups, [.. Rows.Select(r => r.ToScoreRow())]);
}

internal sealed class IndicatorTemplateRecordConfiguration : IEntityTypeConfiguration<IndicatorTemplateRecord>
{
    public void Configure(EntityTypeBuilder<IndicatorTemplateRecord> b)
    {
        // The four built-in templates are inserted by the migration that creates the table (docs/decisions/0021),
        // not by HasData: later edits of the C# seed must not turn into migrations that overwrite the administrator's.
        b.ToTable("indicator_templates");
        b.Property(t => t.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(t => t.Key).HasMaxLength(50);
        b.Property(t => t.Name).HasMaxLength(TemplateAdmin.MaxNameLength);
        b.Property(t => t.GroupsJson).HasColumnType("jsonb");
        b.Property(t => t.RowsJson).HasColumnType("jsonb");
        b.Ignore(t => t.SelfEvaluationGroups);
        b.Ignore(t => t.EvaluationGroups);
        b.Ignore(t => t.Rows);
        b.Property(t => t.RowVersion).IsRowVersion();
        b.HasIndex(t => t.Key).IsUnique();
        b.HasIndex(t => new { t.Kind, t.Name }).IsUnique();
    }
}
