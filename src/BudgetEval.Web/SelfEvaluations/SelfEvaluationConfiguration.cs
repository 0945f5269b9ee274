using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BudgetEval.Web.SelfEvaluations;

internal sealed class SelfEvaluationConfiguration : IEntityTypeConfiguration<SelfEvaluation>
{
    public void Configure(EntityTypeBuilder<SelfEvaluation> b)
    {
        b.ToTable("self_evaluations");
        b.Property(s => s.Title).HasMaxLength(300);
        b.Property(s => s.Summary).HasMaxLength(20000);
        b.Property(s => s.TotalBudget).HasPrecision(18, 2);
        b.Property(s => s.Status).HasMaxLength(100);
        b.Property(s => s.SubmittedGrade).HasMaxLength(2);
        b.Property(s => s.RowVersion).IsRowVersion();
        b.HasOne<Organisations.Organisation>().WithMany().HasForeignKey(s => s.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(s => new { s.OrganisationId, s.FiscalYear });
        b.HasIndex(s => s.FiscalYear); // a year's proposals (推荐评价对象): 120,000 of a province's 1,200,000
        b.HasIndex(s => new { s.CreatedAt, s.Id }); // the paged list, newest first, for the bureau (a province: 1,000,000)
        b.Property(s => s.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(s => s.ProjectName).HasMaxLength(300);
        b.Property(s => s.FundsBudget).HasPrecision(18, 2);
        b.Property(s => s.FundsExecuted).HasPrecision(18, 2);
        b.Property(s => s.FundsUpperTransfer).HasPrecision(18, 2);
        b.Property(s => s.FundsRowsJson).HasColumnType("jsonb");
        b.Property(s => s.GoalsPlanned).HasMaxLength(SelfEvaluationForm.GoalsMaxLength);
        b.Property(s => s.GoalsAchieved).HasMaxLength(SelfEvaluationForm.GoalsMaxLength);
        b.Property(s => s.Functions).HasMaxLength(SelfEvaluationForm.FunctionsMaxLength);
        b.Ignore(s => s.FundsRows);
        b.OwnsOne(s => s.Report, r =>
        {
            r.Property(x => x.Basics).HasMaxLength(SelfEvaluationForm.ReportSectionMaxLength);
            r.Property(x => x.Budget).HasMaxLength(SelfEvaluationForm.ReportSectionMaxLength);
            r.Property(x => x.Performance).HasMaxLength(SelfEvaluationForm.ReportSectionMaxLength);
            r.Property(x => x.Problems).HasMaxLength(SelfEvaluationForm.ReportSectionMaxLength);
            r.Property(x => x.NextSteps).HasMaxLength(SelfEvaluationForm.ReportSectionMaxLength);
            r.Property(x => x.Rectification).HasMaxLength(SelfEvaluationForm.ReportSectionMaxLength);
            r.Property(x => x.Other).HasMaxLength(SelfEvaluationForm.ReportSectionMaxLength);
        });
        b.Navigation(s => s.Report).IsRequired();
        b.HasMany(s => s.Indicators).WithOne().HasForeignKey(i => i.SelfEvaluationId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Plans.Plan>().WithMany().HasForeignKey(s => s.PlanId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SelfEvaluationIndicatorConfiguration : IEntityTypeConfiguration<SelfEvaluationIndicator>
{
    public void Configure(EntityTypeBuilder<SelfEvaluationIndicator> b)
    {
        b.ToTable("self_evaluation_indicators");
        foreach (var text in new[] { nameof(SelfEvaluationIndicator.Level1), nameof(SelfEvaluationIndicator.Level2), nameof(SelfEvaluationIndicator.Level3) })
        {
            b.Property<string?>(text).HasMaxLength(SelfEvaluationForm.IndicatorNameMaxLength);
        }

        foreach (var text in new[] { nameof(SelfEvaluationIndicator.Content), nameof(SelfEvaluationIndicator.Target), nameof(SelfEvaluationIndicator.Actual), nameof(SelfEvaluationIndicator.Reason), nameof(SelfEvaluationIndicator.Measure) })
        {
            b.Property<string?>(text).HasMaxLength(SelfEvaluationForm.IndicatorTextMaxLength);
        }

        b.Property(i => i.Weight).HasPrecision(9, 2);
        b.Property(i => i.Score).HasPrecision(9, 2);
        b.HasIndex(i => new { i.SelfEvaluationId, i.SortOrder });
    }
}

internal sealed class SelfEvaluationAttachmentConfiguration : IEntityTypeConfiguration<SelfEvaluationAttachment>
{
    public void Configure(EntityTypeBuilder<SelfEvaluationAttachment> b)
    {
        b.ToTable("self_evaluation_attachments");
        b.Property(a => a.FileName).HasMaxLength(255);
        b.Property(a => a.ContentType).HasMaxLength(100);
        b.Property(a => a.Sha256).HasMaxLength(64);
        b.Property(a => a.UploadedByName).HasMaxLength(100);
        b.HasOne<SelfEvaluation>().WithMany().HasForeignKey(a => a.SelfEvaluationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(a => a.SelfEvaluationId);
    }
}

internal sealed class SelfEvaluationVersionConfiguration : IEntityTypeConfiguration<SelfEvaluationVersion>
{
    public void Configure(EntityTypeBuilder<SelfEvaluationVersion> b)
    {
        b.ToTable("self_evaluation_versions");
        b.Property(v => v.ContentJson).HasColumnType("jsonb");
        b.Property(v => v.SubmittedByName).HasMaxLength(100);
        b.HasOne<SelfEvaluation>().WithMany().HasForeignKey(v => v.SelfEvaluationId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(v => new { v.SelfEvaluationId, v.VersionNo }).IsUnique();
    }
}
