using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BudgetEval.Web.ResultUse;

/// <summary>
/// The bureau's rule for the suggested budget note (结果应用建议) per grade, plus a note added when a unit's
/// rectification rate is low. One row (Id 1); until the bureau saves its own, <see cref="Defaults"/> apply.
/// </summary>
internal sealed class BudgetNoteRules
{
    public int Id { get; set; } = 1;

    public required string Excellent { get; set; }

    public required string Good { get; set; }

    public required string Pass { get; set; }

    public required string Fail { get; set; }

    /// <summary>Used while neither an accepted self-evaluation nor a completed evaluation gives a grade.</summary>
    public required string NoGrade { get; set; }

    /// <summary>A rectification rate below this percentage adds <see cref="LowRectification"/>.</summary>
    public decimal LowRectificationBelowPercent { get; set; }

    public required string LowRectification { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public string? UpdatedByName { get; set; }

    public uint RowVersion { get; set; }

    public static BudgetNoteRules Defaults() => new()
    {
        Excellent = "绩效优良，下年度预算予以优先保障",
        Good = "维持现有预算规模，针对扣分事项改进管理",
        Pass = "建议压减下年度预算10%，并限期整改",
        Fail = "建议大幅压减预算或取消项目，调整支出结构",
        NoGrade = "评价结果未定，暂不提出预算建议",
        LowRectificationBelowPercent = 80m,
        LowRectification = "问题整改率偏低，新增预算从严审核",
    };

    public string ForGrade(string? grade) => grade switch
    {
        "优" => Excellent,
        "良" => Good,
        "中" => Pass,
        "差" => Fail,
        _ => NoGrade,
    };

    /// <summary>The note for a grade and a rectification rate (a fraction; null when the unit has no findings to rectify).</summary>
    public string Suggest(string? grade, decimal? rectificationRate) =>
        rectificationRate is { } rate && rate * 100m < LowRectificationBelowPercent ? $"{ForGrade(grade)}；{LowRectification}" : ForGrade(grade);
}

/// <summary>A result the bureau marked for public release (公开清单): one self-evaluation or evaluation.</summary>
internal sealed class ResultPublication
{
    public Guid Id { get; set; }

    public int FiscalYear { get; set; }

    /// <summary>"SelfEvaluation" or "Evaluation".</summary>
    public required string SubjectKind { get; set; }

    public Guid SubjectId { get; set; }

    public Guid OrganisationId { get; set; }

    public DateTimeOffset MarkedAt { get; set; }

    public Guid MarkedBy { get; set; }

    public required string MarkedByName { get; set; }
}

/// <summary>
/// The lead's approval (审定) of a year's results: the rows as they stood are frozen here, so the printed
/// annex and the publication list no longer move with later changes until the lead reopens the year.
/// </summary>
internal sealed class ResultApproval
{
    public int FiscalYear { get; set; }

    public DateTimeOffset ApprovedAt { get; set; }

    public Guid ApprovedBy { get; set; }

    public required string ApprovedByName { get; set; }

    public uint RowVersion { get; set; }
}

/// <summary>
/// One result line as the approval froze it, in the order the results showed it (<see cref="Seq"/>). A row per
/// line rather than one JSON document per year: a province's year has 120,000 lines, and the approved year
/// is read a page at a time like the live one.
/// </summary>
internal sealed class ResultApprovalRow : IResultLine
{
    public int FiscalYear { get; set; }

    public int Seq { get; set; }

    /// <summary>The filters of the results page, as columns.</summary>
    public required string UnitName { get; set; }

    public required string Kind { get; set; }

    public bool Published { get; set; }

    /// <summary>The whole <see cref="ResultRow"/>, as JSON.</summary>
    public required string RowJson { get; set; }
}

internal sealed class ResultRecordsConfiguration :
    IEntityTypeConfiguration<BudgetNoteRules>, IEntityTypeConfiguration<ResultPublication>, IEntityTypeConfiguration<ResultApproval>,
    IEntityTypeConfiguration<ResultApprovalRow>
{
    public void Configure(EntityTypeBuilder<BudgetNoteRules> b)
    {
        b.ToTable("budget_note_rules");
        b.Property(r => r.Id).ValueGeneratedNever();
        foreach (var text in new[] { nameof(BudgetNoteRules.Excellent), nameof(BudgetNoteRules.Good), nameof(BudgetNoteRules.Pass), nameof(BudgetNoteRules.Fail), nameof(BudgetNoteRules.NoGrade), nameof(BudgetNoteRules.LowRectification) })
        {
            b.Property<string>(text).HasMaxLength(ResultRules.NoteMaxLength);
        }

        b.Property(r => r.LowRectificationBelowPercent).HasPrecision(5, 2);
        b.Property(r => r.UpdatedByName).HasMaxLength(100);
        b.Property(r => r.RowVersion).IsRowVersion();
    }

    public void Configure(EntityTypeBuilder<ResultPublication> b)
    {
        b.ToTable("result_publications");
        b.Property(p => p.SubjectKind).HasMaxLength(20);
        b.Property(p => p.MarkedByName).HasMaxLength(100);
        b.HasIndex(p => new { p.SubjectKind, p.SubjectId }).IsUnique();
        b.HasIndex(p => p.FiscalYear);
    }

    public void Configure(EntityTypeBuilder<ResultApproval> b)
    {
        b.ToTable("result_approvals");
        b.HasKey(a => a.FiscalYear);
        b.Property(a => a.FiscalYear).ValueGeneratedNever();
        b.Property(a => a.ApprovedByName).HasMaxLength(100);
        b.Property(a => a.RowVersion).IsRowVersion();
    }

    public void Configure(EntityTypeBuilder<ResultApprovalRow> b)
    {
        b.ToTable("result_approval_rows");
        b.HasKey(r => new { r.FiscalYear, r.Seq });
        b.Property(r => r.Seq).ValueGeneratedNever();
        b.Property(r => r.UnitName).HasMaxLength(200);
        b.Property(r => r.Kind).HasMaxLength(20);
        b.Property(r => r.RowJson).HasColumnType("jsonb");
        // Withdrawing the approval (deleting it) takes its rows with it, in the database.
        b.HasOne<ResultApproval>().WithMany().HasForeignKey(r => r.FiscalYear).OnDelete(DeleteBehavior.Cascade);
    }
}
