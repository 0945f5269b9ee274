using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace BudgetEval.Tests.Security;

/// <summary>
/// With styles and scripts from our own origin only (no 'unsafe-inline'), no page that finance, a unit, the firm or the
/// administrator opens has a style, script or image that Chromium refuses: each refusal is a securitypolicyviolation
/// event, and a refused style is a page that looks broken (docs/decisions/0025-no-inline-styles.md).
/// </summary>
public sealed class ContentSecurityPolicyBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    // An init script runs in every document of the context before the page's own, so refusals while parsing count too.
    private const string Listener = """
        window.__csp = [];
        document.addEventListener('securitypolicyviolation',
          e => window.__csp.push(`${e.effectiveDirective} ${e.blockedURI} line ${e.lineNumber}: ${e.sample}`), true);
        """;

    // The events are queued as tasks while the page is parsed: a short wait lets the last of them arrive.
    private const string Collect = "() => new Promise(done => setTimeout(() => done(window.__csp), 150))";

    private sealed record Visit(string Url, int Status = 200, string? Screenshot = null);

    [Theory]
    [InlineData("finance")]
    [InlineData("unit")]
    [InlineData("evaluator")]
    [InlineData("admin")]
    public async Task Given_a_signed_in_user_When_the_pages_of_their_work_are_opened_Then_chromium_refuses_nothing(string userName)
    {
        var visits = await VisitsAsync(userName);
        var page = await browser.SignInAsync(userName);
        await page.Context.AddInitScriptAsync(Listener);
        var refused = new List<string>();
        foreach (var visit in visits)
        {
            var response = await page.GotoAsync(browser.BaseUrl + visit.Url);
            Assert.True(response?.Status == visit.Status, $"{visit.Url}: {response?.Status}");
            refused.AddRange((await page.EvaluateAsync<string[]>(Collect)).Select(v => $"{visit.Url}: {v}"));
            if (visit.Screenshot is { } name)
            {
                await BrowserFixture.ScreenshotAsync(page, $"csp-{userName}-{name}");
            }
        }

        Assert.True(refused.Count == 0, string.Join(Environment.NewLine, refused));
    }

    [Fact]
    public async Task Given_no_sign_in_When_the_login_page_is_opened_Then_chromium_refuses_nothing()
    {
        var page = await browser.NewPageAsync();
        await page.Context.AddInitScriptAsync(Listener);
        await page.GotoAsync(browser.BaseUrl + "/login");
        Assert.Empty(await page.EvaluateAsync<string[]>(Collect));
    }

    [Fact]
    public async Task Given_a_1000_px_window_When_a_key_evaluation_case_opens_Then_its_diagram_shrinks_no_further_than_four_fifths_without_an_inline_style_and_scrolls_in_its_card()
    {
        var caseId = await browser.DbAsync(db => db.WorkflowInstances.Where(i => i.DefinitionId == "external-evaluation").Select(i => i.Id).FirstAsync());
        var page = await browser.SignInAsync("finance");
        await page.SetViewportSizeAsync(1000, 768);
        await page.GotoAsync($"{browser.BaseUrl}/cases/{caseId}");

        // Eight states: 1,328 px drawn, a floor of 1,062 px, in a card of about 900 px (wider than a phone's 760 px layout).
        var m = await page.EvaluateAsync<double[]>("""
            (() => { const c = document.querySelector('.wf-diagram-card'), svg = c.querySelector('svg');
                     return [svg.getBoundingClientRect().width, svg.viewBox.baseVal.width, c.scrollWidth, c.clientWidth, document.documentElement.scrollWidth, innerWidth,
                             document.querySelectorAll('[style]').length]; })()
            """);
        Assert.Equal(Math.Round(m[1] * 0.8), m[0], 0.5);
        Assert.True(m[2] > m[3], $"the diagram needs {m[2]} px in a {m[3]} px card and does not scroll");
        Assert.True(m[4] <= m[5], $"the case page is {m[4]} px wide on a {m[5]} px screen");
        Assert.Equal(0, m[6]);
    }

    private async Task<IReadOnlyList<Visit>> VisitsAsync(string userName)
    {
        var (centre, formId, formCaseId, evaluationId, evaluationCaseId, findingId) = await browser.DbAsync(async db =>
        {
            var centre = await db.Organisations.Where(o => o.Name == DemoSeeder.SocialGovernanceCentre).Select(o => o.Id).SingleAsync();
            var form = await db.SelfEvaluations.Where(s => s.OrganisationId == centre && s.PlanId != null && s.Kind == BudgetEval.Web.Plans.EvaluationKind.DepartmentWide)
                .Select(s => new { s.Id, s.CaseId }).FirstAsync();
            var evaluation = await db.Evaluations.Where(e => e.OrganisationId == centre && e.FiscalYear == 2021).Select(e => new { e.Id, e.CaseId }).SingleAsync();
            var finding = await db.Findings.Where(f => f.OrganisationId == centre && f.FiscalYear == 2021).OrderBy(f => f.Number).Select(f => f.Id).FirstAsync();
            return (centre, form.Id, form.CaseId, evaluation.Id, evaluation.CaseId, finding);
        });
        var keyCase = await browser.DbAsync(db => db.WorkflowInstances.Where(i => i.DefinitionId == "external-evaluation").Select(i => i.Id).FirstAsync());
        // The demo's evaluation is finished and out of the firm's sight: the firm works on a commissioned one.
        var (commissioned, commissionedCase) = userName == "evaluator" ? await Evaluations.EvaluationApi.CommissionedAsync(browser, 2024) : default;
        return userName switch
        {
            "finance" =>
            [
                new("/"), new("/inbox"), new("/dashboards", Screenshot: "dashboard"), new($"/cases/{keyCase}", Screenshot: "key-evaluation-case"),
                new($"/cases/{evaluationCaseId}"), new($"/evaluations/{evaluationId}"), new($"/evaluations/{evaluationId}/print", Screenshot: "evaluation-print"),
                new($"/findings/{findingId}", Screenshot: "finding"), new("/findings"), new("/findings/rectification-report?fiscalYear=2021&unit=社会治理服务中心", Screenshot: "rectification-report-print"),
                new("/results"), new("/results/2021/print", Screenshot: "results-print"), new($"/self-evaluations/{formId}/print"), new($"/organisations/{centre}"),
                new("/oversight"), new("/plans"), new("/help", Screenshot: "help"), new("/account/password", Screenshot: "password"), new("/no-such-page", 404, "not-found"),
            ],
            "unit" =>
            [
                new("/inbox"), new("/dashboards/unit", Screenshot: "dashboard"), new($"/self-evaluations/{formId}/form", Screenshot: "self-evaluation-form"),
                new($"/self-evaluations/{formId}/print", Screenshot: "self-evaluation-print"), new($"/self-evaluations/{formId}/follow-up"), new($"/cases/{formCaseId}", Screenshot: "case"),
                new($"/findings/{findingId}"), new("/findings/rectification-report?fiscalYear=2021"), new("/notifications"), new("/no-such-page", 404),
            ],
            "evaluator" =>
            [
                new("/inbox"), new("/evaluations"), new($"/evaluations/{commissioned}", Screenshot: "evaluation"), new($"/evaluations/{commissioned}/fieldwork"),
                new($"/evaluations/{commissioned}/print"), new($"/cases/{commissionedCase}", Screenshot: "case"), new("/no-such-page", 404),
            ],
            "admin" =>
            [
                new("/admin/users"), new("/admin/users/new"), new("/admin/organisations"), new("/admin/templates"), new("/admin/finding-categories"), new("/admin/calendar"),
                new("/admin/audit"), new("/admin/jobs"), new("/admin/import"), new("/help"), new("/no-such-page", 404),
            ],
            _ => throw new ArgumentOutOfRangeException(nameof(userName)),
        };
    }
}
