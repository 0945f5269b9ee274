using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Auth;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BudgetEval.Tests.Performance;

/// <summary>
/// For a user with one role, 待办's page and counts are read by compiled queries that write
/// <see cref="InboxQueries"/>' branches out by hand. They must agree with the general reads (taken for a user with
/// several roles), including the claims: an item of my role claimed by a colleague is not mine, one I claimed is,
/// and one assigned to me personally is mine whatever its role.
/// </summary>
public sealed class InboxFastPathTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("unit")]
    [InlineData("finance")]
    public async Task Given_claims_and_a_personal_item_When_a_one_role_user_reads_待办_Then_the_compiled_reads_agree_with_the_general_ones(string userName)
    {
        var principal = await app.PrincipalAsync(userName);
        var me = WorkflowActor.From(principal);
        var role = Assert.Single(me.Roles);
        var colleague = (await app.PrincipalAsync("admin")).UserId()!.Value;

        // My own items beside the demo's: more than a page of my role's queue, one of them claimed by a colleague and
        // one by me, and one of another role assigned to me personally; all due before the demo's, so on page 1.
        var now = app.Clock.GetUtcNow();
        var (claimedByColleague, claimedByMe, personal) = await app.DbAsync(async db =>
        {
            // A case the user may see: the unit's own, any for the bureau.
            var template = await db.WorkItems.AsNoTracking().OrderBy(w => w.CaseOrganisationId == me.OrganisationId ? 0 : 1).FirstAsync();
            WorkItem Copy(int n, string itemRole) => new()
            {
                Id = Guid.NewGuid(), InstanceId = template.InstanceId, State = template.State, StateLabel = template.StateLabel, Title = $"快速路径 {n}",
                AssigneeRole = itemRole, AssigneeOrganisationId = me.OrganisationId, CaseOrganisationId = template.CaseOrganisationId,
                Status = WorkItemStatus.Open, DueAt = now.AddDays(-100 + n), CreatedAt = now.AddDays(-200),
            };
            var queue = Enumerable.Range(0, 60).Select(n => Copy(n, role)).ToList();
            queue[0].ClaimedBy = colleague;
            queue[1].ClaimedBy = me.UserId;
            var other = Copy(2, role == Roles.UnitHead ? Roles.UnitFiller : Roles.UnitHead);
            other.AssigneeUserId = me.UserId;
            db.WorkItems.AddRange([.. queue, other]);
            await db.SaveChangesAsync();
            return (queue[0].Id, queue[1].Id, other.Id);
        });

        using var scope = app.SignedInScope(principal);
        var queries = scope.ServiceProvider.GetRequiredService<InboxQueries>();
        // A second role with no queue in my organisation sends the same reads down the general path.
        var general = me with { Roles = new HashSet<string>(me.Roles) { Roles.Evaluator } };

        var page = await queries.OpenPageAsync(me, InboxFilter.None, now, 1, default);
        Assert.Equal((await queries.OpenPageAsync(general, InboxFilter.None, now, 1, default)).Items, page.Items);
        Assert.DoesNotContain(claimedByColleague, page.Items);
        Assert.Contains(claimedByMe, page.Items);
        Assert.Contains(personal, page.Items);

        var second = await queries.OpenPageAsync(me, InboxFilter.None, now, 2, default);
        var secondGeneral = await queries.OpenPageAsync(general, InboxFilter.None, now, 2, default);
        Assert.Equal(secondGeneral.Items, second.Items);
        Assert.Equal(secondGeneral.HasNext, second.HasNext);

        var counts = await queries.CountByStateAsync(me, now, now.AddDays(3), default);
        var generalCounts = await queries.CountByStateAsync(general, now, now.AddDays(3), default);
        Assert.Equal(generalCounts.OrderBy(c => c.State), counts.OrderBy(c => c.State));
        Assert.True(counts.Sum(c => c.Count) >= page.Items.Count, "the counts cover the page");
    }
}
