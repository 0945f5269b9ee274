using BudgetEval.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BudgetEval.Web.Findings;

/// <summary>
/// A 问题类别 of the findings register. The bureau's administrator adds categories and retires old ones;
/// a retired one stays on the findings that carry it but is no longer offered. Findings keep the name
/// itself, so categories are never renamed or deleted.
/// </summary>
internal sealed class FindingCategory
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public int SortOrder { get; set; }

    public bool IsActive { get; set; } = true;
}

internal sealed class FindingCategoryConfiguration : IEntityTypeConfiguration<FindingCategory>
{
    /// <summary>The default list the product ships with.</summary>
    public static readonly string[] Defaults = ["预算绩效管理", "财务管理", "资产管理", "业务管理", "项目管理", "整改落实", "其他"];

    public void Configure(EntityTypeBuilder<FindingCategory> b)
    {
        b.ToTable("finding_categories");
        b.Property(c => c.Name).HasMaxLength(50);
        b.HasIndex(c => c.Name).IsUnique();
        b.HasData(Defaults.Select((name, i) => new FindingCategory { Id = i + 1, Name = name, SortOrder = (i + 1) * 10 }));
    }
}

internal static class FindingCategories
{
    /// <summary>The categories offered and accepted now, in their order.</summary>
    public static async Task<IReadOnlyList<string>> ActiveAsync(AppDbContext db, CancellationToken ct) =>
        await db.FindingCategories.AsNoTracking().Where(c => c.IsActive).OrderBy(c => c.SortOrder).ThenBy(c => c.Id).Select(c => c.Name).ToListAsync(ct);
}
