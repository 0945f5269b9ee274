using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BudgetEval.Web.Infrastructure.Jobs;

/// <summary>One execution of a background job, for the jobs dashboard (which node ran what, and how it went).</summary>
internal sealed class JobRun
{
    public long Id { get; set; }

    public required string Job { get; set; }

    /// <summary>The Quartz instance id of the node, or "manual@host" for a run started from the dashboard.</summary>
    public required string Node { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public bool Succeeded { get; set; }

    public string? Detail { get; set; }
}

internal sealed class JobRunConfiguration : IEntityTypeConfiguration<JobRun>
{
    public void Configure(EntityTypeBuilder<JobRun> b)
    {
        b.ToTable("job_runs");
        b.Property(r => r.Job).HasMaxLength(100);
        b.Property(r => r.Node).HasMaxLength(200);
        b.Property(r => r.Detail).HasMaxLength(2000);
        b.HasIndex(r => new { r.Job, r.StartedAt });
    }
}
