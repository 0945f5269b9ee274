using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Infrastructure.Data;
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
}
