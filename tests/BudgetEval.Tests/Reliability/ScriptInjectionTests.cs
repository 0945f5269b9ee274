using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Rectifications;
using Microsoft.Playwright;

namespace BudgetEval.Tests.Reliability;

/// <summary>HTML and script typed into every text field a unit or the bureau fills: stored as typed, shown as text.</summary>
internal static class ScriptPayloads
{
    public const string Script = "<script>window.__xss=1;alert('xss')</script>";
    public const string Image = "<img src=x onerror=\"window.__xss=1;alert('xss')\">";
    public const string Attribute = "\"><svg onload=alert('xss')>";

    public static string All(string label) => $"{label}{Script}{Image}{Attribute}";

    /// <summary>A self-evaluation and a finding of the centre whose every text field carries the payloads; returns the pages to look at.</summary>
    public static async Task<IReadOnlyList<string>> SeedAsync(Func<string, Task<HttpClient>> api, Guid centre)
    {
        var unit = await api("unit");
        var created = await unit.PostAsJsonAsync("/api/self-evaluations", new { title = All("标题"), fiscalYear = 2025, deadline = "2026-12-31", summary = All("概述"), totalBudget = 10m });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var json = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var id = json.RootElement.GetProperty("id").GetGuid();
        var caseId = json.RootElement.GetProperty("caseId").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await unit.PutAsJsonAsync($"/api/self-evaluations/{id}/text", new
        {
            goalsPlanned = All("年度目标"),
            goalsAchieved = All("完成情况"),
            report = new Dictionary<string, string> { ["basics"] = All("基本情况"), ["problems"] = All("问题") },
            expectedVersion = await SelfEvaluations.SelfEvaluationApiTests.VersionAsync(unit, id),
        })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await unit.PutAsJsonAsync($"/api/self-evaluations/{id}/indicators", new
        {
            indicators = new[] { new { level1 = All("一级"), level2 = All("二级"), level3 = All("三级"), content = All("内容"), target = All("目标"), actual = All("完成"), weight = 5m, score = 5m, reason = All("原因"), measure = All("措施") } },
            expectedVersion = await SelfEvaluations.SelfEvaluationApiTests.VersionAsync(unit, id),
        })).StatusCode);

        var finance = await api("finance");
        var finding = await finance.PostAsJsonAsync("/api/findings", new
        {
            organisationId = centre, fiscalYear = 2025, category = "财务管理", title = All("问题标题"), detail = All("问题描述"),
            source = "Audit", sourceDocument = All("文号"), deadline = "2026-06-30",
        });
        Assert.True(finding.IsSuccessStatusCode, await finding.Content.ReadAsStringAsync());
        var findingId = JsonDocument.Parse(await finding.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        return [$"/self-evaluations/{id}/form", $"/self-evaluations/{id}/print", $"/cases/{caseId}", "/inbox", "/self-evaluations", $"/findings/{findingId}", "/findings"];
    }
}

[Trait("Category", "Corpus")]
public sealed class ScriptInjectionTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_html_and_script_in_every_text_field_When_pages_are_rendered_Then_it_is_escaped_everywhere()
    {
        var pages = await ScriptPayloads.SeedAsync(user => app.ApiAsync(user), await app.SocialGovernanceCentreAsync());
        var unit = await app.SignInAsync("unit");
        foreach (var url in pages)
        {
            var response = await unit.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
            var html = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("<script>window.__xss", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<img src=x onerror", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<svg onload", html, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;window.__xss", html, StringComparison.Ordinal);
        }
    }
}

[Trait("Category", "Corpus")]
public sealed class ScriptInjectionBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Given_html_and_script_in_every_text_field_When_chromium_opens_the_pages_Then_no_script_runs()
    {
        var centre = await browser.DbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Organisations.Where(o => o.Name == BudgetEval.Web.Demo.DemoSeeder.SocialGovernanceCentre).Select(o => o.Id)));
        var pages = await ScriptPayloads.SeedAsync(browser.ApiAsync, centre);
        var page = await browser.SignInAsync("unit");
        var dialogs = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            await dialog.DismissAsync();
        };
        foreach (var url in pages)
        {
            await page.GotoAsync(browser.BaseUrl + url);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            Assert.True(await page.EvaluateAsync<bool>("() => window.__xss === undefined"), $"script ran on {url}");
            Assert.Contains("<script>window.__xss", await page.Locator("body").InnerTextAsync(), StringComparison.Ordinal);
        }

        Assert.Empty(dialogs);
        await BrowserFixture.ScreenshotAsync(page, "script-injection-findings");
    }
}
