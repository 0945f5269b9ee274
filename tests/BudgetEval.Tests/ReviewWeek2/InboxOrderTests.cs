using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.ReviewWeek2;

/// <summary>
/// 待办's order has one definition (<see cref="InboxQueries.InboxOrder"/>), and the step 审核下一份 takes from an item
/// (<see cref="InboxQueries.AfterInInboxOrder"/>) agrees with it on PostgreSQL, undated items (NULL due, last) included.
/// </summary>
public sealed class InboxOrderTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_open_items_with_and_without_a_due_date_When_each_is_stepped_from_Then_the_rest_follow_in_待办_order()
    {
        // Two items without a due date (as a task whose subject carries none), so NULL's place in the order is checked.
        await app.DbAsync(db => db.WorkItems.Where(w => w.Status == WorkItemStatus.Open).OrderBy(w => w.Id).Take(2)
            .ExecuteUpdateAsync(w => w.SetProperty(x => x.DueAt, (DateTimeOffset?)null)));

        await app.DbAsync(async db =>
        {
            var open = db.WorkItems.AsNoTracking().Where(w => w.Status == WorkItemStatus.Open);
            var ordered = await InboxQueries.InboxOrder(open).ToListAsync();
            Assert.True(ordered.Count > 3, "the demo has open items");
            Assert.Equal(2, ordered.TakeLast(2).Count(w => w.DueAt is null)); // undated last

            foreach (var from in ordered.Take(3).Concat(ordered.TakeLast(3)))
            {
                var after = await InboxQueries.InboxOrder(InboxQueries.AfterInInboxOrder(open, from)).Select(w => w.Id).ToListAsync();
                Assert.Equal(ordered.SkipWhile(w => w.Id != from.Id).Skip(1).Select(w => w.Id), after);
            }

            return 0;
        });
    }
}
