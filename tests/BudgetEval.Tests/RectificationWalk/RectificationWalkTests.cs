using System.Net;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Rectifications;

namespace BudgetEval.Tests.RectificationWalk;

/// <summary>
/// One demo finding walked through its rectification on the pages, by the people who do it: the unit (单位填报人) plans and
/// reports, the bureau (绩效管理员) returns, partly accepts and finally accepts it as 无法整改; at each step the test reads
/// what each of them is shown.
/// </summary>
public sealed class RectificationWalkTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly RectificationPages _pages = new(app);

    [Fact]
    public async Task Given_an_open_demo_finding_When_walked_from_notice_to_unrectifiable_Then_each_party_reads_the_reason_the_deadline_and_the_evidence_where_they_act()
    {
        var unit = await app.SignInAsync("unit");
        var finance = await app.SignInAsync("finance");
        var id = await RectificationPages.DemoFindingAsync(unit, "2021-第三方评价-001");
        var caseId = await _pages.CaseOfAsync(id);

        // The unit finds the 整改通知 (bell) and the task (待办), each with the deadline.
        var notices = RectificationPages.Text(await unit.GetStringAsync("/notifications"));
        Assert.Contains("整改通知：2021-第三方评价-001 政府采购执行率偏低", notices, StringComparison.Ordinal);
        Assert.Contains("请于2026年5月6日前制定整改方案并报送整改情况", notices, StringComparison.Ordinal);
        Assert.Contains("整改：2021-第三方评价-001 政府采购执行率偏低", await unit.GetStringAsync("/inbox"), StringComparison.Ordinal);

        // A plan dated in the past is refused naming the field, and nothing typed is lost.
        var refused = await RectificationPages.PlanAsync(unit, id, "一、建立政府采购台账。\n二、按月跟踪执行。", "王主任", "2026-03-01");
        var refusedPage = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("「计划完成日期」不能早于今天。", refusedPage, StringComparison.Ordinal);
        Assert.Contains("二、按月跟踪执行。</textarea>", refusedPage, StringComparison.Ordinal);
        Assert.Contains("value=\"王主任\"", refusedPage, StringComparison.Ordinal);
        Assert.Contains("value=\"2026-03-01\"", refusedPage, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await RectificationPages.PlanAsync(unit, id, "一、建立政府采购台账。\n二、按月跟踪执行。", "王主任", "2026-04-30")).StatusCode);
        await _pages.FireAsync(unit, caseId, "submitPlan", "");
        Assert.Equal(HttpStatusCode.Redirect, (await RectificationPages.ResultAsync(unit, id, "已建立台账，采购执行率提高至85%。")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _pages.Api.UploadAsync("unit", id, "采购台账.pdf", RectificationApi.Pdf("采购台账"))).StatusCode);
        await _pages.FireAsync(unit, caseId, "submitResult", "请核验。");

        // The officer decides on the case page: the plan, the result and the evidence are read there, the file opens.
        var deciding = await finance.GetStringAsync($"/cases/{caseId}");
        var summary = RectificationPages.Text(deciding[deciding.IndexOf("data-testid=\"case-rectification\"", StringComparison.Ordinal)..]);
        Assert.Contains("整改期限： 2026年5月6日", summary, StringComparison.Ordinal);
        Assert.Contains("整改措施： 一、建立政府采购台账。 二、按月跟踪执行。", summary, StringComparison.Ordinal);
        Assert.Contains("责任人：王主任 · 计划完成：2026年4月30日", summary, StringComparison.Ordinal);
        Assert.Contains("整改结果： 已建立台账，采购执行率提高至85%。", summary, StringComparison.Ordinal);
        var link = System.Text.RegularExpressions.Regex.Match(deciding, "<a href=\"(/findings/[^\"]+handler=evidence[^\"]+)\">采购台账.pdf</a>").Groups[1].Value;
        Assert.Equal(RectificationApi.Pdf("采购台账"), await finance.GetByteArrayAsync(WebUtility.HtmlDecode(link)));

        // 未通过: the unit reads why and by when, on the finding page, in 待办 and in the notice.
        await _pages.FireAsync(finance, caseId, "return", "佐证材料不全，缺少采购合同。");
        var returned = RectificationPages.Text(await unit.GetStringAsync($"/findings/{id}"));
        Assert.Contains("整改期限：2026年5月6日", returned, StringComparison.Ordinal);
        Assert.Contains("财政核验： 未通过：佐证材料不全，缺少采购合同。", returned, StringComparison.Ordinal);
        Assert.Contains("佐证材料不全，缺少采购合同。", await unit.GetStringAsync("/inbox"), StringComparison.Ordinal);
        Assert.Contains("请根据意见修改后重新提交，办理期限：2026年5月6日。（佐证材料不全，缺少采购合同。）",
            RectificationPages.Text(await unit.GetStringAsync("/notifications")), StringComparison.Ordinal);
        Assert.Contains("已建立台账，采购执行率提高至85%。</textarea>", await unit.GetStringAsync($"/findings/{id}"), StringComparison.Ordinal); // the result stays to be completed

        // Reported again; 部分整改 with a new deadline typed on the case page: the deadline, what remains and the counts follow.
        Assert.Equal(HttpStatusCode.Created, (await _pages.Api.UploadAsync("unit", id, "采购合同.pdf", RectificationApi.Pdf("采购合同"))).StatusCode);
        await _pages.FireAsync(unit, caseId, "submitResult", "");
        Assert.Contains("采购合同.pdf", await finance.GetStringAsync($"/cases/{caseId}"), StringComparison.Ordinal);
        await _pages.FireAsync(finance, caseId, "partial", "尚有两项采购制度未出台。",
            new("nextDeadline", "2026-06-30"), new("stamp", await RectificationPages.StampAsync(finance, $"/cases/{caseId}")));
        var partly = RectificationPages.Text(await unit.GetStringAsync($"/findings/{id}"));
        Assert.Contains("整改期限：2026年6月30日", partly, StringComparison.Ordinal);
        Assert.Contains("状态： 部分整改", partly, StringComparison.Ordinal);
        Assert.Contains("尚未整改： 尚有两项采购制度未出台。", partly, StringComparison.Ordinal);
        Assert.Contains("请于2026年6月30日前完成剩余整改并重新报送整改结果。", RectificationPages.Text(await unit.GetStringAsync("/notifications")), StringComparison.Ordinal);
        var home = await unit.GetStringAsync("/");
        Assert.Matches("data-count=\"own-findings-partial\">\\s*<div class=\"value\">1</div>", home);
        Assert.Contains("2026年6月30日", RectificationPages.Text(await unit.GetStringAsync("/findings?FiscalYear=2021&Status=Partial")), StringComparison.Ordinal);

        // 无法整改 with the bureau's justification: closed, and the unit reads why.
        await _pages.FireAsync(unit, caseId, "submitResult", "");
        await _pages.FireAsync(finance, caseId, "cannotRectify", "涉及上级政策调整，列入下年度跟踪。");
        var closed = RectificationPages.Text(await unit.GetStringAsync($"/findings/{id}"));
        Assert.Contains("状态： 无法整改", closed, StringComparison.Ordinal);
        Assert.Contains("财政核验： 无法整改：涉及上级政策调整，列入下年度跟踪。", closed, StringComparison.Ordinal);
        Assert.Contains("查看整改事项及流转记录", closed, StringComparison.Ordinal);
        Assert.Equal("unrectifiable", await _pages.Api.Cases.StateAsync(caseId));
    }

    [Fact]
    public async Task Given_an_open_demo_finding_When_the_unit_asks_for_an_extension_twice_Then_the_officer_sees_the_date_and_plan_and_refuses_then_grants()
    {
        var unit = await app.SignInAsync("unit");
        var finance = await app.SignInAsync("finance");
        var id = await RectificationPages.DemoFindingAsync(unit, "2021-第三方评价-007");
        var caseId = await _pages.CaseOfAsync(id);

        // 申请延期 on the case page without a date: refused, pointing to the finding page's form, the reason kept in its box.
        await _pages.FireAsync(unit, caseId, "requestExtension", "工程需跨年度实施。");
        var noDate = await unit.GetStringAsync($"/cases/{caseId}");
        Assert.Contains("请在问题页面的「申请延期」中填写「申请延至」（须晚于现整改期限 2026年5月6日）和「申请理由」，一并提交。", noDate, StringComparison.Ordinal);
        Assert.Contains("工程需跨年度实施。</textarea>", noDate, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await RectificationPages.ExtensionAsync(unit, id, "2026-09-30", "工程需跨年度实施。")).StatusCode);
        var asked = RectificationPages.Text(await finance.GetStringAsync($"/cases/{caseId}"));
        Assert.Contains("申请延期至： 2026年9月30日 （现整改期限：2026年5月6日）", asked, StringComparison.Ordinal);
        Assert.Contains("整改措施： （尚未填写）", asked, StringComparison.Ordinal);
        Assert.Contains("工程需跨年度实施。", asked, StringComparison.Ordinal);

        await _pages.FireAsync(finance, caseId, "refuseExtension", "期限充足，请按期完成。");
        Assert.Contains("不同意「2021-第三方评价-007 个别项目建设未完成」的延期申请，整改期限仍为2026年5月6日，请按期制定整改方案。（期限充足，请按期完成。）",
            RectificationPages.Text(await unit.GetStringAsync("/notifications")), StringComparison.Ordinal);
        Assert.Contains("整改期限：2026年5月6日", RectificationPages.Text(await unit.GetStringAsync($"/findings/{id}")), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await RectificationPages.ExtensionAsync(unit, id, "2026-08-31", "已取得施工单位进度计划。")).StatusCode);
        await _pages.FireAsync(finance, caseId, "grantExtension", "");
        var granted = RectificationPages.Text(await unit.GetStringAsync($"/findings/{id}"));
        Assert.Contains("整改期限：2026年8月31日", granted, StringComparison.Ordinal);
        Assert.Contains("已延期 1 次。", granted, StringComparison.Ordinal);
        Assert.Contains("整改期限延至2026年8月31日", RectificationPages.Text(await unit.GetStringAsync("/notifications")), StringComparison.Ordinal);
        Assert.Equal("planning", await _pages.Api.Cases.StateAsync(caseId));
    }

    [Fact]
    public async Task Given_a_plan_finishing_after_the_deadline_When_saved_Then_the_unit_and_the_officer_are_told_it_will_be_late_until_the_plan_fits()
    {
        var unit = await app.SignInAsync("unit");
        var id = await RectificationPages.DemoFindingAsync(unit, "2021-第三方评价-004");
        var caseId = await _pages.CaseOfAsync(id);
        const string Late = "计划完成日期（2026年12月31日）晚于整改期限（2026年5月6日），按此计划将逾期；请调整计划或在期限前申请延期。";

        // Saved (the unit may mean to ask for an extension), but said where the unit and the bureau read the plan.
        Assert.Equal(HttpStatusCode.Redirect, (await RectificationPages.PlanAsync(unit, id, "盘点并核销对讲机。", "李会计", "2026-12-31")).StatusCode);
        Assert.Contains(Late, await unit.GetStringAsync($"/findings/{id}"), StringComparison.Ordinal);
        Assert.Contains(Late, await (await app.SignInAsync("finance")).GetStringAsync($"/cases/{caseId}"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await RectificationPages.PlanAsync(unit, id, "盘点并核销对讲机。", "李会计", "2026-05-06")).StatusCode);
        Assert.DoesNotContain("plan-after-deadline", await unit.GetStringAsync($"/findings/{id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_open_finding_past_its_deadline_When_its_list_page_and_case_are_read_Then_each_marks_it_overdue_until_it_is_rectified()
    {
        var (id, caseId) = await _pages.Api.RegisterAsync("公务用车使用登记不全", new DateOnly(2026, 5, 1));

        // 2026-05-02 in Beijing: a day past the deadline.
        await app.Clock.LaterAsync(TimeSpan.FromDays(61), async () =>
        {
            var unit = await app.SignInAsync("unit");
            var list = await unit.GetStringAsync("/findings?FiscalYear=2025");
            Assert.Matches("公务用车使用登记不全</a>(?:(?!</tr>)[\\s\\S])*2026年5月1日\\s*<span class=\"badge late\" data-testid=\"finding-overdue\">逾期</span>", list);
            Assert.Contains("data-testid=\"finding-overdue\"", await unit.GetStringAsync($"/findings/{id}"), StringComparison.Ordinal);
            Assert.Contains("整改期限： 2026年5月1日 逾期", RectificationPages.Text(await unit.GetStringAsync($"/cases/{caseId}")), StringComparison.Ordinal);
        });

        // Before its deadline it is not late; once rectified it is not late whatever the date.
        Assert.DoesNotContain("data-testid=\"finding-overdue\"", await (await app.SignInAsync("unit")).GetStringAsync($"/findings/{id}"), StringComparison.Ordinal);
        await _pages.Api.PlanAndReportAsync(id, caseId);
        await _pages.Api.Cases.FireOkAsync("finance", caseId, "verify", "整改到位。");
        await app.Clock.LaterAsync(TimeSpan.FromDays(61), async () =>
        {
            var unit = await app.SignInAsync("unit");
            Assert.DoesNotMatch("公务用车使用登记不全</a>(?:(?!</tr>)[\\s\\S])*逾期", await unit.GetStringAsync("/findings?FiscalYear=2025"));
            Assert.DoesNotContain("data-testid=\"finding-overdue\"", await unit.GetStringAsync($"/findings/{id}"), StringComparison.Ordinal);
        });
    }
}
