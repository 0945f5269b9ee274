using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.Workflows;

/// <summary>Drives self-evaluation cases through the JSON API, as a client would.</summary>
internal sealed class CaseApi(Func<string, Task<HttpClient>> login)
{
    private readonly Dictionary<string, HttpClient> _clients = [];

    public CaseApi(AppFixture app)
        : this(user => app.ApiAsync(user))
    {
    }

    public async Task<HttpClient> As(string user)
    {
        if (!_clients.TryGetValue(user, out var client))
        {
            client = await login(user);
            _clients[user] = client;
        }

        return client;
    }

    /// <summary>Creates a complete self-evaluation as <c>unit</c>; returns (self-evaluation id, case id).</summary>
    public async Task<(Guid Id, Guid CaseId)> CreateAsync(string user = "unit", bool complete = true, DateOnly? deadline = null, string title = "2025年度部门整体支出绩效自评")
    {
        var response = await (await As(user)).PostAsJsonAsync("/api/self-evaluations", new
        {
            title,
            fiscalYear = 2025,
            deadline = (deadline ?? new DateOnly(2026, 3, 31)).ToString("yyyy-MM-dd"),
            summary = complete ? "全年预算执行良好，绩效目标基本完成。" : null,
            totalBudget = complete ? 1412.74m : (decimal?)null,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (json.RootElement.GetProperty("id").GetGuid(), json.RootElement.GetProperty("caseId").GetGuid());
    }

    public async Task<JsonElement> CaseAsync(string user, Guid caseId)
    {
        var response = await (await As(user)).GetAsync($"/api/cases/{caseId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public async Task<int> VersionAsync(Guid caseId) => (await CaseAsync("finance", caseId)).GetProperty("version").GetInt32();

    public async Task<string> StateAsync(Guid caseId) => (await CaseAsync("finance", caseId)).GetProperty("state").GetString()!;

    public async Task<HttpResponseMessage> FireAsync(string user, Guid caseId, string action, string? comment = null, int? expectedVersion = null, string? key = null)
    {
        var version = expectedVersion ?? await VersionAsync(caseId);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/cases/{caseId}/actions/{action}")
        {
            Content = JsonContent.Create(new { comment, expectedVersion = version }),
        };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await (await As(user)).SendAsync(request);
    }

    public async Task FireOkAsync(string user, Guid caseId, string action, string? comment = null)
    {
        var response = await FireAsync(user, caseId, action, comment);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{user} {action}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A fresh case brought to the given state through legal actions.</summary>
    public async Task<Guid> CaseInStateAsync(string state)
    {
        var (_, caseId) = await CreateAsync();
        switch (state)
        {
            case "draft":
                break;
            case "unit_review":
                await FireOkAsync("unit", caseId, "submit");
                break;
            case "bureau_review":
                await FireOkAsync("unit", caseId, "submit");
                await FireOkAsync("unithead", caseId, "approve");
                break;
            case "returned":
                await FireOkAsync("unit", caseId, "submit");
                await FireOkAsync("unithead", caseId, "approve");
                await FireOkAsync("finance", caseId, "return", "请补充绩效目标完成情况。");
                break;
            case "accepted":
                await FireOkAsync("unit", caseId, "submit");
                await FireOkAsync("unithead", caseId, "approve");
                await FireOkAsync("finance", caseId, "accept");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(state), state, null);
        }

        Assert.Equal(state, await StateAsync(caseId));
        return caseId;
    }
}
