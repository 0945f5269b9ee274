using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Audit;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Audit;

/// <summary>The demo seed's own transitions are logged like anyone's (its own fixture: another class purges old entries).</summary>
public sealed class DemoAuditTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_the_seeded_demo_When_its_transitions_are_read_Then_each_names_the_person_and_the_login()
    {
        var names = await app.DbAsync(db => db.AuditEntries.Where(a => a.Action == AuditActions.CaseTransition).Select(a => a.ActorName).Distinct().ToListAsync());

        Assert.Contains("王建国（financelead）", names); // the 2021 evaluation's 同意评价
        Assert.Contains("李敏（finance）", names);
        Assert.All(names, n => Assert.Matches("^.+（[a-z0-9]+）$", n!));
    }
}
