using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BudgetEval.Web.Calendar;

internal enum CalendarDayKind
{
    /// <summary>放假: a day off, even on a weekday.</summary>
    Holiday = 1,

    /// <summary>调休上班: a Saturday or Sunday that is a working day.</summary>
    Workday = 2,
}

/// <summary>A day that differs from the Monday–Friday rule, as published each year by the State Council.</summary>
internal sealed class CalendarDay
{
    public DateOnly Date { get; set; }

    public CalendarDayKind Kind { get; set; }

    public required string Name { get; set; }
}

internal sealed class CalendarDayConfiguration : IEntityTypeConfiguration<CalendarDay>
{
    public void Configure(EntityTypeBuilder<CalendarDay> b)
    {
        b.ToTable("calendar_days");
        b.HasKey(d => d.Date);
        b.Property(d => d.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(d => d.Name).HasMaxLength(50);
    }
}
