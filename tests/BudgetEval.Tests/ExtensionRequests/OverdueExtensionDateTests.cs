using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.RectificationWalk;
using BudgetEval.Tests.Rectifications;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.ExtensionRequests;

/// <summary>
/// 申请延期 for a finding already overdue, some months on: a date after the deadline but not after today could never be
/// granted (同意延期 wants a date still ahead), so the API and the form refuse it at once, under <c>deadline</c>, saving nothing.
/// </summary>
public sealed class OverdueExtensionDateTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly DateOnly Deadline = new(2026, 5, 1);

    /// <summary>2026-06-15 09:00 in Beijing: six weeks past <see cref="Deadline"/>.</summary>
    private static readonly DateTimeOffset MidJune = new(2026, 6, 15, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Given_an_overdue_finding_When_the_API_saves_a_date_after_the_deadline_but_not_after_today_Then_it_is_refused_under_deadline_and_nothing_is_saved()
    {
        var (id, _) = await new RectificationApi(app).RegisterAsync("专项资金结余未及时上缴", Deadline);

        await app.Clock.LaterAsync(MidJune - app.Clock.GetUtcNow(), async () =>
        {
            var api = new RectificationApi(app); // signed in on the moved clock
            var unit = await api.Cases.As("unit");
            var stamp = await api.StampAsync("unit", id);
            var before = await DbFingerprint.TakeAsync(app.Database.ConnectionString);

            foreach (var date in new[] { "2026-06-10", "2026-06-15" }) // after the deadline; the second is today itself
            {
                var refused = await unit.PutAsJsonAsync($"/api/findings/{id}/requested-deadline", new { deadline = date, stamp });
                var text = await refused.Content.ReadAsStringAsync();
                Assert.True(refused.StatusCode == HttpStatusCode.UnprocessableEntity, $"{date}: {(int)refused.StatusCode} {text}");
                var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
                Assert.Equal(["deadline"], errors.EnumerateObject().Select(p => p.Name));
                Assert.Equal("「申请延至」须晚于今天（2026年6月15日）。", Assert.Single(errors.GetProperty("deadline").EnumerateArray()).GetString());
            }

            Assert.Equal(before, await DbFingerprint.TakeAsync(app.Database.ConnectionString));

            // Tomorrow is a date the bureau can still grant.
            await api.PutOkAsync("unit", $"/api/findings/{id}/requested-deadline", new { deadline = "2026-06-16", stamp });
            Assert.Equal(new DateOnly(2026, 6, 16), await RequestedAsync(id));
        });
    }

    [Fact]
    public async Task Given_an_overdue_finding_When_the_form_asks_for_a_date_not_after_today_Then_the_date_is_named_beside_the_field_and_nothing_is_saved()
    {
        var (id, caseId) = await new RectificationApi(app).RegisterAsync("政府采购合同未公开", Deadline);

        await app.Clock.LaterAsync(MidJune - app.Clock.GetUtcNow(), async () =>
        {
            var api = new RectificationApi(app);
            var unit = await app.SignInAsync("unit");
            var page = await unit.GetStringAsync($"/findings/{id}");
            var before = await DbFingerprint.TakeAsync(app.Database.ConnectionString);

            var refused = await RectificationPages.ExtensionAsync(unit, id, "2026-06-01", "合同公开平台升级。", page);

            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Contains("data-testid=\"requested-error\">「申请延至」须晚于今天（2026年6月15日）。</p>",
                WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
            Assert.Equal(before, await DbFingerprint.TakeAsync(app.Database.ConnectionString));
            Assert.Equal("planning", await api.Cases.StateAsync(caseId));

            Assert.Equal(HttpStatusCode.Redirect, (await RectificationPages.ExtensionAsync(unit, id, "2026-07-15", "合同公开平台升级。")).StatusCode);
            Assert.Equal("planning_extension", await api.Cases.StateAsync(caseId));
        });
    }

    private Task<DateOnly?> RequestedAsync(Guid id) => app.DbAsync(db => db.Findings.Where(f => f.Id == id).Select(f => f.RequestedDeadline).SingleAsync());
}
