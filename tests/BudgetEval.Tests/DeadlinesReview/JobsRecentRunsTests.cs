using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Infrastructure.Jobs;

namespace BudgetEval.Tests.DeadlinesReview;

/// <summary>
/// 后台任务's 最近执行记录 answers "did this morning's reminders go out?": the idle runs of mail delivery (every 15 s) and
/// of the sweep (every minute) no longer push the runs that did something off the list within minutes.
/// </summary>
public sealed class JobsRecentRunsTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_sweep_that_sent_reminders_and_many_idle_runs_after_it_When_the_officer_opens_the_jobs_page_Then_the_sweep_is_listed_and_the_idle_runs_are_not()
    {
        var at = app.Clock.GetUtcNow().AddHours(1); // newer than anything the running jobs wrote
        await app.DbAsync(async db =>
        {
            db.JobRuns.Add(new JobRun { Job = "reminder-sweep", Node = "test-node", StartedAt = at, FinishedAt = at, Succeeded = true, Detail = "待办 3 项，提醒 7 条" });
            for (var i = 1; i <= 30; i++)
            {
                var later = at.AddSeconds(15 * i);
                db.JobRuns.Add(new JobRun { Job = "outbox-delivery", Node = "test-node", StartedAt = later, FinishedAt = later, Succeeded = true, Detail = "已发送 0，待重试 0，失败 0" });
                if (i % 4 == 0)
                {
                    db.JobRuns.Add(new JobRun { Job = "reminder-sweep", Node = "test-node", StartedAt = later, FinishedAt = later, Succeeded = true, Detail = "待办 0 项，提醒 0 条" });
                }
            }

            db.JobRuns.Add(new JobRun { Job = "outbox-delivery", Node = "test-node", StartedAt = at.AddMinutes(20), FinishedAt = at.AddMinutes(20), Succeeded = false, Detail = "SMTP 连接失败" });
            return await db.SaveChangesAsync();
        });

        var page = await (await app.SignInAsync("finance")).GetStringAsync("/admin/jobs");
        var recent = page[page.IndexOf("data-testid=\"recent-runs\"", StringComparison.Ordinal)..];

        Assert.Contains("成功：待办 3 项，提醒 7 条", recent, StringComparison.Ordinal);
        Assert.Contains("失败：SMTP 连接失败", recent, StringComparison.Ordinal); // a failed run is never idle
        Assert.DoesNotContain("已发送 0，待重试 0，失败 0", recent, StringComparison.Ordinal);
        Assert.DoesNotContain("待办 0 项，提醒 0 条", recent, StringComparison.Ordinal);
    }
}
