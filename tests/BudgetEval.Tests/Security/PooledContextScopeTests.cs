using System.Security.Claims;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.Security;

/// <summary>
/// DbContexts are pooled (ADR 0012), and the data scope is a property of the rented context: a context must
/// come back from the pool seeing nothing, never what its previous renter saw.
/// </summary>
public sealed class PooledContextScopeTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_context_rented_by_a_scope_When_the_scope_ends_Then_it_goes_back_without_that_scope()
    {
        AppDbContext rented;
        using (var scope = app.Factory.Services.CreateScope())
        {
            rented = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Assert.NotNull(rented.ScopeAccessor);
            Assert.True(await rented.Organisations.CountAsync() > 1, "a scope without a signed-in user is the system and sees every organisation");
        }

        Assert.Null(rented.ScopeAccessor);
    }

    [Fact]
    public async Task Given_a_context_taken_from_the_pool_without_a_scope_When_it_queries_Then_it_sees_nothing()
    {
        var factory = app.Factory.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using var bare = factory.CreateDbContext();
        Assert.Equal(0, await bare.Organisations.CountAsync());
        Assert.Equal(0, await bare.WorkflowInstances.CountAsync());
        Assert.Equal(0, await bare.SelfEvaluations.CountAsync());

        // The same database seen as the system is not empty, so the zeros above are the filter's.
        Assert.True(await app.DbAsync(db => db.WorkflowInstances.CountAsync()) > 0);
    }

    // ADR 0014: the filter is written so that EF Core emits one SQL text per kind of caller, which PostgreSQL
    // can plan once. A boolean parameter in the SQL ("@all OR …") would make it plan every execution.
    [Theory]
    [InlineData("unit")]
    [InlineData("finance")]
    [InlineData("evaluator")]
    public async Task Given_a_signed_in_caller_When_a_filtered_query_is_translated_Then_its_SQL_holds_only_the_branch_of_that_caller(string userName)
    {
        using var scope = app.SignedInScope(await app.PrincipalAsync(userName));
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        var selfEvaluations = db.SelfEvaluations.Where(s => s.FiscalYear == 2024).ToQueryString();
        var workItems = db.WorkItems.Where(w => w.CompletedAt == null).ToQueryString();

        switch (userName)
        {
            case "finance":
                Assert.DoesNotContain("ef_filter", selfEvaluations + workItems);
                Assert.DoesNotContain("EXISTS", workItems);
                break;
            case "unit":
                Assert.Contains("WHERE s.\"OrganisationId\" = @ef_filter__FilterOwn AND", selfEvaluations);
                Assert.Contains("WHERE w.\"CaseOrganisationId\" = @ef_filter__FilterOwn AND", workItems);
                Assert.DoesNotContain(" OR ", selfEvaluations + workItems);
                break;
            default:
                Assert.Contains("WHERE s.\"OrganisationId\" = @ef_filter__FilterOwn AND", selfEvaluations);
                Assert.Contains("w.\"CaseFirmId\" = @ef_filter__FilterOwn", workItems);
                break;
        }

        // And the rows are still the caller's: the unit sees only its own, the bureau more than one unit.
        var units = await db.SelfEvaluations.Select(s => s.OrganisationId).Distinct().CountAsync();
        Assert.True(userName switch { "finance" => units > 1, "unit" => units == 1, _ => units == 0 }, $"{userName} sees self-evaluations of {units} units");
    }

    private static readonly Func<AppDbContext, IAsyncEnumerable<Guid>> UnitsOfSelfEvaluations =
        EF.CompileAsyncQuery((AppDbContext db) => db.SelfEvaluations.Select(s => s.OrganisationId).Distinct());

    // A compiled query is compiled once, but it must not keep the scope of whoever ran it first: it is
    // compiled per kind of caller and chosen on every execution (ScopedQueryCompiler).
    [Fact]
    public async Task Given_a_compiled_query_first_run_by_a_unit_When_the_bureau_and_nobody_run_it_Then_each_sees_its_own_rows()
    {
        Assert.Equal(1, await UnitsSeenAsAsync("unit"));
        Assert.True(await UnitsSeenAsAsync("finance") > 1);
        Assert.Equal(0, await UnitsSeenAsAsync("evaluator"));
        Assert.Equal(1, await UnitsSeenAsAsync("unit2"));

        var factory = app.Factory.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using var bare = factory.CreateDbContext();
        Assert.Empty(await UnitsOfSelfEvaluations(bare).ToListAsync());
    }

    private async Task<int> UnitsSeenAsAsync(string userName)
    {
        using var scope = app.SignedInScope(await app.PrincipalAsync(userName));
        return (await UnitsOfSelfEvaluations(scope.ServiceProvider.GetRequiredService<AppDbContext>()).ToListAsync()).Count;
    }
}
