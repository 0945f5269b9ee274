using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BudgetEval.Web.Plans;

internal sealed class PlanConfiguration : IEntityTypeConfiguration<Plan>
{
    public void Configure(EntityTypeBuilder<Plan> b)
    {
        b.ToTable("plans");
        b.Property(p => p.Title).HasMaxLength(300);
        b.Property(p => p.NoticeNumber).HasMaxLength(100);
        b.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(p => p.ScoringRulesJson).HasColumnType("jsonb");
        b.Property(p => p.TemplateId).HasMaxLength(50);
        b.Property(p => p.TemplateJson).HasColumnType("jsonb");
        b.Property(p => p.RowVersion).IsRowVersion();
        b.Ignore(p => p.Rules);
        b.Ignore(p => p.Template);
        b.HasMany(p => p.Targets).WithOne().HasForeignKey(t => t.PlanId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(p => p.Amendments).WithOne().HasForeignKey(a => a.PlanId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(p => p.FiscalYear);
    }
}

internal sealed class PlanTargetConfiguration : IEntityTypeConfiguration<PlanTarget>
{
    public void Configure(EntityTypeBuilder<PlanTarget> b)
    {
        b.ToTable("plan_targets");
        b.Property(t => t.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(t => t.ProjectName).HasMaxLength(300);
        b.Property(t => t.ProjectBudget).HasPrecision(18, 2);
        b.HasOne<Organisations.Organisation>().WithMany().HasForeignKey(t => t.OrganisationId).OnDelete(DeleteBehavior.Restrict);

        // One self-evaluation per unit, kind and project within a plan; NULLS NOT DISTINCT makes that hold for department-wide rows too.
        b.HasIndex(t => new { t.PlanId, t.OrganisationId, t.Kind, t.ProjectName }).IsUnique().AreNullsDistinct(false);
    }
}

internal sealed class PlanAmendmentConfiguration : IEntityTypeConfiguration<PlanAmendment>
{
    public void Configure(EntityTypeBuilder<PlanAmendment> b)
    {
        b.ToTable("plan_amendments");
        b.Property(a => a.ByName).HasMaxLength(100);
        b.Property(a => a.Description).HasMaxLength(2000);
    }
}
