using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Workflows;

namespace BudgetEval.Tests.Notifications;

public sealed class NotificationApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_a_submitted_case_When_the_unit_head_reads_notifications_over_the_api_Then_they_count_down_and_nobody_else_can_touch_them()
    {
        using var head = await app.ApiAsync("unithead");
        await head.PostAsync("/api/notifications/read-all", null);

        var api = new CaseApi(app);
        var (_, caseId) = await api.CreateAsync();
        await api.FireOkAsync("unit", caseId, "submit");

        using var list = JsonDocument.Parse(await head.GetStringAsync("/api/notifications?unread=true"));
        Assert.Equal(1, list.RootElement.GetProperty("unread").GetInt32());
        var item = list.RootElement.GetProperty("items")[0];
        Assert.Equal($"/cases/{caseId}", item.GetProperty("link").GetString());
        var id = item.GetProperty("id").GetGuid();

        using (var other = await app.ApiAsync("unit2"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsync($"/api/notifications/{id}/read", null)).StatusCode);
            using var theirs = JsonDocument.Parse(await other.GetStringAsync("/api/notifications"));
            Assert.DoesNotContain(theirs.RootElement.GetProperty("items").EnumerateArray(), n => n.GetProperty("id").GetGuid() == id);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await head.PostAsync($"/api/notifications/{id}/read", null)).StatusCode);
        using var after = JsonDocument.Parse(await head.GetStringAsync("/api/notifications"));
        Assert.Equal(0, after.RootElement.GetProperty("unread").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, after.RootElement.GetProperty("items").EnumerateArray().Single(n => n.GetProperty("id").GetGuid() == id).GetProperty("readAt").ValueKind);
    }

    [Fact]
    public async Task Given_no_token_When_reading_notifications_Then_401()
    {
        using var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/notifications")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/notifications/read-all", new { })).StatusCode);
    }
}
