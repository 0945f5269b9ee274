using System.Net.Http.Json;
using System.Text.Json;

namespace BudgetEval.Tests.Templates;

/// <summary>Bodies for /api/admin/templates and small readers of its answers, shared by the template tests.</summary>
internal static class TemplateApi
{
    public static object Rows(params (string Level1, string Level3, decimal Weight)[] rows) =>
        rows.Select(r => new { level1 = r.Level1, level2 = "二级", level3 = r.Level3, weight = r.Weight, points = "要点", standard = "标准" }).ToArray();

    public static object Groups(params string[] names) => names.Select(n => new { level1 = n }).ToArray();

    /// <summary>A valid 重点评价 template: four groups, one row each, 10 + 20 + 40 + 30 = 100.</summary>
    public static object Evaluation(string name, string lastGroup = "效益", string lastRow = "社会效益") => new
    {
        kind = "Evaluation",
        name,
        groups = Groups("决策", "过程", "产出", lastGroup),
        rows = Rows(("决策", "立项依据充分性", 10m), ("过程", "资金使用合规性", 20m), ("产出", "实际完成率", 40m), (lastGroup, lastRow, 30m)),
    };

    public static object SelfEvaluation(string name, params (string Level1, string[] Level2)[] groups) => new
    {
        kind = "SelfEvaluation",
        name,
        groups = groups.Select(g => new { level1 = g.Level1, level2 = g.Level2 }).ToArray(),
    };

    public static async Task<JsonElement> CreateAsync(HttpClient admin, object body)
    {
        var response = await admin.PostAsJsonAsync("/api/admin/templates", body);
        await SucceededAsync(response);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    public static async Task<JsonElement> PutAsync(HttpClient admin, int id, object body)
    {
        var response = await admin.PutAsJsonAsync($"/api/admin/templates/{id}", body);
        await SucceededAsync(response);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    public static async Task SucceededAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>All messages of a problem answer, joined: what a test looks for a message in.</summary>
    public static async Task<string> ProblemAsync(HttpResponseMessage response)
    {
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return root.TryGetProperty("errors", out var errors)
            ? string.Join("\n", errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray().Select(m => $"{e.Name}: {m.GetString()}")))
            : root.GetProperty("detail").GetString() ?? string.Empty;
    }
}
