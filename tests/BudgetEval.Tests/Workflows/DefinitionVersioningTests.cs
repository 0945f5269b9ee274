using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace BudgetEval.Tests.Workflows;

public sealed class DefinitionVersioningTests(AppFixture app) : IClassFixture<AppFixture>, IDisposable
{
    private readonly string _v2Dir = Directory.CreateTempSubdirectory("be-wf-v2-").FullName;

    public void Dispose() => Directory.Delete(_v2Dir, recursive: true);

    [Fact]
    public async Task Given_a_case_on_v1_When_v2_is_added_Then_it_finishes_on_v1_while_new_cases_start_on_v2()
    {
        var v1 = new CaseApi(app);
        var oldCase = await v1.CaseInStateAsync("bureau_review");

        // Version 2 adds a lead approval after the bureau's acceptance.
        var v2Text = WorkflowFiles.ShippedText()
            .Replace("version: 1", "version: 2", StringComparison.Ordinal)
            .Replace("        target: accepted\n", "        target: lead_approval\n", StringComparison.Ordinal)
            .Replace("  accepted:\n", """
                  lead_approval:
                    label: 领导审批
                    kind: task
                    actor: { role: FinanceLead, scope: bureau }
                    due: { workingDaysAfterEntry: 3 }
                    actions:
                      approve:
                        label: 批准
                        target: accepted
                        roles: [FinanceLead]

                  accepted:

                """.Replace("\r", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(_v2Dir, "self-evaluation-review.v2.yaml"), v2Text);

        // A second node on the same database, with both versions loaded ("after a deployment").
        await using var upgraded = new AppFactory(app.Database.ConnectionString, new Dictionary<string, string?>
        {
            ["Workflows:Directories:0"] = WorkflowFiles.ShippedDirectory,
            ["Workflows:Directories:1"] = _v2Dir,
        }, app.Clock);
        var v2 = new CaseApi(async user =>
        {
            var client = upgraded.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            var login = await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = AppFixture.DemoPassword });
            login.EnsureSuccessStatusCode();
            var token = JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return client;
        });

        await v2.FireOkAsync("finance", oldCase, "accept");
        var old = await v2.CaseAsync("finance", oldCase);
        Assert.Equal(("accepted", 1), (old.GetProperty("state").GetString(), old.GetProperty("definitionVersion").GetInt32()));

        var (_, newCase) = await v2.CreateAsync();
        Assert.Equal(2, (await v2.CaseAsync("finance", newCase)).GetProperty("definitionVersion").GetInt32());
        await v2.FireOkAsync("unit", newCase, "submit");
        await v2.FireOkAsync("unithead", newCase, "approve");
        await v2.FireOkAsync("finance", newCase, "accept");
        Assert.Equal("lead_approval", await v2.StateAsync(newCase));
        await v2.FireOkAsync("financelead", newCase, "approve");
        Assert.Equal("accepted", await v2.StateAsync(newCase));
    }
}
