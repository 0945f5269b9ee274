using System.Net;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.ApiSettings;

/// <summary>The page's rule that one 问题类别 stays active holds on the API. Its own app: it retires every other category.</summary>
public sealed class LastActiveCategoryApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_one_active_category_left_When_the_administrator_deactivates_it_through_the_api_or_two_retire_the_last_two_at_once_Then_422_and_one_stays_active()
    {
        using var admin = await app.ApiAsync("admin");
        var ids = await app.DbAsync(db => db.FindingCategories.Where(c => c.IsActive).OrderBy(c => c.SortOrder).Select(c => c.Id).ToListAsync());
        Assert.True(ids.Count > 1);
        foreach (var id in ids.Skip(1))
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/finding-categories/{id}/deactivate", null)).StatusCode);
        }

        var last = await admin.PostAsync($"/api/finding-categories/{ids[0]}/deactivate", null);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, last.StatusCode);
        var errors = JsonDocument.Parse(await last.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal("至少保留一个启用的问题类别。", errors.GetProperty("")[0].GetString());
        Assert.True(await app.DbAsync(db => db.FindingCategories.Where(c => c.Id == ids[0]).Select(c => c.IsActive).SingleAsync()));
        Assert.Equal(1, await app.DbAsync(db => db.FindingCategories.CountAsync(c => c.IsActive)));

        // Two administrators retire the last two at the same moment, again and again: one of them is always refused.
        using var second = await app.ApiAsync("admin");
        for (var round = 0; round < 8; round++)
        {
            var other = ids[1 + (round % (ids.Count - 1))];
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/finding-categories/{other}/activate", null)).StatusCode);

            var answers = await Task.WhenAll(admin.PostAsync($"/api/finding-categories/{ids[0]}/deactivate", null), second.PostAsync($"/api/finding-categories/{other}/deactivate", null));

            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.UnprocessableEntity], answers.Select(a => a.StatusCode).Order());
            Assert.Equal(1, await app.DbAsync(db => db.FindingCategories.CountAsync(c => c.IsActive)));
            if (!await app.DbAsync(db => db.FindingCategories.Where(c => c.Id == ids[0]).Select(c => c.IsActive).SingleAsync()))
            {
                Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/finding-categories/{ids[0]}/activate", null)).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/finding-categories/{other}/deactivate", null)).StatusCode);
            }
        }
    }
}
