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
        b.Property(s => s.RowVersion).IsRowVersion();
        b.HasOne<Organisations.Organisation>().WithMany().HasForeignKey(s => s.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(s => new { s.OrganisationId, s.FiscalYear });
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
