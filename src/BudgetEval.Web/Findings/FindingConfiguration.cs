using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BudgetEval.Web.Findings;

internal sealed class FindingConfiguration : IEntityTypeConfiguration<Finding>
{
    public void Configure(EntityTypeBuilder<Finding> b)
    {
        b.ToTable("findings");
        b.Property(f => f.Number).HasMaxLength(60);
        b.HasIndex(f => f.Number).IsUnique();
        b.Property(f => f.Category).HasMaxLength(50);
        b.Property(f => f.Title).HasMaxLength(300);
        b.Property(f => f.Detail).HasMaxLength(20000);
        b.Property(f => f.IndicatorRow).HasMaxLength(200);
        b.Property(f => f.Recommendation).HasMaxLength(20000);
        b.Property(f => f.Source).HasConversion<string>().HasMaxLength(20);
        b.Property(f => f.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(f => f.SourceDocument).HasMaxLength(200);
        b.Property(f => f.RectifiedEvidence).HasMaxLength(20000);
        b.Property(f => f.PriorSourceKind).HasMaxLength(20);
        b.Property(f => f.PriorSourceDocument).HasMaxLength(200);
        b.Property(f => f.UnitComment).HasMaxLength(20000);
        b.Property(f => f.FirmAnswer).HasMaxLength(20000);
        b.Property(f => f.PlanMeasures).HasMaxLength(20000);
        b.Property(f => f.PlanResponsible).HasMaxLength(100);
        b.Property(f => f.ResultText).HasMaxLength(20000);
        b.Property(f => f.Remaining).HasMaxLength(20000);
        b.Property(f => f.Verification).HasMaxLength(20000);
        b.HasOne<Organisations.Organisation>().WithMany().HasForeignKey(f => f.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Evaluations.Evaluation>().WithMany().HasForeignKey(f => f.EvaluationId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(f => new { f.OrganisationId, f.FiscalYear });
        b.HasIndex(f => new { f.FiscalYear, f.Number }).IsDescending(true, false); // the paged register, newest year first

        // The dashboards' overdue list and count: open findings by deadline, oldest first.
        b.HasIndex(f => f.Deadline).HasFilter("\"Status\" IN ('Open', 'InProgress', 'Partial')").HasDatabaseName("IX_findings_open_deadline");

        // One finding per problem of an evaluation: CreateFindings can never double them.
        b.HasIndex(f => new { f.EvaluationId, f.Title }).IsUnique().HasFilter("\"EvaluationId\" IS NOT NULL");
    }
}
