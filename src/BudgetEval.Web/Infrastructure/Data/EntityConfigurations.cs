using BudgetEval.Web.Organisations;
using BudgetEval.Web.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BudgetEval.Web.Infrastructure.Data;

internal sealed class OrganisationConfiguration : IEntityTypeConfiguration<Organisation>
{
    public void Configure(EntityTypeBuilder<Organisation> b)
    {
        b.ToTable("organisations");
        b.Property(o => o.Name).HasMaxLength(200);
        b.Property(o => o.ShortName).HasMaxLength(100);
        b.Property(o => o.CreditCode).HasMaxLength(18);
        b.Property(o => o.ContactPerson).HasMaxLength(50);
        b.Property(o => o.ContactPhone).HasMaxLength(30);
        b.Property(o => o.Kind).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(o => o.Name).IsUnique();
        b.HasOne(o => o.Parent).WithMany().HasForeignKey(o => o.ParentId).OnDelete(DeleteBehavior.Restrict);
        b.Property(o => o.RowVersion).IsRowVersion();
    }
}

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> b)
    {
        b.ToTable("users");
        b.Property(u => u.DisplayName).HasMaxLength(50);
        b.HasOne(u => u.Organisation).WithMany().HasForeignKey(u => u.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(u => u.OrganisationId);
    }
}

internal sealed class AppRoleConfiguration : IEntityTypeConfiguration<AppRole>
{
    public void Configure(EntityTypeBuilder<AppRole> b)
    {
        b.ToTable("roles");

        // The role set is fixed by the product, so it ships with the schema (stable ids and stamps).
        b.HasData(Roles.All.Select((name, i) => new AppRole(name)
        {
            Id = new Guid($"00000000-0000-0000-0000-0000000000{i + 1:D2}"),
            NormalizedName = name.ToUpperInvariant(),
            ConcurrencyStamp = name,
        }));
    }
}

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKeyRow>
{
    public void Configure(EntityTypeBuilder<DataProtectionKeyRow> b)
    {
        b.ToTable("data_protection_keys");
        b.Property(k => k.FriendlyName).HasMaxLength(200);
    }
}
