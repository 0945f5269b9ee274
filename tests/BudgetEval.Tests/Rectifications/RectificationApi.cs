using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Workflows;

namespace BudgetEval.Tests.Rectifications;

/// <summary>Registers findings and drives their rectification cases through the JSON API, as a client would.</summary>
internal sealed class RectificationApi(AppFixture app)
{
    public CaseApi Cases { get; } = new(app);

    /// <summary>An 审计 finding of the centre, registered by <c>finance</c>; returns (finding id, case id).</summary>
    public Task<(Guid Id, Guid CaseId)> RegisterAsync(string title, DateOnly deadline) =>
        RegisterAsync(2025, "财务管理", title, "区审计局审计发现。", "Audit", "望审〔2026〕3号", deadline);

    /// <summary>A 巡察 finding of the centre for <paramref name="fiscalYear"/>, registered by <c>finance</c>.</summary>
    public Task<(Guid Id, Guid CaseId)> RegisterInspectionAsync(int fiscalYear, string title, DateOnly deadline) =>
        RegisterAsync(fiscalYear, "资产管理", title, "区委巡察组反馈。", "Inspection", "望巡〔2026〕2号", deadline);

    /// <summary>A finding of the centre registered by hand by <c>finance</c>; <paramref name="source"/> is Audit, Inspection or SelfEvaluation.</summary>
    public async Task<(Guid Id, Guid CaseId)> RegisterAsync(int fiscalYear, string category, string title, string detail, string source, string sourceDocument, DateOnly deadline)
    {
        var response = await (await Cases.As("finance")).PostAsJsonAsync("/api/findings", new
        {
            organisationId = await app.SocialGovernanceCentreAsync(),
            fiscalYear,
            category,
            title,
            detail,
            source,
            sourceDocument,
            deadline = deadline.ToString("yyyy-MM-dd"),
        });
        await EvaluationApi.Ok(response);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var id = json.RootElement.GetProperty("id").GetGuid();
        return (id, (await FindingAsync("finance", id)).GetProperty("case").GetProperty("id").GetGuid());
    }

    public async Task<JsonElement> FindingAsync(string user, Guid id) => await EvaluationApi.JsonAsync(await Cases.As(user), $"/api/findings/{id}");

    /// <summary>By finding id, each row's stamp of a GET …/follow-up list: a save of the statements sends them.</summary>
    public static Dictionary<string, string?> FollowUpStamps(JsonElement items) =>
        items.EnumerateArray().ToDictionary(i => i.GetProperty("findingId").GetGuid().ToString(), i => i.GetProperty("stamp").GetString());

    /// <summary>The follow-up list's stamps as <paramref name="client"/> reads them now.</summary>
    public static async Task<Dictionary<string, string?>> FollowUpStampsAsync(HttpClient client, Guid selfEvaluationId) =>
        FollowUpStamps(await EvaluationApi.JsonAsync(client, $"/api/self-evaluations/{selfEvaluationId}/follow-up"));

    /// <summary>The finding's stamp as <paramref name="user"/> reads it now: every save of a finding sends it.</summary>
    public async Task<string> StampAsync(string user, Guid id) => (await FindingAsync(user, id)).GetProperty("stamp").GetString()!;

    public async Task PutOkAsync(string user, string url, object body)
    {
        var response = await (await Cases.As(user)).PutAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!url.StartsWith("/api/findings/", StringComparison.Ordinal))
        {
            Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"{user} PUT {url}: {(int)response.StatusCode} {text}");
            return;
        }

        // A finding's save answers its new stamp (what GET /api/findings/{id} now says), for the next save.
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{user} PUT {url}: {(int)response.StatusCode} {text}");
        Assert.Matches("^[0-9a-f]{16}$", JsonDocument.Parse(text).RootElement.GetProperty("stamp").GetString());
    }

    public async Task<HttpResponseMessage> UploadAsync(string user, Guid id, string fileName, byte[] content)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", fileName);
        return await (await Cases.As(user)).PostAsync($"/api/findings/{id}/evidence", form);
    }

    /// <summary>An upload that must be stored: the new file's id.</summary>
    public async Task<Guid> UploadOkAsync(string user, Guid id, string fileName, byte[] content)
    {
        var response = await UploadAsync(user, id, fileName, content);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{user} upload {fileName}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("id").GetGuid();
    }

    public async Task<HttpResponseMessage> DeleteEvidenceAsync(string user, Guid id, Guid evidenceId) =>
        await (await Cases.As(user)).DeleteAsync($"/api/findings/{id}/evidence/{evidenceId}");

    /// <summary>The unit plans and reports a result with one evidence file: the case waits for the bureau's verification.</summary>
    public async Task PlanAndReportAsync(Guid id, Guid caseId, string plannedDate = "2026-04-15")
    {
        await PlanAsync(id, caseId, plannedDate);
        await ReportAsync(id, caseId, "整改报告.pdf");
    }

    /// <summary>The unit saves and reports its plan: the case is in 整改落实.</summary>
    /// <remarks>The planned date may not be in the past: tests on a later clock give one of their own.</remarks>
    public async Task PlanAsync(Guid id, Guid caseId, string plannedDate = "2026-04-15")
    {
        await PutOkAsync("unit", $"/api/findings/{id}/plan", new { measures = "完善制度，补记账务。", responsible = "张会计", plannedDate, stamp = await StampAsync("unit", id) });
        await Cases.FireOkAsync("unit", caseId, "submitPlan");
    }

    public async Task ReportAsync(Guid id, Guid caseId, string fileName)
    {
        await PutOkAsync("unit", $"/api/findings/{id}/result", new { result = "已补记账务并完善制度。", stamp = await StampAsync("unit", id) });
        // Each report carries a new file: an identical re-upload is answered with the stored version instead.
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync("unit", id, fileName, Pdf($"{fileName} {Guid.NewGuid():N}"))).StatusCode);
        await Cases.FireOkAsync("unit", caseId, "submitResult");
    }

    public static byte[] Pdf(string text) => System.Text.Encoding.UTF8.GetBytes($"%PDF-1.4\n% {text}\n%%EOF\n");

    public static DateOnly Date(JsonElement e) => DateOnly.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
}
