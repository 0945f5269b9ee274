using System.Net;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Plans;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Plans;

/// <summary>The 评价计划 pages, driven as a browser without JavaScript would: GET the form, POST it back with its antiforgery token.</summary>
public sealed partial class PlanPageTests(AppFixture app) : IClassFixture<AppFixture>
{
    // Each test that publishes uses a year of its own: a unit's self-evaluation of a year is started by one plan only.
    private async Task<Dictionary<string, string>> PlanFormAsync(string notice, string fundsWeight = "10", int fiscalYear = 2025)
    {
        var (education, centre) = await app.DbAsync(async db => (
            await db.Organisations.Where(o => o.Name == DemoSeeder.EducationBureau).Select(o => o.Id).SingleAsync(),
            await db.Organisations.Where(o => o.Name == DemoSeeder.SocialGovernanceCentre).Select(o => o.Id).SingleAsync()));
        return new Dictionary<string, string>
        {
            ["Input.FiscalYear"] = fiscalYear.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Title"] = "2025年度绩效自评工作",
            ["Input.NoticeNumber"] = notice,
            ["Input.Deadline"] = "2026-04-30",
            ["Input.TemplateId"] = "national2020",
            ["Input.FundsWeight"] = fundsWeight,
            ["Input.FundsRule"] = "Bands",
            ["Input.Bands[0].MinRatePercent"] = "100",
            ["Input.Bands[0].Points"] = "10",
            ["Input.Bands[1].MinRatePercent"] = "95",
            ["Input.Bands[1].Points"] = "9.5",
            ["Input.Bands[2].MinRatePercent"] = "",
            ["Input.Bands[2].Points"] = "",
            ["Input.IndicatorTotal"] = "90",
            ["Input.Excellent"] = "90",
            ["Input.Good"] = "80",
            ["Input.Pass"] = "60",
            ["Input.Units"] = education.ToString(),
            ["Input.Projects[0].OrganisationId"] = centre.ToString(),
            ["Input.Projects[0].Name"] = "社会治理系统运行维护",
            ["Input.Projects[0].Budget"] = "282",
            ["Input.Projects[1].OrganisationId"] = "",
            ["Input.Projects[1].Name"] = "",
            ["Input.Projects[1].Budget"] = "",
        };
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string formUrl, string action, Dictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(formUrl);
        fields["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(page);
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    private async Task<Guid> CreateAsync(HttpClient finance, string notice, int fiscalYear = 2025)
    {
        var created = await PostAsync(finance, "/plans/new", "/plans/new", await PlanFormAsync(notice, fiscalYear: fiscalYear));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        return Guid.Parse(PlanUrl().Match(created.Headers.Location!.ToString()).Groups[1].Value);
    }

    [Fact]
    public async Task Given_finance_officer_When_creating_and_publishing_through_the_pages_Then_one_case_per_target_and_second_publish_refused()
    {
        var finance = await app.SignInAsync("finance");
        var id = await CreateAsync(finance, "望财绩〔2026〕11号");

        var plan = await app.DbAsync(db => db.Plans.Include(p => p.Targets).SingleAsync(p => p.Id == id));
        Assert.Equal(PlanStatus.Draft, plan.Status);
        Assert.Equal("national2020", plan.TemplateId);
        Assert.Equal(FundsRule.Bands, plan.Rules.FundsRule);
        Assert.Contains(new FundsBand(0.95m, 9.5m), plan.Rules.Bands);
        Assert.Equal(2, plan.Targets.Count);
        Assert.Contains(plan.Targets, t => t.Kind == EvaluationKind.Project && t.ProjectBudget == 282m);

        var published = await PostAsync(finance, $"/plans/{id}", $"/plans/{id}?handler=publish", []);
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        Assert.Equal(2, await app.DbAsync(db => db.SelfEvaluations.CountAsync(s => s.PlanId == id)));
        var list = await finance.GetStringAsync("/plans");
        Assert.Contains("望财绩〔2026〕11号", list);
        Assert.Contains("已发布", list);

        var again = await PostAsync(finance, $"/plans/{id}", $"/plans/{id}?handler=publish", []);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("不能重复发布", await again.Content.ReadAsStringAsync());
        Assert.Equal(2, await app.DbAsync(db => db.SelfEvaluations.CountAsync(s => s.PlanId == id)));
    }

    [Fact]
    public async Task Given_published_plan_When_amended_through_the_page_Then_deadline_moves_and_history_shows_it()
    {
        var finance = await app.SignInAsync("finance");
        var id = await CreateAsync(finance, "望财绩〔2026〕12号", fiscalYear: 2024);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(finance, $"/plans/{id}", $"/plans/{id}?handler=publish", [])).StatusCode);

        var amended = await PostAsync(finance, $"/plans/{id}", $"/plans/{id}?handler=amend", new()
        {
            ["Amend.Deadline"] = "2026-05-15",
            ["Amend.Reason"] = "部分单位申请延期",
        });

        Assert.Equal(HttpStatusCode.Redirect, amended.StatusCode);
        var page = await finance.GetStringAsync($"/plans/{id}");
        Assert.Contains("截止日期由2026年4月30日调整为2026年5月15日", page);
        Assert.Contains("部分单位申请延期", page);
        Assert.All(await app.DbAsync(db => db.SelfEvaluations.Where(s => s.PlanId == id).Select(s => s.Deadline).ToListAsync()),
            d => Assert.Equal(new DateOnly(2026, 5, 15), d));
    }

    [Fact]
    public async Task Given_bad_numbers_When_saving_the_plan_form_Then_fields_named_in_chinese_and_nothing_saved()
    {
        var finance = await app.SignInAsync("finance");
        var before = await app.DbAsync(db => db.Plans.CountAsync());
        var fields = await PlanFormAsync("望财绩〔2026〕13号", fundsWeight: "十");
        fields["Input.Bands[1].Points"] = "abc";
        fields["Input.Deadline"] = "";
        fields["Input.Title"] = "";

        var response = await PostAsync(finance, "/plans/new", "/plans/new", fields);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("资金分值：「十」不是数字。", html);
        Assert.Contains("分档第2行「得分」：「abc」不是数字。", html);
        Assert.Contains("截止日期：请填写截止日期。", html);
        Assert.Contains("计划名称：请填写计划名称（不超过 300 字）。", html); // in the same answer, not after the numbers are fixed
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "截止日期："));
        Assert.Equal(before, await app.DbAsync(db => db.Plans.CountAsync()));
    }

    [Fact]
    public async Task Given_many_problems_at_once_When_saving_the_plan_form_Then_one_answer_names_every_one_and_nothing_saved()
    {
        var finance = await app.SignInAsync("finance");
        var before = await app.DbAsync(db => db.Plans.CountAsync());
        var fields = await PlanFormAsync("望财绩〔2026〕15号");
        fields["Input.FiscalYear"] = "1999";
        fields["Input.Title"] = "";
        fields["Input.Bands[0].MinRatePercent"] = fields["Input.Bands[0].Points"] = "";
        fields["Input.Bands[1].MinRatePercent"] = fields["Input.Bands[1].Points"] = "";
        fields["Input.Excellent"] = "80";
        fields["Input.Good"] = "90";
        fields["Input.Projects[0].OrganisationId"] = "";
        fields["Input.Projects[0].Budget"] = "-5";

        var response = await PostAsync(finance, "/plans/new", "/plans/new", fields);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var errors = ErrorList().Matches(WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync())).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(
        [
            "项目支出第1行「单位」：请选择单位。",
            "项目支出第1行：项目预算不能为负数。",
            "评价年度：请填写有效的评价年度。",
            "计划名称：请填写计划名称（不超过 300 字）。",
            "计分规则：分档计分须至少填写一档。",
            "计分规则：等级分数线须满足 优 > 良 > 中 ≥ 0。",
        ], errors);
        Assert.Equal(before, await app.DbAsync(db => db.Plans.CountAsync()));
    }

    [Fact]
    public async Task Given_stale_version_When_saving_a_draft_Then_409_with_message_and_nothing_overwritten()
    {
        var finance = await app.SignInAsync("finance");
        var id = await CreateAsync(finance, "望财绩〔2026〕14号");
        var stale = await PlanFormAsync("望财绩〔2026〕14号");
        var page = await finance.GetStringAsync($"/plans/{id}");
        stale["Input.ExpectedVersion"] = VersionField().Match(page).Groups[1].Value;
        stale["Input.Title"] = "第一次修改";
        stale["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(page);
        Assert.Equal(HttpStatusCode.Redirect, (await finance.PostAsync($"/plans/{id}", new FormUrlEncodedContent(stale))).StatusCode);

        stale["Input.Title"] = "第二次修改（基于旧版本）";
        var second = await finance.PostAsync($"/plans/{id}", new FormUrlEncodedContent(stale));

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains(PlanService.ChangedByOthers, WebUtility.HtmlDecode(await second.Content.ReadAsStringAsync()));
        Assert.Equal("第一次修改", await app.DbAsync(db => db.Plans.Where(p => p.Id == id).Select(p => p.Title).SingleAsync()));
    }

    [Fact]
    public async Task Given_unit_user_When_opening_plans_new_Then_forbidden()
    {
        var unit = await app.SignInAsync("unit");

        var response = await unit.GetAsync("/plans/new");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode); // a refused read looks like a missing page
    }

    [Fact]
    public async Task Given_finance_lead_When_opening_plans_Then_list_readable_but_new_refused()
    {
        var lead = await app.SignInAsync("financelead");

        Assert.Equal(HttpStatusCode.OK, (await lead.GetAsync("/plans")).StatusCode);
        var response = await lead.GetAsync("/plans/new");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode); // a refused read looks like a missing page
    }

    [GeneratedRegex(@"<li>([^<]*)</li>")]
    private static partial Regex ErrorList();

    [GeneratedRegex(@"/plans/([0-9a-f-]{36})")]
    private static partial Regex PlanUrl();

    [GeneratedRegex("name=\"Input.ExpectedVersion\" value=\"(\\d+)\"")]
    private static partial Regex VersionField();
}
