using System.Security.Claims;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.EvaluationPrivacy;

/// <summary>
/// The unit's rule "not while it is the bureau's proposal" runs on every read of evaluations and cases at
/// province scale: it must stay a test on the row's own columns, with the states as constants (one SQL
/// text, planned once, ADR 0014), never a join or a subquery per row; and only the unit's SQL carries it.
/// </summary>
public sealed class EvaluationProposalFilterSqlTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("unit")]
    [InlineData("finance")]
    [InlineData("evaluator")]
    public async Task Given_a_caller_When_evaluations_and_cases_are_translated_Then_only_the_units_SQL_tests_the_proposal_states_on_the_row(string userName)
    {
        using var scope = app.SignedInScope(await app.PrincipalAsync(userName));
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        var evaluations = db.Evaluations.Where(e => e.FiscalYear == 2024).ToQueryString();
        var cases = db.WorkflowInstances.Where(i => i.PlanDeadline == null).ToQueryString();

        if (userName == "unit")
        {
            Assert.Contains("e.\"OrganisationId\" = @ef_filter__FilterOwn AND e.\"Status\" <> 'selected' AND e.\"Status\" <> 'dropped'", evaluations);
            Assert.Contains("w.\"OrganisationId\" = @ef_filter__FilterOwn AND (w.\"DefinitionId\" <> 'external-evaluation' OR w.\"State\" NOT IN ('selected', 'dropped'))", cases);
            Assert.DoesNotContain("EXISTS", evaluations + cases);
            Assert.DoesNotContain("JOIN", evaluations + cases);
        }
        else
        {
            // The bureau has no filter at all; the firm keeps its own (its assignment), without the unit's states.
            Assert.DoesNotContain("'selected'", evaluations + cases);
            Assert.Equal(userName == "finance", !(evaluations + cases).Contains("ef_filter", StringComparison.Ordinal));
        }
    }
}
