using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.Performance;

/// <summary>Background recounts run without parallel workers, and only they: the setting ends with their transaction.</summary>
public sealed class SingleWorkerTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_recount_When_it_runs_Then_postgresql_uses_no_parallel_workers_for_it_and_the_connection_is_back_to_normal_after()
    {
        using var scope = app.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Task<string> Setting(CancellationToken ct) => db.Database.SqlQueryRaw<string>("SELECT current_setting('max_parallel_workers_per_gather') AS \"Value\"").SingleAsync(ct);

        var inside = await SingleWorker.RunAsync(db, Setting, CancellationToken.None);
        var after = await Setting(CancellationToken.None);

        Assert.Equal("0", inside);
        Assert.NotEqual("0", after);
    }
}
