using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Evaluations;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Evaluations;

/// <summary>Drives an external evaluation of the centre through the API, step by step, as each party would.</summary>
internal sealed class EvaluationApi(AppFixture app)
{
    /// <summary>The bureau's selection of the centre's 部门整体 evaluation for a year, as sent (the answer unchecked).</summary>
    public static Task<HttpResponseMessage> SelectCentreAsync(HttpClient finance, Guid centre, int fiscalYear) =>
        finance.PostAsJsonAsync("/api/evaluations", new
        {
            fiscalYear,
            targets = new[] { new { organisationId = centre, kind = "DepartmentWide", reason = "预算规模大" } },
        });

    /// <remarks>A unit's year is evaluated once per kind (and project): tests that need several of one year name a project.</remarks>
    public async Task<Guid> SelectAndApproveAsync(int fiscalYear, string? project = null)
    {
        var finance = await app.ApiAsync("finance");
        var centre = await app.SocialGovernanceCentreAsync();
        var response = await finance.PostAsJsonAsync("/api/evaluations", new
        {
            fiscalYear,
            targets = new[] { new { organisationId = centre, kind = project is null ? "DepartmentWide" : "Project", projectName = project, reason = "预算规模大", budget = 902.42m } },
        });
        await Ok(response);
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement[0].GetProperty("id").GetGuid();
        await Ok(await EvaluationApi.ActAsync(await app.ApiAsync("financelead"), id, "approve"));
        return id;
    }

    public async Task<Guid> CommissionedAsync(int fiscalYear, string? project = null)
    {
        var id = await SelectAndApproveAsync(fiscalYear, project);
        var firm = await app.OrganisationIdAsync(DemoSeeder.XinCaiYuan);
        await Ok(await (await app.ApiAsync("finance")).PostAsJsonAsync($"/api/evaluations/{id}/commission", new
        {
            firmId = firm,
            reportDueDate = "2026-06-30",
            templateKey = EvaluationTemplates.DefaultKey,
        }));
        return id;
    }

    /// <summary>
    /// The centre's 部门整体 evaluation of a year selected, approved and commissioned to 新财苑 on a browser test's server
    /// (real clock: the report due in 60 days); answers the evaluation and its case.
    /// </summary>
    public static async Task<(Guid Id, Guid CaseId)> CommissionedAsync(BrowserFixture browser, int fiscalYear)
    {
        var centre = await browser.DbAsync(db => db.Organisations.Where(o => o.Name == DemoSeeder.SocialGovernanceCentre).Select(o => o.Id).SingleAsync());
        var firm = await browser.DbAsync(db => db.Organisations.Where(o => o.Name == DemoSeeder.XinCaiYuan).Select(o => o.Id).SingleAsync());
        var finance = await browser.ApiAsync("finance");
        var selected = await SelectCentreAsync(finance, centre, fiscalYear);
        await Ok(selected);
        var created = JsonDocument.Parse(await selected.Content.ReadAsStringAsync()).RootElement[0];
        var id = created.GetProperty("id").GetGuid();
        await Ok(await ActAsync(await browser.ApiAsync("financelead"), id, "approve"));
        await Ok(await finance.PostAsJsonAsync($"/api/evaluations/{id}/commission", new { firmId = firm, reportDueDate = DateTime.UtcNow.AddDays(60).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), templateKey = EvaluationTemplates.DefaultKey }));
        return (id, created.GetProperty("caseId").GetGuid());
    }

    /// <summary>Team, the sample table, the report and its nine problems; then the draft goes to the unit.</summary>
    public async Task<Guid> InCommentWindowAsync(int fiscalYear)
    {
        var id = await CommissionedAsync(fiscalYear);
        var evaluator = await app.ApiAsync("evaluator");
        await Ok(await evaluator.PostAsJsonAsync($"/api/evaluations/{id}/team", new { name = "江惠平", isLead = true, noConflict = true }));
        await Ok(await ImportAsync(evaluator, id, SampleExternalEvaluation.IndicatorsCsv()));
        await Ok(await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/report", new { expectedVersion = await VersionAsync(evaluator, id), sections = SampleExternalEvaluation.Sections }));
        await Ok(await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/problems", new { expectedVersion = await VersionAsync(evaluator, id), problems = SampleExternalEvaluation.Problems }));
        await Ok(await EvaluationApi.ActAsync(evaluator, id, "submitDraft"));
        return id;
    }

    public async Task<Guid> InFinalReportAsync(int fiscalYear)
    {
        var id = await InCommentWindowAsync(fiscalYear);
        var unit = await app.ApiAsync("unit");
        await Ok(await unit.PutAsJsonAsync($"/api/evaluations/{id}/comments", new { expectedVersion = await VersionAsync(unit, id), general = "基本同意。", problems = new[] { new { no = 8, comment = "部分超期工单系上级转办延迟。", disputed = true } } }));
        await Ok(await EvaluationApi.ActAsync(unit, id, "comment", "已反馈意见"));
        var evaluator = await app.ApiAsync("evaluator");
        await Ok(await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/answers", new { expectedVersion = await VersionAsync(evaluator, id), answers = new[] { new { no = 8, answer = "经核实，超期以系统记录为准，维持原意见。" } } }));
        await Ok(await evaluator.PutAsJsonAsync($"/api/evaluations/{id}/report", new { expectedVersion = await VersionAsync(evaluator, id), reportNumber = SampleExternalEvaluation.ReportNumber, reportDate = "2026-03-02" }));
        return id;
    }

    public async Task<Guid> CompletedAsync(int fiscalYear)
    {
        var id = await InFinalReportAsync(fiscalYear);
        await Ok(await EvaluationApi.ActAsync(await app.ApiAsync("evaluator"), id, "submitFinal"));
        await Ok(await EvaluationApi.ActAsync(await app.ApiAsync("finance"), id, "accept"));
        return id;
    }

    /// <summary>The evaluation's own <c>version</c> as <paramref name="client"/> reads it now: every save of its content sends it as expectedVersion.</summary>
    public static async Task<uint> VersionAsync(HttpClient client, Guid id) => (await JsonAsync(client, $"/api/evaluations/{id}")).GetProperty("version").GetUInt32();

    /// <summary>The evaluation's case version (<c>caseVersion</c>) as <paramref name="client"/> reads it now: every action sends it.</summary>
    public static async Task<int> CaseVersionAsync(HttpClient client, Guid id) => (await JsonAsync(client, $"/api/evaluations/{id}")).GetProperty("caseVersion").GetInt32();

    /// <summary>An action of the evaluation's case, with the case version <paramref name="client"/> reads first.</summary>
    public static async Task<HttpResponseMessage> ActAsync(HttpClient client, Guid id, string action, string? comment = null) =>
        await client.PostAsJsonAsync($"/api/evaluations/{id}/actions/{action}", new { comment, expectedVersion = await CaseVersionAsync(client, id) });

    /// <summary>A score file imported as a client does it: with the version <paramref name="client"/> reads first as expectedVersion.</summary>
    public static async Task<HttpResponseMessage> ImportAsync(HttpClient client, Guid id, byte[] csv, string name = "sample.csv") =>
        await ImportAsync(client, id, csv, name, (await VersionAsync(client, id)).ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A score file imported with the form field expectedVersion as given; null leaves it out.</summary>
    public static Task<HttpResponseMessage> ImportAsync(HttpClient client, Guid id, byte[] csv, string name, string? expectedVersion)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(csv);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", name);
        if (expectedVersion is not null)
        {
            form.Add(new StringContent(expectedVersion), "expectedVersion");
        }

        return client.PostAsync($"/api/evaluations/{id}/scores/import", form);
    }

    public static async Task<JsonElement> JsonAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        await Ok(response);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    public static async Task Ok(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
