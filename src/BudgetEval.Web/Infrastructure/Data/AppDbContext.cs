using BudgetEval.Web.Auth;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Infrastructure.Data;

internal sealed class AppDbContext : IdentityDbContext<AppUser, AppRole, Guid>
{
    public const string Schema = "budgeteval";

    private readonly DataScopeAccessor? _scope;

    public AppDbContext(DbContextOptions<AppDbContext> options, DataScopeAccessor? scope = null)
        : base(options)
    {
        _scope = scope;
    }

    public DbSet<Organisation> Organisations => Set<Organisation>();

    public DbSet<DataProtectionKeyRow> DataProtectionKeys => Set<DataProtectionKeyRow>();

    // Read by the query filters; EF evaluates these per context instance, i.e. per request.
    internal DataScope CurrentScope => _scope?.Current ?? DataScope.System;

    internal bool ScopeSeesAll => CurrentScope.SeesAll;

    internal Guid ScopeOrganisationId => CurrentScope.Kind == DataScopeKind.Nothing ? Guid.Empty : CurrentScope.OrganisationId ?? Guid.Empty;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasDefaultSchema(Schema);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);

        // The data scope, in one place: every organisation-owned set gets its filter here.
        builder.Entity<Organisation>().HasQueryFilter(o => ScopeSeesAll || o.Id == ScopeOrganisationId);
    }
}
