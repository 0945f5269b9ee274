using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BudgetEval.Web.Evaluations;

internal sealed class EvaluationConfiguration : IEntityTypeConfiguration<Evaluation>
{
    public void Configure(EntityTypeBuilder<Evaluation> b)
    {
        b.ToTable("evaluations");
        b.Property(e => e.Title).HasMaxLength(300);
        b.Property(e => e.Reason).HasMaxLength(2000);
        b.Property(e => e.ProjectName).HasMaxLength(300);
        b.Property(e => e.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(e => e.Budget).HasPrecision(18, 2);
        b.Property(e => e.Status).HasMaxLength(100);
        b.Property(e => e.TemplateKey).HasMaxLength(100);
        b.Property(e => e.ReportNumber).HasMaxLength(100);
        b.Property(e => e.UnitComment).HasMaxLength(20000);
        foreach (var json in new[] { nameof(Evaluation.TeamJson), nameof(Evaluation.GroupsJson), nameof(Evaluation.RowsJson), nameof(Evaluation.ProblemsJson), nameof(Evaluation.ReportJson) })
        {
            b.Property<string>(json).HasColumnType("jsonb");
        }

        b.Ignore(e => e.Team);
        b.Ignore(e => e.Groups);
        b.Ignore(e => e.Rows);
        b.Ignore(e => e.Problems);
        b.Ignore(e => e.Report);
        b.Property(e => e.RowVersion).IsRowVersion();
        b.HasOne<Organisations.Organisation>().WithMany().HasForeignKey(e => e.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Organisations.Organisation>().WithMany().HasForeignKey(e => e.FirmId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(e => new { e.FiscalYear, e.OrganisationId });
        b.HasIndex(e => e.FirmId);
    }
}
